"""Find the first shown record at or after a moment, without reading every record's time.

The rows of a view are in time order (the merge's order), so a binary search
that reads one time per probe finds a moment among 10 million rows in about
24 reads. Records without a time sort with the timed record before them, so a
probe that lands on one reads forward to the next timed record.
"""

from __future__ import annotations

import numpy as np

from logview.core.index.timeline import Timeline
from logview.core.record import NO_TIME
from logview.core.view_rows import Rows

#: Untimed rows read forward from a probe before it counts as "before everything".
PROBE_WINDOW = 64


def first_at_or_after(timeline: Timeline, rows: Rows, moment: int) -> int:
    """The index into ``rows`` of the first record at or after ``moment`` (ms); len(rows) if none."""
    low, high = 0, len(rows)
    while low < high:
        middle = (low + high) // 2
        if _time_from(timeline, rows, middle) < moment:
            low = middle + 1
        else:
            high = middle
    return low


def _time_from(timeline: Timeline, rows: Rows, index: int) -> int:
    window = rows[index : index + PROBE_WINDOW]
    times = timeline.times_at(window.astype(np.int64))
    timed = np.flatnonzero(times != NO_TIME)
    return int(times[timed[0]]) if len(timed) else NO_TIME
