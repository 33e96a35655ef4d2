"""Regex search over records' text, vectorised: which records match.

Each source's bytes are read again in chunks, split into lines by polars, and
matched by the Rust regex engine; matching lines are mapped to their records
with a binary search over the records' offsets. A record's first line is
searched from its message on (the header is stripped with the format's own
regex), so ``--grep`` looks at the message as the option says. A pattern the
Rust engine does not accept (look-around, back-references) is matched by
Python's ``re``, line by line: slower, and the only path that is.
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

#: Bytes searched at once. A search holds several times its chunk (the lines, the messages without their headers,
#: the matches): +65 MiB at 8 MB chunks on the 10M corpus, +17 MiB at 2 MB, +10 MiB at 1 MB, +4 MiB at 512 KB but a
#: third slower (BENCHMARKS.md). The viewer lives beside its index, and its peak is what a user notices.
SEARCH_CHUNK = 1 << 20


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
    use_rust = rust_compatible(pattern)
    compiled = re.compile(pattern)
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
        while position < end:
            chunk = pipeline.read_bytes(state.id, position, min(SEARCH_CHUNK, end - position))
            if position + len(chunk) < end:
                cut = chunk.rfind(b"\n") + 1
                chunk = chunk[:cut] if cut else chunk
            if not chunk:
                break
            split = split_lines(chunk)
            lines = split.lines.fill_null("")
            if header is not None:
                lines = lines.str.replace(header, "")
            if use_rust:
                hits = lines.str.contains(pattern).fill_null(False).to_numpy()
            else:
                hits = np.fromiter((compiled.search(line) is not None for line in lines.to_list()), dtype=bool, count=len(lines))
            line_offsets = split.starts[hits] + position
            if len(line_offsets):
                # The records that own lines of this chunk: from the one that starts at or before it.
                low = max(int(np.searchsorted(starts, starts.dtype.type(position), side="right")) - 1, 0)
                high = int(np.searchsorted(starts, starts.dtype.type(min(position + len(chunk), np.iinfo(starts.dtype).max)), side="left"))
                local = starts[low : max(high, low + 1)].astype(np.int64)
                owners = np.searchsorted(local, line_offsets, side="right") - 1
                owners = owners[owners >= 0] + low
                _set_bits(bits, owners if rows is None else rows[owners].astype(np.int64))
            if state.id in open_line and position + len(chunk) >= end:
                resume[state.id] = position + chunk.rfind(b"\n") + 1
            position += len(chunk)
    searched = dict(since.searched) if since is not None else {}
    searched.update(resume)
    return TextHits(bits, count, searched)
