"""One record's fields from its text, in Python, as the bulk parser would index them.

The bulk parser (polars) reads millions of lines; the first screen needs a few
dozen before polars is even loaded. This reads those few with CPython's ``re``
and ``datetime``, giving the same time, level, logger and process as the
index would: tests/unit/test_newest.py holds the two to each other.
"""

from __future__ import annotations

import contextlib
import json
import re
from datetime import UTC, datetime, timedelta

from logview.core.parse.detect import Format
from logview.core.parse.format_set import FormatSet
from logview.core.parse.format_string import LogFormat
from logview.core.parse.json_lines import LEVEL_KEYS, LOGGER_KEYS, PID_KEYS, PROCESS_NAME_KEYS, TIME_KEYS, first_key, json_message
from logview.core.record import NO_TIME, Record, level_name, level_number

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)
_ZONE_NAME = re.compile(r" ?[A-Za-z][A-Za-z0-9_+-]*$")
#: The date formats most logs use, and the stamps of exactly their shape, which datetime.fromisoformat reads
#: as strptime does: strptime's first call costs 6 ms (it builds its regexes), a first frame's whole budget.
_ISO_DATE_FORMATS = {"%Y-%m-%d %H:%M:%S": " ", "%Y-%m-%dT%H:%M:%S": "T"}
_ISO_STAMP = re.compile(r"\d{4}-\d\d-\d\d[ T](?:[01]\d|2[0-3]):\d\d:\d\d", re.ASCII)
#: The time forms the bulk parser reads from a JSON record (chunk_parser._extract_json): ISO with T or a space, a
#: fraction after a dot (or three digits after a comma, as logging writes asctime), then Z, an offset or nothing.
_JSON_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?|\ \d{2}:\d{2}:\d{2}(?:\.\d+|,\d{3})?)(?:Z|[+-]\d{2}:?\d{2})?$")


def parse_record(lines: list[str], log_format: Format | None, source: str, year: int) -> Record:
    """The record whose first line is ``lines[0]`` (the others continue it), with its indexed fields."""
    text = "\n".join(lines)
    if isinstance(log_format, FormatSet):
        # The fields, and the date format of the time, of the format that wrote the line.
        log_format = log_format.reading(lines[0]) or log_format.primary
    if isinstance(log_format, LogFormat):
        fields = log_format.match(lines[0]) or {}
        message = "\n".join([fields.get("message", ""), *lines[1:]]) if fields else text
        time = _log_time(fields, log_format, year)
        level = fields.get("levelname")
        levelno = _int(fields.get("levelno"))
        if level is None and levelno is not None:
            level = level_name(levelno)
        pid = _int(fields.get("process"))
        logger = fields.get("name")
        process_name = fields.get("processName")
    elif log_format is not None:
        obj = _json_object(lines[0])
        fields, message = _json_fields(obj, lines)
        time = _json_time(first_key(obj, TIME_KEYS))
        level = _text(first_key(obj, LEVEL_KEYS))
        levelno = None
        logger = _text(first_key(obj, LOGGER_KEYS))
        pid = _int(_text(first_key(obj, PID_KEYS)))
        process_name = _text(first_key(obj, PROCESS_NAME_KEYS))
    else:
        fields, message, time, level, levelno, logger, pid, process_name = {}, text, NO_TIME, None, None, None, None, None
    if process_name and "processName" not in fields:
        fields["processName"] = process_name
    number = level_number(level) if level is not None else None
    return Record(
        time=time,
        level=level,
        levelno=number if number is not None else levelno,
        logger=logger,
        pid=pid,
        message=message,
        source=source,
        line=0,
        text=text,
        fields=fields,
    )


def is_first_line(line: str, log_format: Format | None) -> bool:
    """Whether ``line`` starts a record (else it continues the one before, as a traceback does)."""
    if isinstance(log_format, LogFormat):
        return log_format.compiled.match(line) is not None
    if isinstance(log_format, FormatSet):
        return log_format.reading(line) is not None
    if log_format is not None:
        stripped = line.strip()
        return stripped.startswith("{") and stripped.endswith("}")
    return True


def _log_time(fields: dict[str, str], log_format: LogFormat, year: int) -> int:
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
        moment = _strptime(stamp, datefmt)
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


def _strptime(text: str, fmt: str) -> int | None:
    separator = _ISO_DATE_FORMATS.get(fmt)
    try:
        if separator is not None and _ISO_STAMP.fullmatch(text) and text[10] == separator:
            moment = datetime.fromisoformat(text)
        else:
            moment = datetime.strptime(text, fmt)
    except ValueError:
        return None
    return _millis(moment)


def _millis(moment: datetime) -> int:
    """Milliseconds since the epoch, a naive time taken as written (UTC), truncated as the index truncates."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MILLISECOND


def _json_object(line: str) -> dict[str, object]:
    try:
        value = json.loads(line)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _json_fields(obj: dict[str, object], lines: list[str]) -> tuple[dict[str, str], str]:
    """The fields and message as the viewer shows a JSON record, as records.RecordReader does for indexed rows."""
    if not obj:
        return {}, "\n".join(lines)
    message, fields = json_message(obj, lines)
    return fields, message


def _json_time(value: object) -> int:
    if value is None or isinstance(value, bool):
        return NO_TIME
    text = str(value)
    if _JSON_TIME.match(text):
        try:
            return _millis(datetime.fromisoformat(text.replace(",", ".")))
        except ValueError:
            return NO_TIME
    try:
        return round(float(text) * 1000)
    except ValueError:
        return NO_TIME


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value) if isinstance(value, dict | list) else str(value)


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None
