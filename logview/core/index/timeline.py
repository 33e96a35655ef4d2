"""The column store: every record of every source as a row of small integers.

Rows are kept in arrival order (the order chunks were parsed), which lets
live sources append at any time; the timeline's *order* is a separate
permutation, absent when arrival order is already time order (one file, or a
rotation set read oldest first), so the common case costs no extra bytes.

Per record: time int64, level uint8, logger uint16, process uint16,
source uint8, offset uint32, length uint32 = 22 bytes; integer columns widen
by themselves when a value outgrows them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from logview.core.index.columns import Column
from logview.core.index.symbols import LevelTable, ProcessTable, SymbolTable
from logview.core.parse.chunk_parser import ParsedChunk, Symbols
from logview.core.record import NO_TIME

#: ``read(source_id, offset, length) -> bytes``
ByteReader = Callable[[int, int, int], bytes]


@dataclass
class SourceState:
    """What the timeline knows of one input."""

    id: int
    name: str
    format_name: str = "plain text"
    state: str = "reading"  # reading, done, error
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    invalid_utf8: bool = False
    records: int = 0
    bytes_indexed: int = 0
    last_row: int = -1
    #: (byte offset, line number) at each chunk start, for the line of a record.
    line_marks: list[tuple[int, int]] = field(default_factory=lambda: [(0, 1)])


class Timeline:
    """The merged index of all sources; appended to by the pipeline, read by the views."""

    def __init__(self) -> None:
        self.symbols = Symbols(LevelTable(), SymbolTable(), ProcessTable())
        self.time = Column(np.int64)
        self.level = Column(np.uint8)
        self.logger = Column(np.uint16)
        self.process = Column(np.uint16)
        self.source = Column(np.uint8)
        self.offset = Column(np.uint32)
        self.length = Column(np.uint32)
        self.sources: list[SourceState] = []
        self.order: np.ndarray | None = None
        self._sorted_upto = 0
        self._last_key = NO_TIME
        self._lock = threading.RLock()
        self.version = 0

    def __len__(self) -> int:
        return len(self.time)

    @property
    def columns(self) -> tuple[Column, ...]:
        return (self.time, self.level, self.logger, self.process, self.source, self.offset, self.length)

    def reserve(self, records: int) -> None:
        """Size the columns once for an expected number of records."""
        for column in self.columns:
            column.reserve(records)

    def add_source(self, name: str) -> SourceState:
        with self._lock:
            state = SourceState(id=len(self.sources), name=name)
            self.sources.append(state)
            return state

    def append(self, source: SourceState, base: int, parsed: ParsedChunk) -> None:
        """Add one parsed chunk of ``source`` that starts at byte ``base``."""
        with self._lock:
            count = len(parsed)
            if parsed.lead:
                if source.last_row >= 0:
                    row = source.last_row
                    self.length.set(row, int(self.length.values[row]) + parsed.lead)
                else:
                    self._append_rows(source, np.array([base], dtype=np.int64), np.array([parsed.lead], dtype=np.int64), None)
            if count:
                self._append_rows(source, parsed.starts + base, parsed.lengths, parsed)
            source.invalid_utf8 = source.invalid_utf8 or parsed.invalid_utf8
            end = base + (int(parsed.starts[-1] + parsed.lengths[-1]) if count else parsed.lead)
            source.bytes_indexed = end
            source.line_marks.append((end, source.line_marks[-1][1] + parsed.line_count))
            self.version += 1

    def _append_rows(self, source: SourceState, offsets: np.ndarray, lengths: np.ndarray, parsed: ParsedChunk | None) -> None:
        count = len(offsets)
        first = len(self.time)
        if parsed is None:
            self.time.append(np.full(count, NO_TIME, dtype=np.int64))
            for column in (self.level, self.logger, self.process):
                column.append(np.zeros(count, dtype=np.uint8))
        else:
            self.time.append(parsed.time)
            self.level.append(parsed.level)
            self.logger.append(parsed.logger)
            self.process.append(parsed.process)
        self.source.append(np.full(count, source.id, dtype=np.int64))
        self.offset.append(offsets)
        self.length.append(lengths)
        source.records += count
        source.last_row = first + count - 1

    # -- order ------------------------------------------------------------

    def sort_keys(self) -> np.ndarray:
        """Each record's time, or the time of the previous timed record of its source.

        Records before the first timed record of a source take that record's
        time, so they stay just ahead of it.
        """
        times = self.time.values
        sources = self.source.values
        if len(self.sources) <= 1:
            return _fill_times(times)
        keys = np.empty_like(times)
        for state in self.sources:
            rows = np.flatnonzero(sources == state.id)
            keys[rows] = _fill_times(times[rows])
        return keys

    def merge(self) -> None:
        """Compute the timeline order: stable by time, ties in arrival order."""
        with self._lock:
            keys = self.sort_keys()
            if len(keys) < 2 or bool(np.all(keys[1:] >= keys[:-1])):
                self.order = None
            else:
                order = np.argsort(keys, kind="stable")
                self.order = order.astype(np.int32) if len(order) < 2**31 else order
            self.version += 1

    def positions(self, mask: np.ndarray | None = None) -> np.ndarray:
        """Row numbers in timeline order, keeping only rows where ``mask`` is true."""
        order = self.order
        if order is None:
            if mask is None:
                return np.arange(len(self), dtype=np.int64)
            return np.flatnonzero(mask)
        if mask is None:
            return order
        return order[mask[order]]

    def line_of(self, row: int, read: ByteReader) -> int:
        """The 1-based line number of a record's first line in its source."""
        state = self.sources[int(self.source.values[row])]
        offset = int(self.offset.values[row])
        marks = state.line_marks
        low, high = 0, len(marks) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if marks[middle][0] <= offset:
                low = middle
            else:
                high = middle - 1
        mark_offset, mark_line = marks[low]
        if offset == mark_offset:
            return mark_line
        return mark_line + read(state.id, mark_offset, offset - mark_offset).count(b"\n")


def _fill_times(times: np.ndarray) -> np.ndarray:
    valid = times != NO_TIME
    if bool(valid.all()) or not bool(valid.any()):
        return times
    index = np.where(valid, np.arange(len(times)), 0)
    np.maximum.accumulate(index, out=index)
    filled = times[index]
    first = int(np.argmax(valid))
    filled[:first] = times[first]
    return filled
