"""JSON-lines logs, as python-json-logger, structlog, loguru (``serialize=True``) and ecs-logging write them.

Each field the index needs has several spellings; the first one present, with
a value that is no object or list, wins. A dotted spelling is a key of that
very name (ECS writes ``"log.level"``) or else the path through nested
objects (ECS's ``{"log": {"logger": …}}``, loguru's ``record.level.name``).
"""

from __future__ import annotations

import json
from typing import NamedTuple

TIME_KEYS = ("timestamp", "asctime", "time", "created", "@timestamp", "ts", "record.time.timestamp")
LEVEL_KEYS = ("levelname", "level", "severity", "log.level", "record.level.name")
LOGGER_KEYS = ("name", "logger", "logger_name", "log.logger", "record.name")
PID_KEYS = ("process", "pid", "process.pid", "record.process.id")
PROCESS_NAME_KEYS = ("processName", "process_name", "process.name", "record.process.name")
MESSAGE_KEYS = ("message", "event", "msg", "record.message")
TRACEBACK_KEYS = ("exc_info", "exception", "exc_text", "stack_info", "error.stack_trace")


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
    if first_key(value, MESSAGE_KEYS + LEVEL_KEYS) is None:
        return None
    return value


def json_paths(key: str) -> list[str]:
    """The JSONPath expressions (polars' ``json_path_match``) of a spelling: the key itself, then the nested path."""
    paths = [f"$['{key}']"]
    if "." in key:
        paths.append("$" + "".join(f"['{part}']" for part in key.split(".")))
    return paths


def value_at(obj: dict[str, object], key: str) -> object | None:
    """The value a spelling names in ``obj``, as :func:`json_paths` finds it, or None."""
    if key in obj:
        return obj[key]
    if "." not in key:
        return None
    value: object = obj
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def first_key(obj: dict[str, object], keys: tuple[str, ...]) -> object | None:
    """The first value of these spellings that is there and is no object or list (loguru's ``record.process`` is one)."""
    for key in keys:
        value = value_at(obj, key)
        if value is not None and not isinstance(value, dict | list):
            return value
    return None


def indexed_value(obj: dict[str, object], keys: tuple[str, ...]) -> object | None:
    """The value the index takes for these spellings: as :func:`first_key`, skipping text that starts as an object or list does.

    The bulk parser sees a nested object only as its JSON text, so it skips
    every value that starts with ``{`` or ``[``; the first screen must skip
    the same ones to show what the index shows.
    """
    for key in keys:
        value = value_at(obj, key)
        if value is None or isinstance(value, dict | list) or (isinstance(value, str) and value.startswith(("{", "["))):
            continue
        return value
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
