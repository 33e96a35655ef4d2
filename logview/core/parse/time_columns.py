"""A record's time from its text: the bulk parser's polars expressions and one record's plain-Python reading.

The two readings must give the same milliseconds for the same text
(tests/unit/test_newest.py holds them to each other), so they live side by
side: ``time_expr`` and ``json_time_expr`` for polars, ``log_time`` and
``json_time`` for CPython. Only the first two import polars: the first frame
reads its records before polars is loaded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from logview.core.parse.format_string import LogFormat
from logview.core.parse.json_lines import TIME_KEYS, first_key
from logview.core.record import NO_TIME, Record
from logview.core.zones import HOUR_MS, QUARTER_MS, local_offset, naive_times_in_utc, wall_offsets, wall_to_utc, zone_name_offset

#: A step back of the wall clock smaller than this is records written slightly out of order (several processes
#: writing one file), not the clock set back: that steps back by up to an hour.
STEP_BACK_MS = 60_000

if TYPE_CHECKING:
    import polars as pl

    from logview.core.parse.detect import Format

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)
_ZONE_NAME = re.compile(r" ?([A-Za-z][A-Za-z0-9_+-]*)$")
#: The date formats most logs use, and the stamps of exactly their shape, which datetime.fromisoformat reads
#: as strptime does: strptime's first call costs 6 ms (it builds its regexes), a first frame's whole budget.
_ISO_DATE_FORMATS = {"%Y-%m-%d %H:%M:%S": " ", "%Y-%m-%dT%H:%M:%S": "T"}
_ISO_STAMP = re.compile(r"\d{4}-\d\d-\d\d[ T](?:[01]\d|2[0-3]):\d\d:\d\d", re.ASCII)
#: The time forms the bulk parser reads from a JSON record (json_time_exprs): ISO with T or a space, a
#: fraction after a dot (or three digits after a comma, as logging writes asctime), then Z, an offset or nothing.
_AWARE_ISO = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_JSON_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?|\ \d{2}:\d{2}:\d{2}(?:\.\d+|,\d{3})?)(?:Z|[+-]\d{2}:?\d{2})?$")


def reads_wall_clock(log_format: LogFormat) -> bool:
    """Whether the format's times are wall-clock times, read in a zone (local, or UTC): no offset is written."""
    date = log_format.date
    return date is not None and not date.has_offset and "asctime" in log_format.names


def time_exprs(log_format: LogFormat, captured: list[str], year: int, field: Callable[[str], pl.Expr]) -> list[pl.Expr]:
    """The records' time from the captured fields of their first lines: none when the format has no time.

    ``_time`` is ms: UTC when the text says the offset (``%z``, ``created``),
    else as written; ``_offset``, when the format may write a zone name, is
    the offset (ms east) its name means, null where it says none.
    """
    import polars as pl

    date = log_format.date
    if "asctime" in captured and date is not None:
        text = field("asctime")
        chrono = date.chrono
        offset = None
        if date.has_zone_name:
            offset = text.str.extract(_ZONE_NAME.pattern, 1).map_batches(_zone_offsets, return_dtype=pl.Int64)
            text = text.str.replace(_ZONE_NAME.pattern, "")
        if not date.has_date:
            text = pl.lit("1970-01-01 ") + text
            chrono = "%Y-%m-%d " + chrono
        elif not date.has_year:
            text = pl.lit(f"{year} ") + text
            chrono = "%Y " + chrono
        msecs = field("msecs").cast(pl.Float64, strict=False).cast(pl.Int64) if "msecs" in captured else None
        if date.msec_suffix:
            # logging's default: parse the seconds with polars' cache of distinct values (many records
            # share a second), add the milliseconds default_msec_format wrote after them (",mmm", ".mmm", or none).
            fraction = text.str.slice(20, 3).cast(pl.Int64, strict=False)
            if msecs is not None:
                fraction = fraction.fill_null(msecs)
            seconds = text.str.slice(0, 19).str.to_datetime(chrono, time_unit="ms", strict=False, cache=True)
            millis = seconds.cast(pl.Int64) + fraction.fill_null(0)
        else:
            millis = text.str.strptime(pl.Datetime("ms"), chrono, strict=False).cast(pl.Int64)
            if msecs is not None and not date.has_fraction:
                millis = millis + msecs.fill_null(0)
        return [millis.alias("_time")] if offset is None else [millis.alias("_time"), offset.alias("_offset")]
    if "created" in captured:
        return [(field("created").cast(pl.Float64, strict=False) * 1000).round().cast(pl.Int64).alias("_time")]
    return []


def _zone_offsets(names: pl.Series) -> pl.Series:
    """The offsets (ms) the zone names of a chunk mean: each distinct name looked up once."""
    import polars as pl

    distinct = names.drop_nulls().unique().to_list()
    return names.replace_strict(distinct, [zone_name_offset(name) for name in distinct], default=None, return_dtype=pl.Int64)


def json_time_exprs(raw_time: pl.Expr) -> list[pl.Expr]:
    """``_time`` and ``_offset`` of JSON records from their time key's text: ISO forms, or seconds since the epoch.

    ``_offset`` is 0 where the text says UTC or an offset (the time is then
    UTC already), null where it is wall-clock time.
    """
    import polars as pl

    numeric = raw_time.cast(pl.Float64, strict=False)
    aware = pl.coalesce(
        [
            raw_time.str.to_datetime("%Y-%m-%dT%H:%M:%S%.fZ", time_unit="ms", strict=False).cast(pl.Int64),
            raw_time.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%z", time_unit="ms", strict=False).cast(pl.Int64),
            (numeric * 1000).round().cast(pl.Int64),
        ]
    )
    naive = pl.coalesce(
        [
            raw_time.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", time_unit="ms", strict=False),
            raw_time.str.to_datetime("%Y-%m-%d %H:%M:%S,%3f", time_unit="ms", strict=False),
            raw_time.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="ms", strict=False),
            raw_time.str.to_datetime("%Y-%m-%d %H:%M:%S", time_unit="ms", strict=False),
        ]
    ).cast(pl.Int64)
    return [pl.coalesce([aware, naive]).alias("_time"), pl.when(aware.is_not_null()).then(pl.lit(0, pl.Int64)).alias("_offset")]


def log_time(fields: dict[str, str], log_format: LogFormat, year: int) -> int:
    """One record's time (UTC ms) from the fields of its first line, as ``time_exprs`` and the index read it; NO_TIME without one.

    A time read from the wall clock in the hour written twice is read in
    its first pass: :func:`settle_second_pass` moves those after the step back.
    """
    date = log_format.date
    stamp = fields.get("asctime")
    if stamp is not None and date is not None:
        datefmt = date.datefmt.replace("%e", "%d")
        offset: int | None = None
        if date.has_zone_name:
            name = _ZONE_NAME.search(stamp)
            offset = zone_name_offset(name[1]) if name is not None else None
            stamp = _ZONE_NAME.sub("", stamp)
            datefmt = _ZONE_NAME.sub("", datefmt.replace("%Z", "ZONE"))
        if not date.has_date:
            stamp, datefmt = "1970-01-01 " + stamp, "%Y-%m-%d " + datefmt
        elif not date.has_year:
            stamp, datefmt = f"{year} " + stamp, "%Y " + datefmt
        msecs = _msecs(fields.get("msecs"))
        millis = 0
        if date.msec_suffix:
            # default_msec_format's milliseconds after the seconds: ",mmm", ".mmm" or none.
            stamp, fraction = stamp[:19], stamp[20:23]
            if fraction:
                if not fraction.isdigit():
                    return NO_TIME
                millis = int(fraction)
            elif msecs is not None:
                millis = msecs
        elif msecs is not None and not date.has_fraction:
            millis = msecs
        moment = strptime_millis(stamp, datefmt)
        if moment is None:
            return NO_TIME
        millis += moment
        if date.has_offset:
            return millis
        if offset is not None:
            return millis - offset
        return millis if date.written_in_utc else _from_wall_clock(millis)
    created = fields.get("created")
    if created is not None:
        try:
            return round(float(created) * 1000)
        except ValueError:
            return NO_TIME
    return NO_TIME


def _msecs(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(float(text))
    except ValueError:
        return None


def _from_wall_clock(millis: int) -> int:
    """A time as written without an offset, in UTC: read in the local zone unless told it was written in UTC."""
    return millis if naive_times_in_utc() else wall_to_utc(millis)


def settle_second_pass(records: list[Record], log_format: Format | None) -> list[Record]:
    """Records of one input in file order, those after the wall clock stepped back in the hour written twice moved to its second pass.

    The plain-Python side of wall_clock.WallClock.settle, for the few records
    of the first frame: see :func:`settled_times`.
    """
    times = settled_times([record.time for record in records], [record.text for record in records], log_format)
    return [record if record.time == time else record._replace(time=time) for record, time in zip(records, times, strict=True)]


def settled_times(times: list[int], texts: Sequence[str], log_format: Format | None) -> list[int]:
    """The times of one input's records in file order, those after the wall clock stepped back in the hour written twice
    moved to its second pass (``texts``: each record's text, or at least its first line).

    Only records whose times were read from the wall clock in the local zone
    can be in such an hour.
    """
    if not _local_wall_clock(log_format):
        return times
    hours: dict[int, tuple[int, bool]] = {}
    local = _LocalHours()
    settled = []
    for utc, text in zip(times, texts, strict=True):
        if utc != NO_TIME:
            offset, twice = local.of(utc)
            if twice and (isinstance(log_format, LogFormat) or _json_wall_clock(text)):
                wall = utc + offset
                hour = wall // HOUR_MS
                latest, stepped = hours.get(hour, (wall, False))
                stepped = stepped or wall < latest - STEP_BACK_MS
                hours[hour] = (max(latest, wall), stepped)
                if stepped:
                    utc = wall - wall_offsets(hour)[1]
        settled.append(utc)
    return settled


def in_hour_written_twice(times: Sequence[int], texts: Sequence[str], log_format: Format | None) -> bool:
    """Whether any of these times (an input's, ``texts`` their records') may lie in an hour the local clock wrote twice:
    which pass of it a record is in is then known only from the records before it (settled_times)."""
    if not _local_wall_clock(log_format):
        return False
    local = _LocalHours()
    return any(
        utc != NO_TIME and local.of(utc)[1] and (isinstance(log_format, LogFormat) or _json_wall_clock(text))
        for utc, text in zip(times, texts, strict=True)
    )


def _local_wall_clock(log_format: Format | None) -> bool:
    """Whether a format's times may be read from the local wall clock (none written with an offset or a zone)."""
    if log_format is None or naive_times_in_utc():
        return False
    if isinstance(log_format, LogFormat):
        date = log_format.date
        return reads_wall_clock(log_format) and date is not None and not date.written_in_utc and not date.has_zone_name
    return True


class _LocalHours:
    """The local offset at a UTC time, and whether its wall-clock hour is written twice, per quarter hour of UTC (records
    come mostly in order: one look-up each)."""

    def __init__(self) -> None:
        self._quarters: dict[int, tuple[int, bool]] = {}

    def of(self, utc: int) -> tuple[int, bool]:
        quarter = utc // QUARTER_MS
        known = self._quarters.get(quarter)
        if known is None:
            offset = local_offset(utc)
            first, second = wall_offsets((utc + offset) // HOUR_MS)
            known = self._quarters[quarter] = (offset, second < first)
        return known


def _json_wall_clock(text: str) -> bool:
    """Whether a JSON record's time was written without an offset (it is then read from the local wall clock)."""
    try:
        obj = json.loads(text.split("\n", 1)[0])
    except ValueError:
        return False
    value = first_key(obj, TIME_KEYS) if isinstance(obj, dict) else None
    return isinstance(value, str) and _JSON_TIME.match(value) is not None and _AWARE_ISO.search(value) is None


def json_time(value: object) -> int:
    """One JSON record's time (UTC ms) from its time key's value, as ``json_time_exprs`` reads it."""
    if value is None or isinstance(value, bool):
        return NO_TIME
    text = str(value)
    if _JSON_TIME.match(text):
        try:
            moment = datetime.fromisoformat(text.replace(",", "."))
        except ValueError:
            return NO_TIME
        return millis_of(moment) if moment.tzinfo is not None else _from_wall_clock(millis_of(moment))
    try:
        return round(float(text) * 1000)
    except ValueError:
        return NO_TIME


@lru_cache(maxsize=1 << 14)
def strptime_millis(text: str, fmt: str) -> int | None:
    """``datetime.strptime(text, fmt)`` in ms, without strptime for the common ISO shapes; None if it does not fit.

    A stamp is read once (records written in the same second share it);
    an ISO stamp's date once per day written (a log holds few), its time of
    day from its digits: a fifth of the cost of a datetime.
    """
    separator = _ISO_DATE_FORMATS.get(fmt)
    if separator is not None and _ISO_STAMP.fullmatch(text) and text[10] == separator:
        day = _day_millis(text[:10])
        minute, second = int(text[14:16]), int(text[17:19])
        if day is None or minute > 59 or second > 59:
            return None  # as strptime and fromisoformat refuse it
        return day + int(text[11:13]) * HOUR_MS + minute * 60_000 + second * 1000
    try:
        moment = datetime.strptime(text, fmt)
    except ValueError:
        return None
    return millis_of(moment)


#: date(1970, 1, 1).toordinal()
_EPOCH_ORDINAL = 719_163


@lru_cache(maxsize=4096)
def _day_millis(text: str) -> int | None:
    """The start of an ISO date (``2024-03-01``) in ms since the epoch, as if UTC; None when there is no such day."""
    try:
        return (date.fromisoformat(text).toordinal() - _EPOCH_ORDINAL) * 86_400_000
    except ValueError:
        return None


def millis_of(moment: datetime) -> int:
    """Milliseconds since the epoch, a naive time taken as written (as if UTC), truncated as the index truncates."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MILLISECOND
