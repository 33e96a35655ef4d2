"""The record schema shared by every layer: levels, field names, and the
materialised record that the printer and the views show.

The index never holds a Python object per record; a :class:`Record` is built
only for a record that is about to be printed or drawn.
"""

from __future__ import annotations

from typing import NamedTuple

from logview.core.zones import shown_moment

#: Sentinel for "no time" in the int64 millisecond time column.
NO_TIME: int = -(2**63)

#: The most bytes of one record that are parsed, printed or shown: a longer line (a dump, /dev/zero, a gzip bomb)
#: is indexed by its first MAX_RECORD_BYTES and shown cut, with a mark saying how much more there is, so that memory
#: stays bounded whatever the input. The index still spans the whole record: its bytes stay on disk.
MAX_RECORD_BYTES: int = 4 << 20

#: Every attribute a ``logging.LogRecord`` exposes to a format string.
RECORD_ATTRIBUTES: tuple[str, ...] = (
    "asctime",
    "created",
    "relativeCreated",
    "msecs",
    "levelname",
    "levelno",
    "name",
    "process",
    "processName",
    "thread",
    "threadName",
    "taskName",
    "module",
    "filename",
    "pathname",
    "funcName",
    "lineno",
    "message",
)

#: logging's own levels, by the names it writes (logging itself is not imported for them: 4 ms of the first frame).
STANDARD_LEVELS: dict[str, int] = {
    "NOTSET": 0,
    "DEBUG": 10,
    "INFO": 20,
    "WARNING": 30,
    "WARN": 30,
    "ERROR": 40,
    "CRITICAL": 50,
    "FATAL": 50,
}


def level_name(number: int) -> str:
    """The name logging gives a level number that has no name of its own registered: ``logging.getLevelName``."""
    return next((name for name, value in STANDARD_LEVELS.items() if value == number and name not in ("WARN", "FATAL")), f"Level {number}")


#: Names that libraries commonly register with ``logging.addLevelName``; a
#: name found in neither table sorts with the level it is closest to: none.
CONVENTIONAL_LEVELS: dict[str, int] = {
    "TRACE": 5,
    "VERBOSE": 15,
    "NOTICE": 25,
    "SUCCESS": 25,
    "ALERT": 55,
    "EMERGENCY": 60,
}


def level_number(name: str) -> int | None:
    """The numeric level for a level name as it appears in a log.

    Case-insensitive so that structlog's ``"info"`` and logging's ``"INFO"``
    filter alike; ``"Level 5"`` is what logging writes for an unnamed level.
    """
    upper = name.strip().upper()
    if upper in STANDARD_LEVELS:
        return STANDARD_LEVELS[upper]
    if upper in CONVENTIONAL_LEVELS:
        return CONVENTIONAL_LEVELS[upper]
    if upper.startswith("LEVEL "):
        try:
            return int(upper[6:])
        except ValueError:
            return None
    if upper.lstrip("-").isdigit():
        return int(upper)
    return None


def format_time(millis: int, with_offset: bool = False) -> str | None:
    """ISO 8601 text for a time column value (UTC ms), in the zone times are shown in: local, or UTC (``--utc``).

    ``with_offset`` adds the zone's offset (``+01:00``), which says which
    of the two passes of an hour the clock was set back in a time is, and
    lets another program read the time exactly (``--output jsonl``).
    """
    if millis == NO_TIME:
        return None
    try:
        moment, offset = shown_moment(millis)
    except OverflowError:
        return None
    text = moment.isoformat(timespec="milliseconds")
    if with_offset:
        sign, minutes = ("-", -offset // 60_000) if offset < 0 else ("+", offset // 60_000)
        text += f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    return text


class Record(NamedTuple):
    """One record, materialised for printing or display."""

    time: int
    level: str | None
    levelno: int | None
    logger: str | None
    pid: int | None
    message: str
    source: str
    line: int
    text: str
    fields: dict[str, str]

    def as_json(self) -> dict[str, object]:
        """The ``--output jsonl`` object: the documented keys, then every other parsed field."""
        out: dict[str, object] = {
            "time": format_time(self.time, with_offset=True),
            "level": self.level,
            "logger": self.logger,
            "pid": self.pid,
            "message": self.message,
            "source": self.source,
            "line": self.line,
        }
        for key, value in self.fields.items():
            if key not in ("message", "asctime", "levelname", "name", "process"):
                out.setdefault(key, value)
        return out
