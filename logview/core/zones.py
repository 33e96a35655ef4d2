"""Which zone times are read in and shown in: the one place that knows the local zone's offsets.

The index holds true UTC milliseconds, so that records keep their order across
a ``%z`` offset, a change to or from summer time, and files written in
different zones. A time written without an offset or zone is wall-clock time
of the zone it was written in: the viewing machine's (``TZ``), unless the
user says the program logged in UTC (``Formatter.converter = time.gmtime``).
Times are shown in one zone: local, or UTC with ``--utc``.

Offsets are looked up per quarter hour of UTC or per hour of wall-clock time
and kept: what changes them (summer time) changes on the hour or half hour.
No numpy here: the first frame uses this before numpy is loaded.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

__all__ = [
    "local_offset",
    "naive_times_in_utc",
    "read_naive_times_in_utc",
    "show_in_utc",
    "shown_in_utc",
    "shown_moment",
    "wall_offsets",
    "wall_to_utc",
    "zone_name_offset",
]

HOUR_MS = 3_600_000
QUARTER_MS = 900_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)

_settings = {"show_utc": False, "naive_utc": False}


def show_in_utc(utc: bool) -> None:
    """Show times in UTC (``--utc``) rather than in the local zone."""
    _settings["show_utc"] = utc


def shown_in_utc() -> bool:
    return _settings["show_utc"]


def read_naive_times_in_utc(utc: bool) -> None:
    """Read times written without an offset as UTC (``--written-in-utc``) rather than as local time."""
    _settings["naive_utc"] = utc


def naive_times_in_utc() -> bool:
    return _settings["naive_utc"]


class _Offsets:
    """Offsets of the local zone, kept while the zone is the same (a test may change ``TZ`` and call tzset)."""

    def __init__(self) -> None:
        self.names: object = None
        self.at_utc: dict[int, int] = {}
        self.of_wall_hour: dict[int, tuple[int, int]] = {}

    def current(self) -> _Offsets:
        # time.tzset() sets time.tzname anew: an identity test, cheap enough for every record of a first frame.
        if time.tzname is not self.names:
            self.names, self.at_utc, self.of_wall_hour = time.tzname, {}, {}
        return self


_offsets = _Offsets()


def local_offset(utc_ms: int) -> int:
    """The local zone's offset east of UTC (ms) at that moment."""
    offsets = _offsets.current()
    quarter = utc_ms // QUARTER_MS
    offset = offsets.at_utc.get(quarter)
    if offset is None:
        try:
            moment = (_EPOCH + timedelta(milliseconds=quarter * QUARTER_MS)).astimezone()
            shift = moment.utcoffset()
            offset = int(shift.total_seconds() * 1000) if shift is not None else 0
        except (OverflowError, OSError, ValueError):
            offset = 0  # beyond what the platform's localtime reads: shown as UTC
        offsets.at_utc[quarter] = offset
    return offset


def wall_offsets(wall_hour: int) -> tuple[int, int]:
    """The local offsets (ms) of a wall-clock hour (hours since 1970-01-01 00:00 as written): its first and second pass.

    The two differ only in the hour the clock is set back (the hour written
    twice); in the hour skipped when it is set forward, which no logger
    writes, the first is the offset before the change, as Python reads it.
    """
    offsets = _offsets.current()
    found = offsets.of_wall_hour.get(wall_hour)
    if found is None:
        try:
            naive = _NAIVE_EPOCH + timedelta(hours=wall_hour)
            first, second = (_offset_ms(naive.replace(fold=fold).astimezone().utcoffset()) for fold in (0, 1))
        except (OverflowError, OSError, ValueError):
            first = second = 0
        found = offsets.of_wall_hour[wall_hour] = (first, second)
    return found


def wall_to_utc(wall_ms: int, second_pass: bool = False) -> int:
    """A local wall-clock time (ms as written) as UTC ms; ``second_pass`` in the hour written twice."""
    hour = wall_ms // HOUR_MS
    first, second = _offsets.current().of_wall_hour.get(hour) or wall_offsets(hour)  # a first frame calls this per record
    return wall_ms - (second if second_pass and second < first else first)


def shown_moment(utc_ms: int) -> tuple[datetime, int]:
    """A time as shown (a naive datetime in the shown zone) and that zone's offset (ms); OverflowError beyond year 9999."""
    offset = 0 if _settings["show_utc"] else local_offset(utc_ms)
    return _NAIVE_EPOCH + timedelta(milliseconds=utc_ms + offset), offset


def zone_name_offset(name: str) -> int | None:
    """The offset (ms) that a zone name ``%Z`` wrote means, or None when it is not known.

    ``time.strftime("%Z")`` writes the abbreviation of the writer's zone: the
    local zone's own names are read first, then UTC's, then the common
    abbreviations (some, like IST, name several zones: the local zone's
    names go first for that reason).
    """
    if name in ("UTC", "GMT", "Z", "UT"):
        return 0
    standard, summer = time.tzname
    if name == standard:
        return -time.timezone * 1000
    if name == summer and time.daylight:
        return -time.altzone * 1000
    hours = _ABBREVIATIONS.get(name)
    return None if hours is None else round(hours * HOUR_MS)


def _offset_ms(shift: timedelta | None) -> int:
    return int(shift.total_seconds() * 1000) if shift is not None else 0


#: Hours east of UTC of the zone abbreviations most logs carry (the tz database's, where they name one zone).
_ABBREVIATIONS: dict[str, float] = {
    "WET": 0,
    "WEST": 1,
    "BST": 1,
    "IST": 5.5,
    "CET": 1,
    "CEST": 2,
    "MET": 1,
    "MEST": 2,
    "EET": 2,
    "EEST": 3,
    "MSK": 3,
    "PKT": 5,
    "HKT": 8,
    "SGT": 8,
    "AWST": 8,
    "JST": 9,
    "KST": 9,
    "ACST": 9.5,
    "ACDT": 10.5,
    "AEST": 10,
    "AEDT": 11,
    "NZST": 12,
    "NZDT": 13,
    "HST": -10,
    "AKST": -9,
    "AKDT": -8,
    "PST": -8,
    "PDT": -7,
    "MST": -7,
    "MDT": -6,
    "CST": -6,
    "CDT": -5,
    "EST": -5,
    "EDT": -4,
    "AST": -4,
    "ADT": -3,
    "NST": -3.5,
    "NDT": -2.5,
}
