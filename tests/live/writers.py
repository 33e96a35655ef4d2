"""Programs that log through real handlers, run as separate processes by the live tests.

    python tests/live/writers.py rotating-gzip DIR COUNT MAX_BYTES BACKUPS

writes records ``record 1`` … ``record COUNT`` to ``DIR/app.log`` through a
RotatingFileHandler with the logging cookbook's gzip rotator and namer;
``rotating`` the same through a plain RotatingFileHandler, as fast as it can.
"""

from __future__ import annotations

import gzip
import logging
import logging.handlers
import os
import shutil
import sys

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


if __name__ == "__main__":
    kind, *arguments = sys.argv[1:]
    if kind == "rotating-gzip":
        directory, count, max_bytes, backups = arguments
        rotating_gzip(directory, int(count), int(max_bytes), int(backups))
    elif kind == "rotating":
        directory, count, max_bytes, backups = arguments
        rotating(directory, int(count), int(max_bytes), int(backups))
    else:
        sys.exit(f"unknown writer: {kind}")
