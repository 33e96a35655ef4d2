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
from logview.core.view_rows import Rows, ViewRows

#: Level bands, the rows of :attr:`Histogram.counts`.
DEBUG, INFO, WARNING, ERROR = 0, 1, 2, 3
BANDS = 4
BAND_NAMES: tuple[str, ...] = ("debug", "info", "warning", "error")
#: Rows handled at once: bounds each pass's temporaries (about 40 bytes a row) to under 3 MB, where 1 << 18 rows
#: added 10 MiB to the viewer's peak on the 10M corpus; as fast (80 ms a count there), smaller blocks staying in cache.
BLOCK_ROWS = 1 << 16
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


def level_histogram(timeline: Timeline, rows: Rows, bins: int, span: tuple[int, int] | None = None) -> Histogram | None:
    """Count ``rows`` (row numbers of the shown records) by level band in ``bins`` equal time bins.

    Records without a time are not counted, since they have no place on the
    axis; None when no row has a time. ``span`` (start, one past the end)
    fixes the axis, so that views of one timeline share it; rows outside it
    are not counted.

    Without a span, rows in timeline order (the usual selection) have their
    timed records in time order, so the range is guessed from the first and
    last timed rows and the counting pass checks it: only when some time falls
    outside the guess (rows in another order, or a timeline not merged yet) is
    a second pass made, with the range measured first. Either way the result
    is the same.
    """
    if bins < 1:
        raise ValueError(f"bins must be at least 1, not {bins}")
    bands = _facet_bands(timeline)
    if span is not None:
        counts = _count(timeline, rows, bins, *span, bands, BANDS, clip=True)
        assert counts is not None, "a clipped count never fails"
        return Histogram(start=span[0], end=span[1], counts=counts.reshape(BANDS, bins))
    counted = _count_over_own_range(timeline, rows, bins, bands, BANDS)
    if counted is None:
        return None
    (start, end), counts = counted
    return Histogram(start=start, end=end, counts=counts.reshape(BANDS, bins))


@dataclass(frozen=True)
class FacetHistogram:
    """Records per facet (level, logger, process triple) and time bin, over the whole timeline.

    A view filtered by level, logger and process shows a subset of the facets,
    so its histogram is a sum of rows of this table: a toggle costs a few
    hundred additions, not a pass over 10 million records. The axis is the
    whole timeline's, the same for every view.
    """

    start: int
    end: int
    #: Timeline rows counted: the table is current while the timeline has this many.
    rows: int
    counts: np.ndarray  # (facets, bins) int64
    #: The band of each facet.
    bands: np.ndarray

    @property
    def bins(self) -> int:
        return int(self.counts.shape[1])

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end

    def is_current(self, timeline: Timeline, bins: int) -> bool:
        """Whether the table counts every row of ``timeline`` in ``bins`` bins."""
        return self.rows == len(timeline) and self.bins == bins

    def of_facets(self, allowed: np.ndarray | None) -> Histogram:
        """The histogram of the records whose facet ``allowed`` (None: every facet) keeps."""
        counts, bands = self.counts, self.bands
        if allowed is not None:
            kept = allowed[: len(bands)]
            counts, bands = counts[kept], bands[kept]
        by_band = np.zeros((BANDS, self.bins), dtype=np.int64)
        np.add.at(by_band, bands, counts)
        return Histogram(start=self.start, end=self.end, counts=by_band)


#: The largest per-facet table (facets x bins) worth keeping: 16 MB.
MAX_FACET_CELLS = 1 << 21


def facet_histogram(timeline: Timeline, bins: int) -> FacetHistogram | None:
    """Count every record of the timeline by facet and time bin; None without timed records or with too many facets."""
    if bins < 1:
        raise ValueError(f"bins must be at least 1, not {bins}")
    rows = ViewRows(len(timeline))
    facet_count = len(timeline.symbols.facets)
    if facet_count * bins > MAX_FACET_CELLS:
        return None
    counted = _count_over_own_range(timeline, rows, bins, np.arange(facet_count, dtype=np.int64), facet_count)
    if counted is None:
        return None
    (start, end), counts = counted
    return FacetHistogram(
        start=start,
        end=end,
        rows=len(rows),
        counts=counts.reshape(facet_count, bins),
        bands=_facet_bands(timeline)[:facet_count],
    )


def _count_over_own_range(
    timeline: Timeline, rows: Rows, bins: int, key_of_facet: np.ndarray, keys: int
) -> tuple[tuple[int, int], np.ndarray] | None:
    """((start, end), counts) over the range of the rows' own times; None when no row has a time.

    The range is guessed from the first and last timed rows and the counting
    pass checks it; only when a time falls outside it is the range measured
    and the rows counted again.
    """
    guess = _end_times(timeline, rows)
    if guess is None:
        return None
    counts = _count(timeline, rows, bins, *guess, key_of_facet, keys)
    if counts is None:
        guess = _time_range(timeline, rows)
        counts = _count(timeline, rows, bins, *guess, key_of_facet, keys)
        assert counts is not None, "the measured range holds every time"
    return guess, counts


def _count(
    timeline: Timeline, rows: Rows, bins: int, start: int, end: int, key_of_facet: np.ndarray, keys: int, clip: bool = False
) -> np.ndarray | None:
    """Counts per (key, bin), flat, for bins over ``[start, end)``, a row's key being ``key_of_facet[its facet]``.

    None when a time is outside the range, unless ``clip``: such rows are then left out.
    """
    span = end - start
    # (time - start) * bins is exact in int64 unless the times are absurdly far apart.
    exact = span < _INT64_MAX // bins
    counts = np.zeros(keys * bins, dtype=np.int64)
    key_base = key_of_facet * bins
    for times, facets in _blocks(timeline, rows):
        offsets = times - start
        inside = times != NO_TIME
        if clip:
            inside &= (offsets >= 0) & (offsets < span)
        if not bool(inside.all()):
            offsets, facets = offsets[inside], facets[inside]
        if len(offsets) == 0:
            continue
        if int(offsets.min()) < 0 or int(offsets.max()) >= span:
            return None
        if exact:
            offsets *= bins
            offsets //= span
            index = offsets
        else:
            index = np.minimum((offsets * (bins / span)).astype(np.int64), bins - 1)
        # Facets appended after the table was taken (a timeline still loading) are left out.
        known = facets < len(key_base)
        if not bool(known.all()):
            index, facets = index[known], facets[known]
        index += key_base[facets]
        counts += np.bincount(index, minlength=keys * bins)
    return counts


def _time_range(timeline: Timeline, rows: Rows) -> tuple[int, int]:
    """``(first time, one past the last time)`` of the timed rows, which must exist."""
    low, high = _INT64_MAX, NO_TIME
    for times, _ in _blocks(timeline, rows):
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


def _blocks(timeline: Timeline, rows: Rows) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(times, facet codes) of ``rows``, ``BLOCK_ROWS`` at a time.

    Every row in arrival order is read by slicing the columns, which is
    several times faster than looking each row up.
    """
    every_row = isinstance(rows, ViewRows) and rows.sequence is None and rows.keep is None
    facets = timeline.facet.values
    for start in range(0, len(rows), BLOCK_ROWS):
        stop = min(start + BLOCK_ROWS, len(rows))
        if every_row:
            yield timeline.times(start, stop), facets[start:stop]
        else:
            block = rows[start:stop]
            yield timeline.times_at(block), facets[block]
