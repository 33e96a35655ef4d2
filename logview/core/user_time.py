"""Times as a user types them into the viewer: ISO, a time of day, or a distance from the cursor.

``t`` then ``-5m`` goes five minutes back from the record under the cursor,
``+1h`` an hour on, ``12:30`` to half past twelve on the cursor's day: a log
is read around a moment, so that is what a relative time is counted from.
A time without an offset is in the zone times are shown in (local, or UTC
with ``--utc``), as the time beside the cursor is.
"""

from __future__ import annotations

import re

from logview.core.filters import FilterError, parse_time
from logview.core.zones import shown_moment

_RELATIVE = re.compile(r"^([+-])\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$")
_UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}
_TIME_OF_DAY = re.compile(r"^\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?$")


def parse_moment(text: str, reference: int | None) -> int:
    """The moment (ms, the index's unit) that ``text`` names; ``reference`` is the cursor's time, None without one."""
    text = text.strip()
    relative = _RELATIVE.match(text)
    if relative is not None:
        if reference is None:
            raise FilterError(f"{text!r} counts from the cursor's record, which has no time")
        sign, amount, unit = relative.groups()
        distance = round(float(amount) * _UNIT_MS[unit])
        return reference + distance if sign == "+" else reference - distance
    if _TIME_OF_DAY.match(text):
        if reference is None:
            raise FilterError(f"{text!r} is a time of day on the cursor's day, and the cursor's record has no time")
        day = shown_moment(reference)[0].date().isoformat()  # the day shown beside the cursor's record
        text = f"{day}T{text.replace(',', '.')}"
    try:
        return parse_time(text)
    except FilterError:
        raise FilterError(f"invalid time {text!r}: use 2024-03-01T12:00, 12:00, or -5m / +1h / -2d from the cursor") from None
