"""The rules of sort keys for records without a time, in plain Python (no numpy): what sort_keys.py applies to columns.

The index (sort_keys.py), the first frame (newest.py) and the small --print
path (small_print.py) place untimed records alike: each takes the time of
the timed record before it in its file, the first ones that of the first;
a file without any time takes its rotation set's neighbours' times.
"""

from __future__ import annotations

from collections.abc import Sequence

from logview.core.record import NO_TIME

__all__ = ["filled_keys", "keys_before_first_time"]


def keys_before_first_time(firsts: dict[int, int], lasts: dict[int, int], rotation_sets: Sequence[str]) -> dict[int, int]:
    """The key of each source's records before its first timed one, by source id (``rotation_sets``: each source's set).

    ``firsts`` and ``lasts``: the time of each source's first and last timed
    record (sources without one are absent). The time of its first timed
    record; for a source without one, the last time of the nearest older
    generation of its rotation set that has one, else the first time of the
    nearest newer one; NO_TIME when the whole set has no time (its records
    then sort by when they were written).
    """
    members_of: dict[str, list[int]] = {}
    for source_id, name in enumerate(rotation_sets):
        members_of.setdefault(name, []).append(source_id)
    starts: dict[int, int] = {}
    for members in members_of.values():
        for position, source_id in enumerate(members):
            if source_id in firsts:
                starts[source_id] = firsts[source_id]
                continue
            older = [lasts[member] for member in members[:position] if member in lasts]
            newer = [firsts[member] for member in members[position + 1 :] if member in firsts]
            starts[source_id] = older[-1] if older else newer[0] if newer else NO_TIME
    return starts


def filled_keys(times: Sequence[int], carry: int) -> list[int]:
    """The merge keys of one source's records in file order: a record's time, or the time of the timed record before it.

    ``carry`` is the key of the first ones; with none (NO_TIME), the first
    time of theirs. A source with no time at all keeps NO_TIME.
    """
    if carry == NO_TIME:
        carry = next((time for time in times if time != NO_TIME), NO_TIME)
    keys = []
    for time in times:
        if time != NO_TIME:
            carry = time
        keys.append(carry)
    return keys
