"""One record's fields from its text, in Python, as the bulk parser would index them.

The bulk parser (polars) reads millions of lines; the first screen needs a few
dozen before polars is even loaded. This reads those few with CPython's ``re``
and ``datetime``, giving the same time, level, logger and process as the
index would: tests/unit/test_newest.py holds the two to each other.
"""

from __future__ import annotations

import json

from logview.core.parse.detect import Format
from logview.core.parse.format_set import FormatSet
from logview.core.parse.format_string import LogFormat
from logview.core.parse.json_lines import (
    LEVEL_KEYS,
    LOGGER_KEYS,
    PID_KEYS,
    PROCESS_NAME_KEYS,
    TIME_KEYS,
    indexed_value,
    json_message,
    value_at,
)
from logview.core.parse.time_columns import json_time, log_time
from logview.core.record import NO_TIME, Record, level_name, level_number


def parse_record(lines: list[str], log_format: Format | None, source: str, year: int) -> Record:
    """The record whose first line is ``lines[0]`` (the others continue it), with its indexed fields."""
    text = "\n".join(lines)
    if isinstance(log_format, FormatSet):
        # The fields, and the date format of the time, of the format that wrote the line.
        log_format = log_format.reading(lines[0]) or log_format.primary
    if isinstance(log_format, LogFormat):
        fields = log_format.match(lines[0]) or {}
        message = "\n".join([fields.get("message", ""), *lines[1:]]) if fields else text
        time = log_time(fields, log_format, year)
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
        time = json_time(indexed_value(obj, TIME_KEYS))
        level = _text(indexed_value(obj, LEVEL_KEYS))
        levelno = None
        logger = _text(indexed_value(obj, LOGGER_KEYS))
        pid = _json_pid(obj)
        process_name = _text(indexed_value(obj, PROCESS_NAME_KEYS))
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


def _json_pid(obj: dict[str, object]) -> int | None:
    """The first spelling of the pid that is an integer, as the bulk parser casts each one (ECS's "process" is an object)."""
    for key in PID_KEYS:
        value = value_at(obj, key)
        if value is None or isinstance(value, bool | dict | list | float):
            continue
        number = _int(str(value))
        if number is not None:
            return number
    return None


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
