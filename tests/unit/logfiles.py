"""Helpers that write real log files with the stdlib handlers."""

from __future__ import annotations

import gzip
import itertools
import logging
import logging.handlers
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Numbers the loggers file_logger makes: one name per logger (an id() is given again once its object is freed).
_LOGGER_NUMBERS = itertools.count()
STANDARD = "%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"


@contextmanager
def file_logger(
    handler: logging.Handler, fmt: str = STANDARD, style: str = "%", datefmt: str | None = None, name: str = "test"
) -> Iterator[logging.Logger]:
    """A private logger (not the root) that writes through ``handler``."""
    handler.setFormatter(logging.Formatter(fmt, datefmt=datefmt, style=style))  # type: ignore[arg-type]
    with named_logger(handler, f"logfiles.{name}.{next(_LOGGER_NUMBERS)}") as logger:
        yield logger


@contextmanager
def named_logger(handler: logging.Handler, name: str) -> Iterator[logging.Logger]:
    """The logger ``name``, not propagating, writing every level through ``handler`` as it is set up; the handler closed after."""
    logger = logging.getLogger(name)
    # A logger of that name made earlier in this process may have been disabled since: a dictConfig or fileConfig
    # (which disable the loggers they do not name) run by another test, in this test's worker.
    logger.disabled = False
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield logger
    finally:
        logger.removeHandler(handler)
        handler.close()


def write_records(
    path: Path, records: list[dict[str, object]], fmt: str = STANDARD, style: str = "%", datefmt: str | None = None, mode: str = "w"
) -> None:
    """Write records built with makeLogRecord through a real FileHandler."""
    handler = logging.FileHandler(path, mode=mode, encoding="utf-8")
    handler.setFormatter(logging.Formatter(fmt, datefmt=datefmt, style=style))  # type: ignore[arg-type]
    for fields in records:
        handler.handle(logging.makeLogRecord(fields))
    handler.close()


def record(
    created: float, msg: str, name: str = "app", level: int = logging.INFO, process: int = 100, **extra: object
) -> dict[str, object]:
    return {
        "created": created,
        "msecs": (created - int(created)) * 1000,
        "msg": msg,
        "name": name,
        "levelno": level,
        "levelname": logging.getLevelName(level),
        "process": process,
        **extra,
    }


def gzip_rotator(source: str, dest: str) -> None:
    with open(source, "rb") as sf, gzip.open(dest, "wb") as df:
        shutil.copyfileobj(sf, df)
    os.remove(source)


def left_a_while_ago(path: Path) -> None:
    """As if the writer had last written ``path`` a few seconds ago (longer than opener.UNFINISHED_LINE_GRACE)."""
    earlier = path.stat().st_mtime - 5
    os.utime(path, (earlier, earlier))


class SteppedClock(logging.Filter):
    """Records' creation times, the test's own: one every ``step`` seconds from ``start``, so that files written one
    after the other interleave in time as several processes' would."""

    def __init__(self, start: float, step: float) -> None:
        super().__init__()
        self.now, self.step = start, step

    def filter(self, record: logging.LogRecord) -> bool:
        self.now += self.step
        record.created = self.now
        record.msecs = (self.now - int(self.now)) * 1000
        return True
