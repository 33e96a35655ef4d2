"""A record's time from its text: the bulk parser's polars expressions and one record's plain-Python reading.

The two readings must give the same milliseconds for the same text
(tests/unit/test_newest.py holds them to each other), so they live side by
side: ``time_expr`` and ``json_time_expr`` for polars, ``log_time`` and
``json_time`` for CPython. Only the first two import polars: the first frame
reads its records before polars is loaded.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from logview.core.parse.format_string import LogFormat
from logview.core.record import NO_TIME

if TYPE_CHECKING:
    import polars as pl

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)
_ZONE_NAME = re.compile(r" ?[A-Za-z][A-Za-z0-9_+-]*$")
#: The date formats most logs use, and the stamps of exactly their shape, which datetime.fromisoformat reads
#: as strptime does: strptime's first call costs 6 ms (it builds its regexes), a first frame's whole budget.
_ISO_DATE_FORMATS = {"%Y-%m-%d %H:%M:%S": " ", "%Y-%m-%dT%H:%M:%S": "T"}
_ISO_STAMP = re.compile(r"\d{4}-\d\d-\d\d[ T](?:[01]\d|2[0-3]):\d\d:\d\d", re.ASCII)
#: The time forms the bulk parser reads from a JSON record (json_time_expr): ISO with T or a space, a
#: fraction after a dot (or three digits after a comma, as logging writes asctime), then Z, an offset or nothing.
_JSON_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?|\ \d{2}:\d{2}:\d{2}(?:\.\d+|,\d{3})?)(?:Z|[+-]\d{2}:?\d{2})?$")


def time_expr(log_format: LogFormat, captured: list[str], year: int, field: Callable[[str], pl.Expr]) -> pl.Expr | None:
    """The records' time (ms) from the captured fields of their first lines, or None when the format has no time."""
    import polars as pl

    date = log_format.date
    if "asctime" in captured and date is not None:
        text = field("asctime")
        chrono = date.chrono
        if date.has_zone_name:
            text = text.str.replace(r" ?[A-Za-z][A-Za-z0-9_+-]*$", "")
        if not date.has_date:
            text = pl.lit("1970-01-01 ") + text
            chrono = "%Y-%m-%d " + chrono
        elif not date.has_year:
            text = pl.lit(f"{year} ") + text
            chrono = "%Y " + chrono
        if chrono.endswith(",%3f"):
            # logging's default ",mmm": parse the seconds with polars' cache of
            # distinct values (many records share a second), add the milliseconds.
            seconds = text.str.slice(0, text.str.len_chars() - 4)
            millis = seconds.str.to_datetime(chrono[:-4], time_unit="ms", strict=False, cache=True).cast(pl.Int64) + text.str.slice(
                -3
            ).cast(pl.Int64, strict=False)
        else:
            millis = text.str.strptime(pl.Datetime("ms"), chrono, strict=False).cast(pl.Int64)
        if "msecs" in captured and not date.has_fraction:
            millis = millis + field("msecs").cast(pl.Float64, strict=False).fill_null(0).cast(pl.Int64)
        return millis
    if "created" in captured:
        return (field("created").cast(pl.Float64, strict=False) * 1000).round().cast(pl.Int64)
    return None


def json_time_expr(raw_time: pl.Expr) -> pl.Expr:
    """The time (ms) of JSON records from their time key's text: ISO forms, or seconds since the epoch."""
    import polars as pl

    numeric = raw_time.cast(pl.Float64, strict=False)
    parsed = pl.coalesce(
        [
            raw_time.str.to_datetime("%Y-%m-%dT%H:%M:%S%.fZ", time_unit="ms", strict=False),
            raw_time.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%z", time_unit="ms", strict=False).dt.replace_time_zone(None),
            raw_time.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", time_unit="ms", strict=False),
            raw_time.str.to_datetime("%Y-%m-%d %H:%M:%S,%3f", time_unit="ms", strict=False),
            raw_time.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="ms", strict=False),
            raw_time.str.to_datetime("%Y-%m-%d %H:%M:%S", time_unit="ms", strict=False),
        ]
    ).cast(pl.Int64)
    return pl.coalesce([parsed, (numeric * 1000).round().cast(pl.Int64)])


def log_time(fields: dict[str, str], log_format: LogFormat, year: int) -> int:
    """One record's time (ms) from the fields of its first line, as ``time_expr`` reads it; NO_TIME without one."""
    date = log_format.date
    stamp = fields.get("asctime")
    if stamp is not None and date is not None:
        datefmt = date.datefmt.replace("%e", "%d")
        if date.has_zone_name:
            stamp = _ZONE_NAME.sub("", stamp)
            datefmt = _ZONE_NAME.sub("", datefmt.replace("%Z", "ZONE"))
        if not date.has_date:
            stamp, datefmt = "1970-01-01 " + stamp, "%Y-%m-%d " + datefmt
        elif not date.has_year:
            stamp, datefmt = f"{year} " + stamp, "%Y " + datefmt
        millis = 0
        if datefmt.endswith(",%03d"):
            # logging's default ",mmm" after the seconds.
            stamp, millis_text, datefmt = stamp[:-4], stamp[-3:], datefmt[:-5]
            if not millis_text.isdigit():
                return NO_TIME
            millis = int(millis_text)
        moment = strptime_millis(stamp, datefmt)
        if moment is None:
            return NO_TIME
        millis += moment
        msecs = fields.get("msecs")
        if msecs is not None and not date.has_fraction:
            with contextlib.suppress(ValueError):
                millis += int(float(msecs))
        return millis
    created = fields.get("created")
    if created is not None:
        try:
            return round(float(created) * 1000)
        except ValueError:
            return NO_TIME
    return NO_TIME


def json_time(value: object) -> int:
    """One JSON record's time (ms) from its time key's value, as ``json_time_expr`` reads it."""
    if value is None or isinstance(value, bool):
        return NO_TIME
    text = str(value)
    if _JSON_TIME.match(text):
        try:
            return millis_of(datetime.fromisoformat(text.replace(",", ".")))
        except ValueError:
            return NO_TIME
    try:
        return round(float(text) * 1000)
    except ValueError:
        return NO_TIME


def strptime_millis(text: str, fmt: str) -> int | None:
    """``datetime.strptime(text, fmt)`` in ms, without strptime for the common ISO shapes; None if it does not fit."""
    separator = _ISO_DATE_FORMATS.get(fmt)
    try:
        if separator is not None and _ISO_STAMP.fullmatch(text) and text[10] == separator:
            moment = datetime.fromisoformat(text)
        else:
            moment = datetime.strptime(text, fmt)
    except ValueError:
        return None
    return millis_of(moment)


def millis_of(moment: datetime) -> int:
    """Milliseconds since the epoch, a naive time taken as written (UTC), truncated as the index truncates."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MILLISECOND
