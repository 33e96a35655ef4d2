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

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from logview.core.line_match import CandidateLines, LineMatcher
from logview.core.parse.format_set import FormatSet
from logview.core.parse.format_string import LogFormat
from logview.core.required_literal import dense_limit, header_anchored, required_literal
from logview.core.source_catalogue import SourceCatalogue

#: Bytes searched at once. A search holds several times its chunk (the lines, the messages without their headers,
#: the matches): +65 MiB at 8 MB chunks on the 10M corpus, +17 MiB at 2 MB, +10 MiB at 1 MB, +4 MiB at 512 KB but a
#: third slower (BENCHMARKS.md). The viewer lives beside its index, and its peak is what a user notices.
SEARCH_CHUNK = 1 << 20


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


def _set_bits(bits: np.ndarray, rows: np.ndarray) -> None:
    """Set the bits of ``rows`` (np.packbits' order: the first row is the high bit)."""
    np.bitwise_or.at(bits, rows >> 3, (np.uint8(0x80) >> (rows & 7).astype(np.uint8)))


def text_hits(catalogue: SourceCatalogue, pattern: str, since: TextHits | None = None) -> TextHits:
    """The rows whose messages match ``pattern``; with ``since``, only the bytes added since it are searched.

    Live sources only ever add bytes at their ends, so a search kept current
    costs what was added, not the whole timeline again. A record whose
    lines are still coming (a traceback) is matched line by line as they
    come: its first lines' matches stand.
    """
    timeline = catalogue.timeline
    states = catalogue.source_states()
    # Each source's end first, then the row count: every row of the bytes searched is then counted.
    ends = {state.id: state.bytes_indexed for state in states}
    # Where the next search of each source starts: its end, or the start of a last line left open (a file that
    # does not end with a newline), which the bytes still to come continue and which is then searched whole.
    resume = dict(ends)
    count = len(timeline)
    bits = np.zeros((count + 7) // 8, dtype=np.uint8)
    if since is not None:
        # The timeline only grows; the bits past the last row of ``since`` are 0.
        bits[: len(since.bits)] = since.bits
    search = _Search(catalogue, pattern, bits)
    for state in states:
        position = since.searched.get(state.id, 0) if since is not None else 0
        last_line_end = search.source(state.id, position, ends.get(state.id, 0))
        if state.open_line and last_line_end is not None:
            resume[state.id] = last_line_end
    search.finish()
    searched = dict(since.searched) if since is not None else {}
    searched.update(resume)
    return TextHits(bits, count, searched)


def text_hits_within(catalogue: SourceCatalogue, pattern: str, windows: Mapping[int, tuple[int, int]]) -> TextHits:
    """The rows whose records lie in ``windows`` (source id -> byte range, from a record's start to a record's end) and
    whose messages match ``pattern``: a part of the timeline searched first, such as the rows near the viewer's cursor."""
    bits = np.zeros((len(catalogue.timeline) + 7) // 8, dtype=np.uint8)
    search = _Search(catalogue, pattern, bits)
    for source_id, (start, stop) in windows.items():
        search.source(source_id, start, stop)
    search.finish()
    return TextHits(bits, len(catalogue.timeline), {})


class _Search:
    """One pass of a pattern over sources' bytes, setting the bits of the rows that own matching lines."""

    def __init__(self, catalogue: SourceCatalogue, pattern: str, bits: np.ndarray) -> None:
        self.catalogue = catalogue
        self.bits = bits
        self.matcher = LineMatcher(pattern)
        literal = required_literal(pattern)
        self.candidates = CandidateLines(literal, SEARCH_CHUNK) if literal is not None else None
        self._offsets = catalogue.timeline.offset.values
        self._states = catalogue.source_states()
        self._single = len(self._states) == 1
        self._rows: dict[int, np.ndarray | None] = {}
        #: The sets of other fields that match, by source (field_sets.py): matched once a search.
        self._matched_sets: dict[int, np.ndarray] = {}

    def source(self, source_id: int, position: int, end: int) -> int | None:
        """Search one source's bytes from ``position`` (a line's start) to ``end``; where its last whole line ends."""
        if self._states[source_id].records == 0 or position >= end:
            return None
        log_format = self.catalogue.format_of(source_id)
        header = log_format.prefix_regex if isinstance(log_format, LogFormat | FormatSet) else None
        candidates = self.candidates if header_anchored(log_format) else None
        last_line_end = None
        start = position
        while position < end:
            chunk = self.catalogue.read_bytes(source_id, position, min(SEARCH_CHUNK, end - position))
            if position + len(chunk) < end:
                cut = chunk.rfind(b"\n") + 1
                chunk = chunk[:cut] if cut else chunk
            if not chunk:
                break
            limit = dense_limit(len(chunk))
            if candidates is None or not candidates.add(chunk, position, source_id, header, limit):
                self._mark(source_id, self.matcher.hit_starts(chunk, header) + position)
            elif candidates.size >= SEARCH_CHUNK:
                self.finish()
            last_line_end = position + chunk.rfind(b"\n") + 1
            position += len(chunk)
        self._search_fields(source_id, start, end)
        return last_line_end

    def _search_fields(self, source_id: int, start: int, end: int) -> None:
        """Mark the records starting in ``start:end`` whose other fields match (a journal's: index/field_sets.py)."""
        field_sets = self._states[source_id].field_sets
        if field_sets is None:
            return
        matched = self._matched_sets.get(source_id)
        if matched is None:
            matched = self._matched_sets[source_id] = field_sets.matching(lambda lines: self.matcher.matches(lines, None))
        if not len(matched):
            return
        rows = self._source_rows(source_id)
        starts = self._offsets if rows is None else self._offsets[rows]
        first, last = np.searchsorted(starts, [start, end]).tolist()
        hits = np.flatnonzero(np.isin(field_sets.codes(first, last), matched)) + first
        _set_bits(self.bits, hits if rows is None else rows[hits].astype(np.int64))

    def finish(self) -> None:
        """Match the candidate lines gathered so far."""
        if self.candidates is not None and self.candidates.size:
            for source_id, line_offsets in self.candidates.matched(self.matcher).items():
                self._mark(source_id, line_offsets)

    def _source_rows(self, source_id: int) -> np.ndarray | None:
        """The source's rows, ascending; None for the only source: its rows are the timeline's, and their offsets the column itself."""
        if source_id not in self._rows:
            self._rows[source_id] = None if self._single else self.catalogue.timeline.rows_of_source(source_id)
        return self._rows[source_id]

    def _mark(self, source_id: int, line_offsets: np.ndarray) -> None:
        rows = self._source_rows(source_id)
        starts = self._offsets if rows is None else self._offsets[rows]
        owners = _owners(starts, line_offsets)
        _set_bits(self.bits, owners if rows is None else rows[owners].astype(np.int64))
