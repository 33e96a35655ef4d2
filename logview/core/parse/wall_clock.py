"""Times written without an offset, read as true UTC: a chunk at a time, Python touching each distinct hour once.

A logger with the default converter writes local wall-clock time. Each
distinct hour of a chunk gets its offsets from :mod:`logview.core.zones`
(a table over the chunk's range of hours, or the distinct hours when the
range is wide); numpy applies them to every record.

When the clock is set back, an hour is written twice (Europe/Berlin,
2024-10-27 02:00–03:00). Its records keep their file order: they are read
in the first pass until the wall clock steps back, and in the second pass
from there on. Whether it has stepped back is known only in file order,
across chunks that are parsed side by side, so :class:`WallClock` notes the
records of such an hour (:class:`TwiceWritten`) and :meth:`TwiceWritten.settle`
moves them once their chunk is appended to the timeline, in file order.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from logview.core.parse.time_columns import STEP_BACK_MS
from logview.core.record import NO_TIME
from logview.core.zones import HOUR_MS, naive_times_in_utc, wall_offsets

#: Hours of a chunk's range up to which offsets are looked up for the whole range; a wider one looks up its distinct hours.
RANGE_HOURS = 4096

__all__ = ["TwiceWritten", "WallClock"]


@dataclass(slots=True)
class TwiceWritten:
    """The records of a chunk whose wall-clock hour was written twice: read in the first pass until settled."""

    clock: WallClock
    #: Their index among the chunk's records, wall-clock time (ms as written) and the shift to the second pass (ms).
    records: np.ndarray
    wall: np.ndarray
    shift: np.ndarray

    def settle(self, times: np.ndarray) -> None:
        """Move the records written after the clock stepped back to the second pass; called in file order."""
        self.clock.settle(self, times)


class WallClock:
    """Reads one source's wall-clock times as UTC, in the local zone or in UTC (``written_in_utc``)."""

    def __init__(self, written_in_utc: bool = False) -> None:
        self.written_in_utc = written_in_utc or naive_times_in_utc()
        #: Per hour written twice, in file order so far: the latest wall-clock time seen, and whether it has stepped back.
        self._hours: dict[int, tuple[int, bool]] = {}
        self._lock = threading.Lock()

    def to_utc(self, times: np.ndarray, offsets: np.ndarray | None = None) -> tuple[np.ndarray, TwiceWritten | None]:
        """UTC ms for ``times`` (ms as written; NO_TIME for none); ``offsets``: those known per record (ms east, NO_TIME where not).

        Thread-safe: it reads the zone's offsets only. The records in an hour
        written twice come back in its first pass, with a :class:`TwiceWritten`
        to settle them.
        """
        naive = times != NO_TIME
        if offsets is not None:
            known = naive & (offsets != NO_TIME)
            naive &= ~known
            times = np.where(known, times - offsets, times)
        if self.written_in_utc or not naive.any():
            return times, None
        wall = times[naive]
        hours = wall // HOUR_MS
        low, high = int(hours.min()), int(hours.max())
        if high - low < RANGE_HOURS:
            distinct = np.arange(low, high + 1, dtype=np.int64)
            slot = hours - low
        else:
            distinct, slot = np.unique(hours, return_inverse=True)
        table = np.array([wall_offsets(int(hour)) for hour in distinct], dtype=np.int64).reshape(-1, 2)
        first, second = table[:, 0], table[:, 1]
        out = times.copy()
        out[naive] = wall - first[slot]
        twice = (second < first)[slot]
        if not twice.any():
            return out, None
        where = np.flatnonzero(naive)[twice]
        return out, TwiceWritten(self, where, wall[twice], (first - second)[slot][twice])

    def settle(self, twice: TwiceWritten, times: np.ndarray) -> None:
        """Move the records of ``twice`` after a step back of their hour to its second pass, remembering where each hour is."""
        with self._lock:
            hours = twice.wall // HOUR_MS
            for hour in np.unique(hours).tolist():
                mine = hours == hour
                wall = twice.wall[mine]
                latest, stepped = self._hours.get(hour, (int(wall[0]), False))
                before = np.maximum.accumulate(np.r_[latest, wall[:-1]])
                second = np.logical_or.accumulate(wall < before - STEP_BACK_MS) | stepped
                rows = twice.records[mine][second]
                times[rows] += twice.shift[mine][second]
                self._hours[hour] = (max(latest, int(wall.max())), bool(second[-1]))
