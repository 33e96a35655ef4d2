"""Where each record sorts in the merged timeline: its time, or for a record without one, its file's place.

A record without a time (free text between records, a format without
``asctime``) was still written at some moment, between the records around
it in its own file: it takes the time of the timed record before it in its
file, and the first ones the time of the first, so that merging never moves
it away from its neighbours. A rotation set is one history: a generation
without any time takes the last time of the generation before it (or the
first of the one after). A file with no time at all is placed where it was
written: its records take the time its text was last written (the
modification time, kept as the base of each of its batches), in file order.

Keys are estimates only for records without a time: the records' own times
(shown, printed, searched) are never changed here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from logview.core.index.key_rules import keys_before_first_time
from logview.core.index.snapshot import NO_DELTA, TimelineSnapshot
from logview.core.record import NO_TIME

__all__ = ["block_keys", "fill_times", "start_keys"]


def start_keys(snapshot: TimelineSnapshot, rotation_sets: Sequence[str]) -> dict[int, int]:
    """The key of each source's records before its first timed one (``rotation_sets``: each source's set, by source id).

    The time of its first timed record; for a source without one, the last
    time of the nearest older generation of its rotation set that has one,
    else the first time of the nearest newer one; NO_TIME when the whole
    set has no time (its records then sort by when they were written).
    """
    return keys_before_first_time(*_time_bounds(snapshot), rotation_sets)


def block_keys(snapshot: TimelineSnapshot, start: int, stop: int, carry: dict[int, int], single_source: int | None) -> np.ndarray:
    """Sort keys of rows ``start:stop``; ``carry`` (source id -> last key so far) is read and moved on.

    ``single_source``: the one source of the timeline, if there is only one
    (its rows need not be told apart).
    """
    times = snapshot.times(start, stop)
    if len(times) == 0:
        return times
    if single_source is not None:
        keys, carry[single_source] = fill_times(times, carry.get(single_source, NO_TIME))
    else:
        first, last = snapshot.batch_of(np.array([start, stop - 1]))
        # Rows lie in their batches in runs: each row's source is its batch's repeated, and the sources are the batches'.
        runs = np.diff(snapshot.batch_first_row[first + 1 : last + 1] - start, prepend=0, append=len(times))
        row_sources = np.repeat(snapshot.batch_source[first : last + 1], runs)
        keys = np.empty_like(times)
        for source_id in np.unique(snapshot.batch_source[first : last + 1]).tolist():
            picked = np.flatnonzero(row_sources == source_id)
            keys[picked], carry[source_id] = fill_times(times[picked], carry.get(source_id, NO_TIME))
    untimed = np.flatnonzero(keys == NO_TIME)
    if len(untimed):
        # Only rows of a file (or rotation set) without any time are left: they sort where their text was written.
        keys[untimed] = snapshot.batch_base[snapshot.batch_of(untimed + start)]
    return keys


def fill_times(times: np.ndarray, carry: int) -> tuple[np.ndarray, int]:
    """Forward-fill missing times from ``carry``; returns the keys and the last key.

    With no ``carry``, the untimed rows before the first timed one take its
    time; rows with none to take stay NO_TIME.
    """
    if len(times) == 0:
        return times, carry
    valid = times != NO_TIME
    if bool(valid.all()):
        return times, int(times[-1])
    if carry == NO_TIME and bool(valid.any()):
        carry = int(times[np.argmax(valid)])
    index = np.where(valid, np.arange(len(times)), -1)
    np.maximum.accumulate(index, out=index)
    filled = np.where(index >= 0, times[np.maximum(index, 0)], carry)
    return filled, int(filled[-1])


def _time_bounds(snapshot: TimelineSnapshot) -> tuple[dict[int, int], dict[int, int]]:
    """The time of each source's first and of its last timed record, in arrival order.

    Batches are visited from each end until every source is found: a few
    batches' deltas, not the whole timeline.
    """
    stops = snapshot.batch_stops()
    sources = snapshot.batch_source.tolist()
    firsts: dict[int, int] = {}
    lasts: dict[int, int] = {}
    for found, batches, pick in ((firsts, range(len(sources)), 0), (lasts, range(len(sources) - 1, -1, -1), -1)):
        for batch in batches:
            source_id = sources[batch]
            if source_id in found:
                continue
            deltas = snapshot.delta[int(snapshot.batch_first_row[batch]) : stops[batch]]
            timed = np.flatnonzero(deltas != NO_DELTA)
            if len(timed):
                found[source_id] = int(snapshot.batch_base[batch]) + int(deltas[timed[pick]])
    return firsts, lasts
