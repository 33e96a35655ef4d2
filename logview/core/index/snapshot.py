"""The timeline's rows as they were after one append: what readers read while sources append.

Live sources append from their own threads while the printer and the views
read. A reader that read the row count at one moment and a column or the
batch table at another could find a row whose batch, or whose next offset,
was not there yet (``--print --listen`` died of an IndexError that way). A
snapshot is taken under the timeline's lock once an append is complete, and
holds the row count with the columns and the batch table cut to it: every
row below ``rows`` is fully described, whatever is appended meanwhile.

Taking one costs a few views, no copy: columns grow into new buffers and
appends write past the rows a snapshot holds. The one value written in
place is a batch's text end, which moves forward when a source's next chunk
starts with continuation lines of its last record: a snapshot then sees
that record whole, as a snapshot taken a moment later would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from logview.core.index.symbols import FacetTable
from logview.core.record import NO_TIME

__all__ = ["NO_DELTA", "TimelineSnapshot", "absolute_times"]

#: A time delta meaning "this record has no time".
NO_DELTA = -(2**31)


@dataclass(frozen=True)
class TimelineSnapshot:
    """Rows ``0:rows`` of a timeline: their columns and the batches they fall in."""

    rows: int
    #: Per row, cut to ``rows``: time delta from the batch's base, facet code, byte offset.
    delta: np.ndarray
    facet: np.ndarray
    offset: np.ndarray
    #: Per batch (int64): first row, source id, base time, byte where its text ends.
    batch_first_row: np.ndarray
    batch_source: np.ndarray
    batch_base: np.ndarray
    batch_end: np.ndarray
    facets: FacetTable

    def __len__(self) -> int:
        return self.rows

    def batch_of(self, rows: np.ndarray) -> np.ndarray:
        """The batch of each row."""
        return np.searchsorted(self.batch_first_row, rows, side="right") - 1

    def batch_stops(self) -> np.ndarray:
        """The row after each batch's last row."""
        return np.r_[self.batch_first_row[1:], self.rows]

    def spans(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(source id, byte offset, byte length) of each row: a record ends where the next of its batch starts, or at its batch's end."""
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        batch = self.batch_of(rows)
        offsets = self.offset
        starts = offsets[rows].astype(np.int64)
        last_in_batch = self.batch_stops()[batch] - 1
        following = np.minimum(rows + 1, self.rows - 1)
        stops = np.where(rows == last_in_batch, self.batch_end[batch], offsets[following].astype(np.int64))
        return self.batch_source[batch], starts, stops - starts

    def times(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Absolute times (int64 ms, NO_TIME when absent) of rows ``start:stop``, read by slicing the columns."""
        stop = self.rows if stop is None else min(stop, self.rows)
        deltas = self.delta[start:stop]
        if len(deltas) == 0:
            return np.zeros(0, dtype=np.int64)
        # Among consecutive rows, a batch's first row is found by subtraction.
        bases = self._ascending_bases(start, stop - 1, len(deltas), lambda firsts: np.clip(firsts - start, 0, len(deltas)))
        return absolute_times(deltas, bases)

    def times_at(self, rows: np.ndarray) -> np.ndarray:
        """Absolute times (int64 ms, NO_TIME when absent) of the given rows.

        Ascending rows (a whole file, or any view of one file read in order)
        fall into batches in runs that a few binary searches delimit; other
        orders look up each row's batch, which costs more than the rest.
        """
        rows = np.asarray(rows)
        deltas = self.delta[rows]
        if len(rows) > 1 and bool(np.all(rows[1:] > rows[:-1])):
            bases = self._ascending_bases(
                int(rows[0]), int(rows[-1]), len(rows), lambda firsts: np.searchsorted(rows, firsts.astype(rows.dtype))
            )
        else:
            bases = self.batch_base[self.batch_of(rows)]
        return absolute_times(deltas, bases)

    def _ascending_bases(self, first: int, last: int, count: int, place: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        """The base time of each of ``count`` ascending rows from ``first`` to ``last``.

        ``place`` says where the first row of each batch after the first
        one's falls among those rows; each batch's base is then repeated over
        its run, one numpy step per batch.
        """
        low, high = np.searchsorted(self.batch_first_row, [first, last], side="right") - 1
        cuts = place(self.batch_first_row[low + 1 : high + 1])
        return np.repeat(self.batch_base[low : high + 1], np.diff(cuts, prepend=0, append=count))

    def symbol_codes(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(level code, logger code, process code) of the given rows.

        The facet table is read after the rows: a row's facet was known
        before the row was appended, so the table covers it.
        """
        facets = self.facet[rows]
        level_of, logger_of, process_of = self.facets.arrays()
        return level_of[facets], logger_of[facets], process_of[facets]

    def rows_of_source(self, source_id: int) -> np.ndarray:
        """Every row of one source, ascending."""
        stops = self.batch_stops()
        mine = np.flatnonzero(self.batch_source == source_id)
        if len(mine) == 0:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate([np.arange(self.batch_first_row[b], stops[b]) for b in mine])


def absolute_times(deltas: np.ndarray, bases: np.ndarray) -> np.ndarray:
    """Each row's time from its delta and its batch's base; NO_TIME where the delta says there is none."""
    times = deltas.astype(np.int64)
    times += bases
    times[deltas == NO_DELTA] = NO_TIME
    return times
