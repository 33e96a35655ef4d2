"""Split a chunk of bytes into a polars column of lines and their byte starts.

The fast path hands the whole chunk to polars' CSV reader with a separator
and no quoting, so lines are cut in Rust. It is taken only when the result is
provably byte-exact (no ``\\r`` but in ``\\r\\n`` line ends on every line, no
separator byte, valid UTF-8, and the line lengths add up to the chunk);
anything else takes the exact path, which splits in Python and replaces
invalid UTF-8: it is meant for damaged input, not for a common case.
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
        try:
            lines = pl.read_csv(
                chunk,
                has_header=False,
                separator=_SEPARATOR,
                quote_char=None,
                new_columns=["line"],
                schema={"line": pl.String},
            )["line"]
        except (pl.exceptions.PolarsError, UnicodeDecodeError):
            lines = None
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
    return _exact(chunk)


def _starts(lengths: np.ndarray) -> np.ndarray:
    starts = np.zeros(len(lengths), dtype=np.int64)
    if len(lengths) > 1:
        np.cumsum(lengths[:-1].astype(np.int64) + 1, out=starts[1:])
    return starts


def _exact(chunk: bytes) -> ChunkLines:
    raw = chunk.split(b"\n")
    if chunk.endswith(b"\n"):
        raw.pop()
    lengths = np.fromiter(map(len, raw), dtype=np.int64, count=len(raw))
    invalid = False
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        invalid = True
    text = [line.decode("utf-8", "replace").rstrip("\r") for line in raw]
    return ChunkLines(pl.Series("line", text, dtype=pl.String), _starts(lengths), invalid_utf8=invalid)
