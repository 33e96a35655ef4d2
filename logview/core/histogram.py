"""Records over time by level band, for the header strip that shows a burst of errors before it is read.

Counting is numpy over the shown rows in blocks of ``BLOCK_ROWS``, never a
Python step per record, so the temporaries stay a few megabytes however long
the log is: one pass for rows in timeline order, two otherwise. A row's level
is looked up through its facet code (level, logger, process) with a table of a
few hundred entries, so the level column is never materialised.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from logview.core.index.timeline import Timeline
from logview.core.record import NO_TIME
from logview.core.view_rows import Rows

#: Level bands, the rows of :attr:`Histogram.counts`.
DEBUG, INFO, WARNING, ERROR = 0, 1, 2, 3
BANDS = 4
BAND_NAMES: tuple[str, ...] = ("debug", "info", "warning", "error")
#: Rows handled at once: bounds each pass's temporaries (about 40 bytes a row) to about 10 MB;
#: measured faster than larger blocks, which fall out of the CPU cache.
BLOCK_ROWS = 1 << 18
_INT64_MAX = np.iinfo(np.int64).max


@dataclass(frozen=True)
class Histogram:
    """Counts of records per level band and time bin.

    Bin ``i`` covers ``[start + i * span / bins, start + (i + 1) * span / bins)``
    with ``span = end - start``: ``end`` is one past the last record's time, so
    the last record falls in the last bin and every bin has the same width.
    """

    start: int
    end: int
    counts: np.ndarray  # (BANDS, bins) int64

    @property
    def bins(self) -> int:
        return int(self.counts.shape[1])

    @property
    def totals(self) -> np.ndarray:
        """Records per bin, all bands together."""
        return self.counts.sum(axis=0)

    @property
    def bin_width(self) -> float:
        """Milliseconds per bin."""
        return (self.end - self.start) / self.bins

    def bin_of(self, time: int | None) -> int | None:
        """The bin holding ``time``, or None when it is absent or outside the range (to place a cursor)."""
        if time is None or time == NO_TIME or not self.start <= time < self.end:
            return None
        return min((time - self.start) * self.bins // (self.end - self.start), self.bins - 1)


def level_histogram(timeline: Timeline, rows: Rows, bins: int) -> Histogram | None:
    """Count ``rows`` (row numbers of the shown records) by level band in ``bins`` equal time bins.

    Records without a time are not counted, since they have no place on the
    axis; None when no row has a time.

    Rows in timeline order (the usual selection) have their timed records in
    time order, so the range is guessed from the first and last timed rows and
    the counting pass checks it: only when some time falls outside the guess
    (rows in another order, or a timeline not merged yet) is a second pass made,
    with the range measured first. Either way the result is the same.
    """
    if bins < 1:
        raise ValueError(f"bins must be at least 1, not {bins}")
    guess = _end_times(timeline, rows)
    if guess is None:
        return None
    counts = _count(timeline, rows, bins, *guess)
    if counts is None:
        guess = _time_range(timeline, rows)
        counts = _count(timeline, rows, bins, *guess)
        assert counts is not None, "the measured range holds every time"
    start, end = guess
    return Histogram(start=start, end=end, counts=counts.reshape(BANDS, bins))


def _count(timeline: Timeline, rows: Rows, bins: int, start: int, end: int) -> np.ndarray | None:
    """Counts per (band, bin), flat, for bins over ``[start, end)``; None when a time is outside it."""
    span = end - start
    # (time - start) * bins is exact in int64 unless the times are absurdly far apart.
    exact = span < _INT64_MAX // bins
    counts = np.zeros(BANDS * bins, dtype=np.int64)
    for block in _blocks(rows):
        times, facets = _block_times(timeline, block)
        timed = times != NO_TIME
        if not bool(timed.all()):
            times, facets = times[timed], facets[timed]
        if len(times) == 0:
            continue
        offsets = times - start
        if int(offsets.min()) < 0 or int(offsets.max()) >= span:
            return None
        if exact:
            offsets *= bins
            offsets //= span
            index = offsets
        else:
            index = np.minimum((offsets * (bins / span)).astype(np.int64), bins - 1)
        # Taken per block: a timeline still loading may have added facets or level numbers since.
        index += (_facet_bands(timeline) * bins)[facets]
        counts += np.bincount(index, minlength=BANDS * bins)
    return counts


def _time_range(timeline: Timeline, rows: Rows) -> tuple[int, int]:
    """``(first time, one past the last time)`` of the timed rows, which must exist."""
    low, high = _INT64_MAX, NO_TIME
    for block in _blocks(rows):
        times, _ = _block_times(timeline, block)
        high = max(high, int(times.max()))  # NO_TIME is the smallest int64: it never wins.
        if high != NO_TIME:
            low = min(low, int(np.where(times == NO_TIME, _INT64_MAX, times).min()))
    return low, high + 1


def _end_times(timeline: Timeline, rows: Rows) -> tuple[int, int] | None:
    """``(time of the first timed row, one past the time of the last)``, None when no row has a time.

    Looks at a few rows from each end first: untimed rows come in runs
    (continuation lines, a banner) rarely longer than that.
    """
    first = last = None
    size = 64
    while True:
        head = timeline.times_at(rows[:size])
        timed = np.flatnonzero(head != NO_TIME)
        if len(timed):
            first = int(head[timed[0]])
        if first is not None or size >= len(rows):
            break
        size *= 64
    if first is None:
        return None
    size = 64
    while last is None:
        tail = timeline.times_at(rows[-size:])
        timed = np.flatnonzero(tail != NO_TIME)
        if len(timed):
            last = int(tail[timed[-1]])
        size *= 64
    return (first, last + 1) if first <= last else (last, first + 1)


def _block_times(timeline: Timeline, block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(times, facet codes) of the rows of ``block``."""
    return timeline.times_at(block), timeline.facet.values[block]


def band_of_level(levelno: int | None) -> int:
    """The band of a level number: unknown levels count with DEBUG, as the least alarming."""
    if levelno is None or levelno < 20:
        return DEBUG
    if levelno < 30:
        return INFO
    if levelno < 40:
        return WARNING
    return ERROR


def _facet_bands(timeline: Timeline) -> np.ndarray:
    """The band of each facet code (a few hundred entries), so a row's band is one lookup."""
    level_bands = np.array([band_of_level(number) for number in timeline.symbols.levels.numbers], dtype=np.int64)
    level_of, _, _ = timeline.symbols.facets.arrays()
    return level_bands[level_of]


def _blocks(rows: Rows) -> Iterator[np.ndarray]:
    """``rows`` in slices of at most ``BLOCK_ROWS``, one at a time: a view's rows are made as they are asked for."""
    for start in range(0, len(rows), BLOCK_ROWS):
        yield rows[start : start + BLOCK_ROWS]
