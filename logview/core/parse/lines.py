"""Split a chunk of bytes into a polars column of lines and their byte starts.

The fast path hands the whole chunk to polars' CSV reader with a separator
and no quoting, so lines are cut in Rust. It is taken only when the result is
provably byte-exact (no ``\\r`` but in ``\\r\\n`` line ends on every line, no
separator byte, valid UTF-8, and the line lengths add up to the chunk);
anything else is read from a cleaned copy, with line starts taken from the
original bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

_SEPARATOR = "\x1f"


@dataclass(slots=True)
class ChunkLines:
    lines: pl.Series
    starts: np.ndarray  # int64 byte offset of each line in the chunk
    invalid_utf8: bool


def split_lines(chunk: bytes) -> ChunkLines:
    # Windows line ends are fine when every line has one: the reader drops
    # each "\r" and every line's length in the file is one byte more.
    carriage_returns = chunk.count(b"\r") if b"\r" in chunk else 0
    crlf = carriage_returns > 0 and carriage_returns == chunk.count(b"\r\n") == chunk.count(b"\n")
    if (carriage_returns == 0 or crlf) and _SEPARATOR.encode() not in chunk:
        lines = _read_lines(chunk)
        if lines is not None:
            lengths = lines.str.len_bytes().fill_null(0).to_numpy()
            if crlf:
                lengths = lengths + 1
                if not chunk.endswith(b"\n"):
                    lengths[-1] -= 1
            # Every line but an unterminated last one ends in one newline byte:
            # a dropped, merged or re-encoded line breaks this sum.
            newlines = len(lines) - (0 if chunk.endswith(b"\n") else 1)
            if int(lengths.sum()) + newlines == len(chunk):
                return ChunkLines(lines, _starts(lengths), invalid_utf8=False)
    return _sanitized(chunk)


def _read_lines(data: bytes) -> pl.Series | None:
    try:
        return pl.read_csv(
            data,
            has_header=False,
            separator=_SEPARATOR,
            quote_char=None,
            new_columns=["line"],
            schema={"line": pl.String},
        )["line"]
    except (pl.exceptions.PolarsError, UnicodeDecodeError):
        return None


def _starts(lengths: np.ndarray) -> np.ndarray:
    starts = np.zeros(len(lengths), dtype=np.int64)
    if len(lengths) > 1:
        np.cumsum(lengths[:-1].astype(np.int64) + 1, out=starts[1:])
    return starts


def _sanitized(chunk: bytes) -> ChunkLines:
    """Lines of a chunk the fast path cannot take, still without a Python step per line.

    The lines only serve matching and field extraction (printing copies the
    file's own bytes), so they are read from a cleaned copy: lone carriage
    returns and separator bytes become spaces, invalid UTF-8 becomes U+FFFD.
    None of that touches a newline, so the line starts come from the newline
    positions of the original bytes.
    """
    newline_positions = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10)
    starts = np.concatenate(([0], newline_positions + 1))
    if chunk.endswith(b"\n"):
        starts = starts[:-1]
    cleaned = chunk.replace(b"\r", b" ").replace(_SEPARATOR.encode(), b" ")
    invalid = False
    try:
        cleaned.decode("utf-8")
    except UnicodeDecodeError:
        invalid = True
        cleaned = cleaned.decode("utf-8", "replace").encode("utf-8")
    lines = _read_lines(cleaned)
    if lines is None or len(lines) != len(starts):
        lines = _split_in_python(cleaned)
    return ChunkLines(lines.fill_null(""), starts.astype(np.int64), invalid_utf8=invalid)


def _split_in_python(cleaned: bytes) -> pl.Series:
    """The last resort, should polars' reader ever disagree on the line count."""
    text = cleaned.decode("utf-8").split("\n")
    if cleaned.endswith(b"\n"):
        text.pop()
    return pl.Series("line", text, dtype=pl.String)
