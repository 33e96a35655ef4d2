"""The column store: every record of every source as a row of small integers.

Rows are kept in arrival order (the order chunks were parsed), which lets
live sources append at any time; the timeline's *order* is a separate
permutation, absent when arrival order is already time order (one file, or a
rotation set read oldest first), so the common case costs no extra bytes.

Per record: a time delta (int32 ms from its batch's base time), a facet code
(uint16: the record's level, logger and process together, see FacetTable)
and an offset (uint32): 10 bytes. Integer columns widen by themselves when a
value outgrows them. What is the same for a whole batch of rows (one parsed chunk of one source) lives in the batch table
instead: the source, the base time, and where the batch's text ends, so a
record's length is the distance to the next record of its batch.

Sources append from their own threads while views read: readers read a
:class:`TimelineSnapshot` (index/snapshot.py), published under the lock at
the end of every append, never the growing columns and the row count at two
different moments.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import numpy as np

from logview.core.index.batches import Batches
from logview.core.index.columns import Column
from logview.core.index.multi_line import MultiLine
from logview.core.index.parsed_chunk import ParsedChunk
from logview.core.index.snapshot import NO_DELTA, TimelineSnapshot
from logview.core.index.sort_keys import block_keys, start_keys
from logview.core.index.source_state import SourceState
from logview.core.index.symbols import FacetTable, LevelTable, ProcessTable, Symbols, SymbolTable
from logview.core.index.windowed_sort import KeyBlock, KeySummary, windowed_argsort
from logview.core.inputs.rotation import parse_rotation_name
from logview.core.record import NO_TIME

#: ``read(source_id, offset, length) -> bytes``
ByteReader = Callable[[int, int, int], bytes]

#: Rows handled at once by whole-timeline passes, to bound their temporary memory: a merge's check over 10M rows
#: held 8 MiB more at 1 << 18 rows, in no less time.
BLOCK_ROWS = 1 << 16


class Timeline:
    """The merged index of all sources; appended to by the pipeline, read by the views."""

    def __init__(self) -> None:
        self.symbols = Symbols(LevelTable(), SymbolTable(), ProcessTable(), FacetTable())
        self.delta = Column(np.int32)
        self.facet = Column(np.uint16)
        self.offset = Column(np.uint32)
        #: Records of more than one line, sparse (most records have one): row and lines after the first.
        self.multi_line = MultiLine()
        self.batches = Batches()
        self.sources: list[SourceState] = []
        self.order: np.ndarray | None = None
        #: Rows the order covers (all of them in arrival order when ``order`` is None), by the last merge.
        self._merged = 0
        #: Rows the last merge() sorted: rows only grow and their keys never change, so at that count its order stands.
        self._sorted_rows = -1
        #: Each source's last sort key by the last merges: where merge_appended carries on from.
        self._carry: dict[int, int] = {}
        self._lock = threading.RLock()
        self.version = 0
        self._snapshot = self._take_snapshot()

    def __len__(self) -> int:
        """The rows of the last snapshot: every one of them is fully described by the snapshots taken from now on."""
        return self._snapshot.rows

    def snapshot(self, rows: np.ndarray | None = None) -> TimelineSnapshot:
        """The timeline as the last complete append left it, covering ``rows`` when given.

        Rows counted from the growing columns themselves (``facet.values``)
        may be in an append still in progress: then the append is waited for.
        """
        snapshot = self._snapshot
        if rows is not None and len(rows) and int(np.max(rows)) >= snapshot.rows:
            with self._lock:
                snapshot = self._snapshot
            if int(np.max(rows)) >= snapshot.rows:
                raise IndexError(f"row {int(np.max(rows))} asked for, of a timeline of {snapshot.rows:,} rows")
        return snapshot

    def _take_snapshot(self) -> TimelineSnapshot:
        """Called under the lock once an append is complete (or before any)."""
        rows = len(self.offset)
        batches = self.batches
        return TimelineSnapshot(
            rows=rows,
            delta=self.delta.values[:rows],
            facet=self.facet.values[:rows],
            offset=self.offset.values[:rows],
            batch_first_row=batches.first_row.values,
            batch_source=batches.source.values,
            batch_base=batches.base.values,
            batch_end=batches.end.values,
            facets=self.symbols.facets,
        )

    def _rows(self) -> int:
        """The rows appended, the one being appended included: for the appending thread, under the lock."""
        return len(self.offset)

    @property
    def columns(self) -> tuple[Column, ...]:
        return (self.delta, self.facet, self.offset)

    def reserve(self, records: int) -> None:
        """Size the columns once for an expected number of records."""
        with self._lock:  # a live source may be appending: its rows must be in what is copied
            for column in self.columns:
                column.reserve(records)

    def add_source(self, name: str) -> SourceState:
        with self._lock:
            state = SourceState(id=len(self.sources), name=name, rotation_set=parse_rotation_name(name).base)
            self.sources.append(state)
            return state

    # -- appending ----------------------------------------------------------

    def append(self, source: SourceState, base: int, parsed: ParsedChunk) -> None:
        """Add one parsed chunk of ``source`` that starts at byte ``base``."""
        with self._lock:
            if parsed.twice_written is not None:  # chunks come in file order here: see parse/wall_clock.py
                parsed.twice_written.settle(parsed.time)
            end = base + (int(parsed.starts[-1] + parsed.lengths[-1]) if len(parsed) else parsed.lead)
            # The source's last line was left open: this chunk's first line is the rest of it, not a line of its own.
            joined = int(source.open_line)
            source.open_line = not parsed.ends_line
            if parsed.lead:
                if source.last_batch >= 0:
                    # Continuation lines at the chunk's start close the previous record.
                    self.batches.set_end(source.last_batch, base + parsed.lead)
                    if parsed.lead_lines > joined:
                        self.multi_line.add(np.array([self._last_row(source.last_batch)]), np.array([parsed.lead_lines - joined]))
                else:
                    no_time = np.full(1, NO_TIME, dtype=np.int64)
                    no_facet = np.zeros(1, dtype=np.uint8)
                    self._add_batch(source, np.array([base], dtype=np.int64), no_time, no_facet, base + parsed.lead)
                    if parsed.lead_lines > 1:
                        self.multi_line.add(np.array([self._rows() - 1]), np.array([parsed.lead_lines - 1]))
            if len(parsed):
                first_row = self._rows()
                self._add_batch(source, parsed.starts + base, parsed.time, parsed.facet, end)
                self.multi_line.add(parsed.multi_line + first_row, parsed.extra_lines)
            source.invalid_utf8 = source.invalid_utf8 or parsed.invalid_utf8
            source.bytes_indexed = end
            source.line_marks.append((end, source.line_marks[-1][1] + parsed.newlines))
            self._snapshot = self._take_snapshot()
            self.version += 1

    def append_apart(self, source: SourceState, parsed: ParsedChunk, starts: np.ndarray, ends_line: bool) -> None:
        """Add records of ``source`` that lie apart in its file: at byte offsets ``starts`` (ascending), with ``parsed``'s
        lengths, times, facets and lines; records that follow each other make one batch, as a chunk's would.

        For a search that parsed only the records it found (core/grep_first.py): one call, whatever the number of batches.
        """
        count = len(starts)
        if count == 0:
            return
        with self._lock:
            ends = starts + parsed.lengths
            first = np.flatnonzero(np.r_[True, starts[1:] != ends[:-1]])
            stops = np.r_[first[1:], count]
            batch_of = np.repeat(np.arange(len(first)), stops - first)
            timed = parsed.time != NO_TIME
            # A batch's base: the time of its first timed record, or when its text was written (as _add_batch gives it).
            next_timed = np.minimum.accumulate(np.where(timed, np.arange(count), count)[::-1])[::-1]
            base_row = next_timed[first]
            has_time = base_row < stops
            bases = np.where(has_time, parsed.time[np.minimum(base_row, count - 1)], max(source.written_at, 0))
            first_row = self._rows()
            batch_count = len(self.batches)
            for column, values in (
                (self.batches.first_row, first + first_row),
                (self.batches.source, np.full(len(first), source.id)),
                (self.batches.base, bases),
                (self.batches.end, ends[stops - 1]),
            ):
                column.append(values.astype(np.int64))
            self.delta.append(np.where(timed, parsed.time - bases[batch_of], NO_DELTA))
            self.facet.append(parsed.facet)
            self.offset.append(starts)
            self.multi_line.add(parsed.multi_line + first_row, parsed.extra_lines)
            source.records += count
            source.last_batch = batch_count + len(first) - 1
            source.bytes_indexed = int(ends[-1])
            source.open_line = not ends_line
            self._snapshot = self._take_snapshot()
            self.version += 1

    def _add_batch(
        self,
        source: SourceState,
        offsets: np.ndarray,
        times: np.ndarray,
        facets: np.ndarray,
        end: int,
    ) -> None:
        timed = times != NO_TIME
        # A batch without a time keeps when its text was written as its base: its records' sort key if their file has no time.
        base_time = int(times[np.argmax(timed)]) if timed.any() else max(source.written_at, 0)
        deltas = np.where(timed, times - base_time, NO_DELTA)
        self.batches.add(self._rows(), source.id, base_time, end)
        self.delta.append(deltas)
        self.facet.append(facets)
        self.offset.append(offsets)
        source.records += len(offsets)
        source.last_batch = len(self.batches) - 1

    # -- reading rows ---------------------------------------------------------

    def symbol_codes(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(level code, logger code, process code) of the given rows."""
        return self.snapshot(rows).symbol_codes(rows)

    def times(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Absolute times (int64 ms, NO_TIME when absent) of rows ``start:stop`` (to the last snapshot's end without ``stop``)."""
        snapshot = self._snapshot
        if stop is not None and stop > snapshot.rows:
            snapshot = self.snapshot(np.array([stop - 1]))
        return snapshot.times(start, stop)

    def times_at(self, rows: np.ndarray) -> np.ndarray:
        """Absolute times (int64 ms, NO_TIME when absent) of the given rows (see TimelineSnapshot.times_at)."""
        return self.snapshot(rows).times_at(rows)

    def spans(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(source id, byte offset, byte length) of each row."""
        return self.snapshot(rows).spans(rows)

    def rows_of_source(self, source_id: int) -> np.ndarray:
        return self._snapshot.rows_of_source(source_id)

    def open_rows(self) -> np.ndarray:
        """The last record of each source still being read or followed: lines still to be read may extend it (a traceback cut by a chunk)."""
        with self._lock:
            return np.array(
                [self._last_row(source.last_batch) for source in self.sources if source.last_batch >= 0 and source.status.may_grow],
                dtype=np.int64,
            )

    def unfinished_rows(self, followed_only: bool = True) -> np.ndarray:
        """The last record of each source (still followed, with ``followed_only``) whose last line has no newline yet.

        A followed file's such line may still be written; a file read to its
        end (a rotated copy) will have no more.
        """
        with self._lock:
            return np.array(
                [
                    self._last_row(source.last_batch)
                    for source in self.sources
                    if source.last_batch >= 0 and source.open_line and (source.status.may_grow or not followed_only)
                ],
                dtype=np.int64,
            )

    def _last_row(self, batch: int) -> int:
        """Under the lock."""
        first_rows = self.batches.first_row.values
        return int(first_rows[batch + 1] if batch + 1 < len(first_rows) else self._rows()) - 1

    # -- order ------------------------------------------------------------------

    def sort_keys(self) -> np.ndarray:
        """Each record's place in time: its time, or for a record without one its file's place (index/sort_keys.py)."""
        snapshot = self._snapshot
        return np.concatenate(list(self._key_blocks(snapshot, {}))) if snapshot.rows else np.zeros(0, dtype=np.int64)

    def _key_blocks(
        self, snapshot: TimelineSnapshot, carry: dict[int, int], starts: dict[int, dict[int, int]] | None = None
    ) -> Iterator[np.ndarray]:
        """Sort keys in blocks of rows; ``carry`` is filled with each source's last key.

        ``starts``, when given, gets a copy of the carry at each block's
        first row: what block_keys needs to recompute that block alone.
        """
        carry.update(start_keys(snapshot, [source.rotation_set for source in self.sources]))
        single = self._single_source()
        for start in range(0, snapshot.rows, BLOCK_ROWS):
            if starts is not None:
                starts[start] = dict(carry)
            yield block_keys(snapshot, start, min(start + BLOCK_ROWS, snapshot.rows), carry, single)

    def _single_source(self) -> int | None:
        """The timeline's one source, if it has only one: its rows need not be told apart."""
        return self.sources[0].id if len(self.sources) == 1 else None

    def merge(self) -> None:
        """Compute the timeline order: stable by time, ties in arrival order.

        One pass over the keys, block by block, tells whether arrival order
        is already time order (the common case: no order array at all) and
        otherwise notes what a windowed sort needs to recompute the keys of
        a few blocks at a time (index/windowed_sort.py): the order is then
        the only array as long as the timeline. With no row appended since
        the last merge, its order is kept: sorting again would hold two
        orders at once for the same one (files loaded, then printed).
        """
        with self._lock:
            snapshot = self._snapshot
            if snapshot.rows == self._sorted_rows:
                self.version += 1
                return
            carry: dict[int, int] = {}
            starts: dict[int, dict[int, int]] = {}
            summary = KeySummary()
            for start, keys in zip(range(0, snapshot.rows, BLOCK_ROWS), self._key_blocks(snapshot, carry, starts), strict=True):
                summary.add(start, keys)
            self._merged = snapshot.rows
            self.order = None if summary.ascending else windowed_argsort(summary, self._block_recomputer(snapshot, starts))
            self._carry = carry
            self._sorted_rows = snapshot.rows
            self.version += 1

    def _block_recomputer(self, snapshot: TimelineSnapshot, starts: dict[int, dict[int, int]]) -> Callable[[KeyBlock], np.ndarray]:
        """Recompute one block's keys alone, from a copy of the carry at its first row (``starts``, by _key_blocks)."""
        single = self._single_source()

        def keys_of(block: KeyBlock) -> np.ndarray:
            return block_keys(snapshot, block.start, block.stop, dict(starts[block.start]), single)

        return keys_of

    def merge_appended(self) -> None:
        """Extend the order over the rows appended since the last merge.

        Live records mostly come after everything read before, and are only
        appended; records that came later than records of other sources with
        a later time are merged into the tail of the order, which costs the
        length of that tail rather than a sort of the whole timeline. A record
        without a time stays after the record before it in its own file. Any
        thread may call this: the rows merged so far are the timeline's own count.
        """
        with self._lock:
            start, stop = self._merged, len(self)
            if start >= stop:
                return
            self._merged = stop
            order = self.order
            previous = self._tail_keys(np.array([order[-1] if order is not None else start - 1])) if start else np.zeros(0)
            floor = int(previous[0]) if len(previous) else np.iinfo(np.int64).min
            keys = block_keys(self._snapshot, start, stop, self._seeded_carry(), None)
            if order is None and int(keys[0]) >= floor and not bool(np.any(keys[1:] < keys[:-1])):
                self.version += 1
                return
            rows_type = np.int32 if stop < 2**31 else np.int64
            current = order if order is not None else np.arange(start, dtype=rows_type)
            lowest = int(keys.min())
            tail = min(len(current), max(1024, 2 * (stop - start)))
            while tail < len(current) and int(self._tail_keys(current[-tail:][:1])[0]) > lowest:
                tail = min(len(current), tail * 2)
            tail_rows = current[len(current) - tail :].astype(np.int64)
            rows = np.concatenate([tail_rows, np.arange(start, stop, dtype=np.int64)])
            both = np.concatenate([self._tail_keys(tail_rows), keys])
            merged = rows[np.lexsort((rows, both))]
            self.order = np.concatenate([current[: len(current) - tail], merged.astype(rows_type)])
            self.version += 1

    def _seeded_carry(self) -> dict[int, int]:
        """The last key of each source, by the last merges (under the lock); a source new since takes its rotation set's."""
        carry = self._carry
        last_of_set: dict[str, int] = {}
        for source in self.sources:
            if carry.get(source.id, NO_TIME) != NO_TIME:
                last_of_set[source.rotation_set] = carry[source.id]
            elif source.rotation_set in last_of_set:
                carry[source.id] = last_of_set[source.rotation_set]
        return carry

    def _tail_keys(self, rows: np.ndarray) -> np.ndarray:
        """Sort keys of rows taken in timeline order, near enough to merge others among them.

        A record of a file without any time has its key (when its text was
        written); any other untimed record takes the key before it.
        """
        rows = np.asarray(rows, dtype=np.int64)
        snapshot = self.snapshot(rows)
        times = snapshot.times_at(rows)
        untimed = np.flatnonzero(times == NO_TIME)
        if len(untimed):
            batches = snapshot.batch_of(rows[untimed])
            sources = snapshot.batch_source[batches]
            timeless = [source for source in np.unique(sources).tolist() if self._carry.get(source, NO_TIME) == NO_TIME]
            anchored = np.isin(sources, timeless)
            times[untimed[anchored]] = snapshot.batch_base[batches[anchored]]
        return _running_max(times, np.iinfo(np.int64).min)

    def positions(self, mask: np.ndarray | None = None) -> np.ndarray:
        """Row numbers in timeline order, keeping only rows where ``mask`` is true.

        int32 while the timeline has fewer than 2**31 rows: a view of 10
        million records holds 40 MB of row numbers, not 80.
        """
        order = self.order
        rows_type = np.int32 if len(self) < 2**31 else np.int64
        if order is None:
            if mask is None:
                return np.arange(len(self), dtype=rows_type)
            return _true_positions(mask, rows_type)
        if mask is None:
            return order
        return order[mask[order]]

    def line_at(self, source_id: int, offset: int, read: ByteReader, known: dict[int, tuple[int, int]] | None = None) -> int:
        """The 1-based line number at byte ``offset`` of a source.

        Lines are counted from the nearest known point before it: the start of
        its chunk, or, with ``known`` (source id -> (offset, line), updated
        here), the last offset asked for, so that records asked for in file
        order cost only the lines between them.
        """
        state = self.sources[source_id]
        marks = state.line_marks
        low, high = 0, len(marks) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if marks[middle][0] <= offset:
                low = middle
            else:
                high = middle - 1
        mark_offset, mark_line = marks[low]
        if known is not None and source_id in known and mark_offset <= known[source_id][0] <= offset:
            mark_offset, mark_line = known[source_id]
        line = mark_line if offset == mark_offset else mark_line + read(source_id, mark_offset, offset - mark_offset).count(b"\n")
        if known is not None:
            known[source_id] = (offset, line)
        return line


def _true_positions(mask: np.ndarray, rows_type: type) -> np.ndarray:
    """``np.flatnonzero(mask)`` as ``rows_type``, block by block: no int64 array of them all."""
    rows: np.ndarray = np.empty(int(np.count_nonzero(mask)), dtype=rows_type)
    filled = 0
    for start in range(0, len(mask), BLOCK_ROWS):
        found = np.flatnonzero(mask[start : start + BLOCK_ROWS])
        rows[filled : filled + len(found)] = found + start
        filled += len(found)
    return rows


def _running_max(times: np.ndarray, floor: int) -> np.ndarray:
    """Times in timeline order with each untimed one (NO_TIME) given the latest time before it, or ``floor``."""
    timed = np.where(times == NO_TIME, np.iinfo(np.int64).min, times).astype(np.int64)
    filled = np.maximum.accumulate(np.r_[np.int64(floor), timed])[1:]
    return np.where(times == NO_TIME, filled, times)
