"""One record's fields from its text, in Python, as the bulk parser would index them.

The bulk parser (polars) reads millions of lines; the first screen needs a few
dozen before polars is even loaded. This reads those few with CPython's ``re``
and ``datetime``, giving the same time, level, logger and process as the
index would: tests/unit/test_newest.py holds the two to each other.
"""

from __future__ import annotations

import json
from typing import NamedTuple

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


class Indexed(NamedTuple):
    """What the index keeps of a record, read from its first line: the fields filters and the merge look at."""

    time: int
    level: str | None
    #: The level's number: of its name, else the levelno written beside it.
    levelno: int | None
    logger: str | None
    pid: int | None
    process_name: str | None


NOTHING_INDEXED = Indexed(NO_TIME, None, None, None, None, None)


def parse_record(lines: list[str], log_format: Format | None, source: str, year: int) -> Record:
    """The record whose first line is ``lines[0]`` (the others continue it), with its indexed fields."""
    indexed = indexed_fields(lines[0], log_format, year)
    fields, message = shown_fields(lines, log_format)
    if indexed.process_name and "processName" not in fields:
        fields["processName"] = indexed.process_name
    return Record(
        time=indexed.time,
        level=indexed.level,
        levelno=indexed.levelno,
        logger=indexed.logger,
        pid=indexed.pid,
        message=message,
        source=source,
        line=0,
        text="\n".join(lines),
        fields=fields,
    )


def indexed_fields(line: str, log_format: Format | None, year: int) -> Indexed:
    """The indexed fields of a record whose first line is ``line``, as the bulk parser reads them."""
    if isinstance(log_format, FormatSet):
        # The fields, and the date format of the time, of the format that wrote the line.
        log_format = log_format.reading(line) or log_format.primary
    if isinstance(log_format, LogFormat):
        fields = log_format.match(line)
        if not fields:
            return NOTHING_INDEXED
        level = fields.get("levelname")
        levelno = _int(fields.get("levelno"))
        if level is None and levelno is not None:
            level = level_name(levelno)
        number = level_number(level) if level is not None else None
        return Indexed(
            log_time(fields, log_format, year),
            level,
            number if number is not None else levelno,
            fields.get("name"),
            _int(fields.get("process")),
            fields.get("processName"),
        )
    if log_format is None:
        return NOTHING_INDEXED
    obj = _json_object(line)
    level = _text(indexed_value(obj, LEVEL_KEYS))
    return Indexed(
        json_time(indexed_value(obj, TIME_KEYS)),
        level,
        level_number(level) if level is not None else None,
        _text(indexed_value(obj, LOGGER_KEYS)),
        _json_pid(obj),
        _text(indexed_value(obj, PROCESS_NAME_KEYS)),
    )


def shown_lines(text: bytes) -> list[str]:
    """A record's bytes as the lines it is shown in: invalid UTF-8 replaced, line ends (``\\n``, ``\\r\\n``) taken off."""
    lines = text.decode("utf-8", "replace").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def shown_fields(lines: list[str], log_format: Format | None) -> tuple[dict[str, str], str]:
    """A record's fields and message as it is shown and printed, from its lines (the first one read by ``log_format``)."""
    if isinstance(log_format, FormatSet) and lines:
        log_format = log_format.reading(lines[0]) or log_format.primary
    if isinstance(log_format, LogFormat) and lines:
        fields = log_format.match(lines[0])
        if fields is not None:
            return fields, "\n".join([fields.get("message", ""), *lines[1:]])
    elif log_format is not None and lines:
        return _json_fields(_json_object(lines[0]), lines)
    return {}, "\n".join(lines)


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
