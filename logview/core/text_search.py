"""Regex search over records' text, vectorised: which records match.

Each source's bytes are read again in chunks. When every match of the pattern
must hold a run of characters (core/required_literal.py), the lines holding
it are found with ``bytes.find`` over the whole chunk and only they are
matched; a chunk where that run is common, and any pattern without one, has
every line matched, as below. Lines are split by polars and matched by the
Rust regex engine; matching lines are mapped to their records with a binary
search over the records' offsets. A record's first line is searched from its
message on (the header is stripped with the format's own regex), so
``--grep`` looks at the message as the option says. A pattern the Rust engine
does not accept (look-around, back-references) is matched by Python's ``re``,
line by line: slower, and the only path that is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from logview.core.parse.format_set import FormatSet
from logview.core.parse.format_string import LogFormat
from logview.core.parse.lines import split_lines
from logview.core.pipeline import Pipeline
from logview.core.required_literal import RequiredLiteral, candidate_lines, required_literal

#: Bytes searched at once. A search holds several times its chunk (the lines, the messages without their headers,
#: the matches): +65 MiB at 8 MB chunks on the 10M corpus, +17 MiB at 2 MB, +10 MiB at 1 MB, +4 MiB at 512 KB but a
#: third slower (BENCHMARKS.md). The viewer lives beside its index, and its peak is what a user notices.
SEARCH_CHUNK = 1 << 20
#: A chunk with more than a line holding the literal per this many bytes is matched whole: finding the lines one
#: by one in Python would cost more than matching them all in Rust.
DENSE_BYTES = 512
#: Bytes that split_lines reads differently in a line than in a chunk (the reader's separator, a byte-order mark
#: that it strips from a chunk's first line only).
_SEPARATOR = b"\x1f"
_BOM = b"\xef\xbb\xbf"


def rust_compatible(pattern: str) -> bool:
    try:
        pl.Series([""]).str.contains(pattern)
    except pl.exceptions.PolarsError:
        return False
    return True


#: Rows unpacked at once when the matching rows are listed.
ROWS_BLOCK = 1 << 18


@dataclass
class TextHits:
    """The rows whose messages match a pattern, a bit per row, and how far each source's bytes were searched for it.

    A bit, not a byte: a search over 10 million records holds 1.25 MB of
    matches rather than 10, and the viewer keeps eight patterns' matches.
    """

    bits: np.ndarray
    #: Rows the bits cover.
    count: int
    #: Bytes searched, by source id: a source that grows is searched again from there.
    searched: dict[int, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return self.count

    @property
    def mask(self) -> np.ndarray:
        """A byte per row: for the filters, which combine masks."""
        return np.unpackbits(self.bits, count=self.count).view(bool)

    def rows(self) -> np.ndarray:
        """The matching rows, ascending, unpacked a block at a time: no mask of every row."""
        found = [np.zeros(0, dtype=np.int64)]
        for start in range(0, self.count, ROWS_BLOCK):
            block = np.unpackbits(self.bits[start // 8 : (start + ROWS_BLOCK) // 8], count=min(ROWS_BLOCK, self.count - start))
            found.append(np.flatnonzero(block) + start)
        return np.concatenate(found)


class _LineMatcher:
    """The exact test of a search: lines stripped of their headers, then matched by the Rust regex (or Python's ``re``)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.use_rust = rust_compatible(pattern)
        self.compiled = re.compile(pattern)

    def hit_starts(self, chunk: bytes, header: str | None) -> np.ndarray:
        """The starts, in ``chunk``, of its lines whose text after the header matches."""
        starts, hits = self.line_hits(chunk, header)
        return starts[hits]

    def line_hits(self, chunk: bytes, header: str | None) -> tuple[np.ndarray, np.ndarray]:
        """The starts of the lines of ``chunk``, and which of them match after their header."""
        split = split_lines(chunk)
        lines = split.lines.fill_null("")
        if header is not None:
            lines = lines.str.replace(header, "")
        if self.use_rust:
            hits = lines.str.contains(self.pattern).fill_null(False).to_numpy()
        else:
            hits = np.fromiter((self.compiled.search(line) is not None for line in lines.to_list()), dtype=bool, count=len(lines))
        return split.starts, hits


class _Candidates:
    """Lines that hold a search's required literal, gathered over chunks and matched exactly a batch at a time.

    Each line is matched as it would be in its own chunk: a chunk whose lines
    split_lines would read differently one by one (carriage returns, the
    reader's separator byte, a byte-order mark it strips from a chunk's first
    line) is matched whole instead, as before.
    """

    def __init__(self, literal: RequiredLiteral) -> None:
        self.literal = literal
        self.lines: list[bytes] = []
        self.offsets: list[int] = []
        self.size = 0
        #: Whether the last chunk held the literal on too many lines: the next is then counted first, in C.
        self._dense = False
        self._scratch = bytearray(SEARCH_CHUNK) if literal.fold else None

    def add(self, chunk: bytes, position: int) -> bool:
        """Take the candidate lines of ``chunk`` (which starts at ``position``); False when it must be matched whole."""
        if b"\r" in chunk or _SEPARATOR in chunk:
            return False
        limit = max(len(chunk) // DENSE_BYTES, 1)
        if self._dense and not self.literal.fold and chunk.count(self.literal.ascii_needle) > limit:
            return False
        found = candidate_lines(chunk, self.literal, limit=limit, scratch=self._scratch)
        self._dense = found is None
        if found is None:
            return False
        starts, ends = found
        if any(chunk.startswith(_BOM, start) for start in starts):
            return False
        self.lines.extend(chunk[start:end] for start, end in zip(starts, ends, strict=True))
        self.offsets.extend(start + position for start in starts)
        self.size += sum(ends) - sum(starts) + len(starts)
        return True

    def matched(self, matcher: _LineMatcher, header: str | None) -> np.ndarray:
        """The offsets of the lines gathered that match, and a fresh start."""
        offsets = np.asarray(self.offsets, dtype=np.int64)
        batch = b"\n".join(self.lines) + b"\n"
        self.lines, self.offsets, self.size = [], [], 0
        return offsets[matcher.line_hits(batch, header)[1]]


def _owners(starts: np.ndarray, line_offsets: np.ndarray) -> np.ndarray:
    """The rows (among ``starts``, ascending record offsets) that own the lines at ``line_offsets``: the last record at or before each.

    The offsets are brought to the column's type, not the column to theirs (a
    copy of every row). One past the type's range is owned as its largest
    value is: no record starts beyond it.
    """
    if not len(line_offsets):
        return np.zeros(0, dtype=np.int64)
    wanted = np.minimum(line_offsets, np.iinfo(starts.dtype).max).astype(starts.dtype)
    owners = np.searchsorted(starts, wanted, side="right") - 1
    return owners[owners >= 0]


def _anchored(log_format: object) -> bool:
    """Whether a format's header is only ever cut from a line's start: what is left of a line is then its end, and holds
    no literal that the whole line does not."""
    if isinstance(log_format, FormatSet):
        return all(member.prefix_regex.startswith("^") for member in log_format.formats)
    if isinstance(log_format, LogFormat):
        return log_format.prefix_regex.startswith("^")
    return True


def _set_bits(bits: np.ndarray, rows: np.ndarray) -> None:
    """Set the bits of ``rows`` (np.packbits' order: the first row is the high bit)."""
    np.bitwise_or.at(bits, rows >> 3, (np.uint8(0x80) >> (rows & 7).astype(np.uint8)))


def text_hits(pipeline: Pipeline, pattern: str, since: TextHits | None = None) -> TextHits:
    """The rows whose messages match ``pattern``; with ``since``, only the bytes added since it are searched.

    Live sources only ever add bytes at their ends, so a search kept current
    costs what was added, not the whole timeline again. A record whose
    lines are still coming (a traceback) is matched line by line as they
    come: its first lines' matches stand.
    """
    timeline = pipeline.timeline
    # Each source's end first, then the row count: every row of the bytes searched is then counted.
    ends = {loaded.state.id: loaded.state.bytes_indexed for loaded in pipeline.loaded}
    # Where the next search of each source starts: its end, or the start of a last line left open (a file that
    # does not end with a newline), which the bytes still to come continue and which is then searched whole.
    resume = dict(ends)
    open_line = {loaded.state.id for loaded in pipeline.loaded if loaded.state.open_line}
    count = len(timeline)
    bits = np.zeros((count + 7) // 8, dtype=np.uint8)
    if since is not None:
        # The timeline only grows; the bits past the last row of ``since`` are 0.
        bits[: len(since.bits)] = since.bits
    matcher = _LineMatcher(pattern)
    literal = required_literal(pattern)
    offsets = timeline.offset.values
    single = len(pipeline.loaded) == 1
    for loaded in pipeline.loaded:
        state = loaded.state
        end = ends.get(state.id, 0)
        position = since.searched.get(state.id, 0) if since is not None else 0
        if state.records == 0 or position >= end:
            continue
        # One file: its rows are the timeline's and their offsets the column itself, not a copy.
        rows = None if single else timeline.rows_of_source(state.id)
        starts = offsets if rows is None else offsets[rows]
        header = loaded.format.prefix_regex if isinstance(loaded.format, LogFormat | FormatSet) else None
        candidates = _Candidates(literal) if literal is not None and _anchored(loaded.format) else None

        def mark(line_offsets: np.ndarray, starts: np.ndarray = starts, rows: np.ndarray | None = rows) -> None:
            owners = _owners(starts, line_offsets)
            _set_bits(bits, owners if rows is None else rows[owners].astype(np.int64))

        while position < end:
            chunk = pipeline.read_bytes(state.id, position, min(SEARCH_CHUNK, end - position))
            if position + len(chunk) < end:
                cut = chunk.rfind(b"\n") + 1
                chunk = chunk[:cut] if cut else chunk
            if not chunk:
                break
            if candidates is None or not candidates.add(chunk, position):
                mark(matcher.hit_starts(chunk, header) + position)
            elif candidates.size >= SEARCH_CHUNK:
                mark(candidates.matched(matcher, header))
            if state.id in open_line and position + len(chunk) >= end:
                resume[state.id] = position + chunk.rfind(b"\n") + 1
            position += len(chunk)
        if candidates is not None and candidates.size:
            mark(candidates.matched(matcher, header))
    searched = dict(since.searched) if since is not None else {}
    searched.update(resume)
    return TextHits(bits, count, searched)
