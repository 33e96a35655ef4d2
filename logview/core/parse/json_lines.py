"""JSON-lines logs, as python-json-logger and structlog write them.

Each key the index needs has several spellings; the first one present wins.
"""

from __future__ import annotations

import json
from typing import NamedTuple

TIME_KEYS = ("timestamp", "asctime", "time", "created", "@timestamp", "ts")
LEVEL_KEYS = ("levelname", "level", "severity", "log.level")
LOGGER_KEYS = ("name", "logger", "logger_name", "log.logger")
PID_KEYS = ("process", "pid")
PROCESS_NAME_KEYS = ("processName", "process_name")
MESSAGE_KEYS = ("message", "event", "msg")
TRACEBACK_KEYS = ("exc_info", "exception", "exc_text", "stack_info")


class JsonLinesFormat(NamedTuple):
    """Marker for a file of JSON objects, one per line."""

    name: str = "json-lines"

    @property
    def specificity(self) -> int:
        return 100


def looks_like_json_record(line: str) -> dict[str, object] | None:
    """The object on a line if it is a JSON log record, else None."""
    text = line.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    if not any(key in value for key in MESSAGE_KEYS + LEVEL_KEYS):
        return None
    return value


def first_key(obj: dict[str, object], keys: tuple[str, ...]) -> object | None:
    for key in keys:
        if key in obj and obj[key] is not None:
            return obj[key]
    return None


def json_message(obj: dict[str, object], lines: list[str]) -> tuple[str, dict[str, str]]:
    """The message of a JSON record (its traceback after it, then any lines that continue it) and its fields as text."""
    message = first_key(obj, MESSAGE_KEYS)
    text = "" if message is None else str(message)
    traceback = first_key(obj, TRACEBACK_KEYS)
    if isinstance(traceback, str) and traceback:
        text = f"{text}\n{traceback}"
    if len(lines) > 1:
        text = "\n".join([text, *lines[1:]])
    fields = {key: value if isinstance(value, str) else json.dumps(value) for key, value in obj.items()}
    return text, fields
