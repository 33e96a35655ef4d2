"""Programs that log through real handlers, run as separate processes by the live tests.

    python tests/live/writers.py rotating-gzip DIR COUNT MAX_BYTES BACKUPS

writes records ``record 1`` … ``record COUNT`` to ``DIR/app.log`` through a
RotatingFileHandler with the logging cookbook's gzip rotator and namer;
``rotating`` the same through a plain RotatingFileHandler, as fast as it can.

    python tests/live/writers.py steady DIR COUNT PER_SECOND

writes ``record 1`` … ``record COUNT`` to ``DIR/app.log`` through a
FileHandler, PER_SECOND records a second.

    python tests/live/writers.py copytruncate DIR SECONDS BACKUPS

does what logrotate's copytruncate does every SECONDS, from another process
than the writer's, until ``DIR/stop`` exists: shift ``app.log.N`` to
``app.log.N+1`` (BACKUPS kept), copy ``app.log`` to ``app.log.1``, and empty
``app.log``. What the writer writes between a copy and the emptying is lost.
"""

from __future__ import annotations

import gzip
import logging
import logging.handlers
import os
import shutil
import sys
import time

FORMAT = "%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"


def namer(name: str) -> str:
    return name + ".gz"


def rotator(source: str, dest: str) -> None:
    with open(source, "rb") as sf, gzip.open(dest, "wb") as df:
        shutil.copyfileobj(sf, df)
    os.remove(source)


def rotating_gzip(directory: str, count: int, max_bytes: int, backups: int) -> None:
    handler = logging.handlers.RotatingFileHandler(os.path.join(directory, "app.log"), maxBytes=max_bytes, backupCount=backups)
    handler.rotator = rotator
    handler.namer = namer
    handler.setFormatter(logging.Formatter(FORMAT))
    logger = logging.getLogger("myapp.writer")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    for number in range(1, count + 1):
        if number % 1000 == 0:
            try:
                raise ValueError(f"failure at {number}")
            except ValueError:
                logger.exception("record %d", number)
        else:
            logger.info("record %d", number)
    handler.close()


def rotating(directory: str, count: int, max_bytes: int, backups: int) -> None:
    handler = logging.handlers.RotatingFileHandler(os.path.join(directory, "app.log"), maxBytes=max_bytes, backupCount=backups)
    handler.setFormatter(logging.Formatter(FORMAT))
    logger = logging.getLogger("myapp.writer")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    for number in range(1, count + 1):
        logger.info("record %d", number)
    handler.close()


def steady(directory: str, count: int, per_second: int) -> None:
    handler = logging.FileHandler(os.path.join(directory, "app.log"))
    handler.setFormatter(logging.Formatter(FORMAT))
    logger = logging.getLogger("myapp.writer")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    start = time.monotonic()
    for number in range(1, count + 1):
        logger.info("record %d", number)
        ahead = start + number / per_second - time.monotonic()
        if ahead > 0.001:
            time.sleep(ahead)
    handler.close()


def copytruncate(directory: str, seconds: float, backups: int) -> None:
    log = os.path.join(directory, "app.log")
    stop = os.path.join(directory, "stop")
    while not os.path.exists(stop):
        time.sleep(seconds)
        for older in range(backups - 1, 0, -1):
            if os.path.exists(f"{log}.{older}"):
                os.replace(f"{log}.{older}", f"{log}.{older + 1}")
        shutil.copyfile(log, f"{log}.1")
        with open(log, "r+b") as emptied:
            emptied.truncate(0)


if __name__ == "__main__":
    kind, *arguments = sys.argv[1:]
    if kind == "rotating-gzip":
        directory, count, max_bytes, backups = arguments
        rotating_gzip(directory, int(count), int(max_bytes), int(backups))
    elif kind == "rotating":
        directory, count, max_bytes, backups = arguments
        rotating(directory, int(count), int(max_bytes), int(backups))
    elif kind == "steady":
        directory, count, per_second = arguments
        steady(directory, int(count), int(per_second))
    elif kind == "copytruncate":
        directory, seconds, backups = arguments
        copytruncate(directory, float(seconds), int(backups))
    else:
        sys.exit(f"unknown writer: {kind}")
