"""Logs written in a named zone by a real Formatter, for the tests of times, summer time and hours written twice."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

BERLIN = "Europe/Berlin"


NEW_YORK = "America/New_York"


#: 2024-10-27 00:00 UTC: 02:00 in Berlin, where 02:00-03:00 is then written twice (CEST, then CET).
FALL_BACK = datetime(2024, 10, 27, 0, 0, tzinfo=UTC).timestamp()


#: 2024-03-31 01:00 UTC: 02:00 in Berlin, where the clock jumps to 03:00.
SPRING_FORWARD = datetime(2024, 3, 31, 1, 0, tzinfo=UTC).timestamp()


@contextmanager
def zone(name: str) -> Iterator[None]:
    """This process in zone ``name`` (for writing with the real Formatter, and for the in-process reader)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def write(path: Path, created: list[float], fmt: str, datefmt: str | None = None, style: str = "%", **formatter_attributes: object) -> None:
    """Records at the moments ``created``, message ``n<i>``, written by a real FileHandler and Formatter."""
    formatter = logging.Formatter(fmt, datefmt=datefmt, style=style)  # type: ignore[arg-type]
    for name, value in formatter_attributes.items():
        setattr(formatter, name, value)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(formatter)
    for number, moment in enumerate(created):
        handler.handle(
            logging.makeLogRecord(
                {
                    "created": moment,
                    "msecs": _msecs(moment),
                    "msg": f"{path.stem}{number}",
                    "name": "app",
                    "levelno": 20,
                    "levelname": "INFO",
                }
            )
        )
    handler.close()


def _msecs(moment: float) -> float:
    return float(round((moment - int(moment)) * 1000) % 1000)
