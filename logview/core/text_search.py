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

import numpy as np
import polars as pl

from logview.core.parse.format_string import LogFormat
from logview.core.parse.lines import split_lines
from logview.core.pipeline import Pipeline

SEARCH_CHUNK = 8 << 20


def rust_compatible(pattern: str) -> bool:
    try:
        pl.Series([""]).str.contains(pattern)
    except pl.exceptions.PolarsError:
        return False
    return True


def text_mask(pipeline: Pipeline, pattern: str, ignore_case: bool = False) -> np.ndarray:
    """A boolean per timeline row: does the record's message match ``pattern``."""
    timeline = pipeline.timeline
    result = np.zeros(len(timeline), dtype=bool)
    if ignore_case:
        pattern = f"(?i){pattern}"
    use_rust = rust_compatible(pattern)
    compiled = re.compile(pattern)
    offsets = timeline.offset.values
    single = len(pipeline.loaded) == 1
    for loaded in pipeline.loaded:
        state = loaded.state
        if state.records == 0:
            continue
        # One file: its rows are the timeline's and their offsets the column itself, not a copy.
        rows = None if single else timeline.rows_of_source(state.id)
        starts = offsets if rows is None else offsets[rows]
        header = loaded.format.prefix_regex if isinstance(loaded.format, LogFormat) else None
        position = 0
        while position < state.bytes_indexed:
            chunk = pipeline.read_bytes(state.id, position, min(SEARCH_CHUNK, state.bytes_indexed - position))
            if position + len(chunk) < state.bytes_indexed:
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
                result[owners if rows is None else rows[owners]] = True
            position += len(chunk)
    return result
