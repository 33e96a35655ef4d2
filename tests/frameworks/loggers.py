"""A stdlib logger that writes a file through a formatter and keeps the records it wrote, to compare with what is read."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Kept(logging.Handler):
    """The LogRecords a logger handled, for their ``created``."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def stdlib_logger(name: str, path: Path, formatter: logging.Formatter) -> Iterator[tuple[logging.Logger, Kept]]:
    """A logger writing to ``path`` with ``formatter``, and the records it handled; its handlers removed afterwards."""
    log = logging.getLogger(name)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(formatter)
    kept = Kept()
    log.addHandler(handler)
    log.addHandler(kept)
    log.setLevel(logging.DEBUG)
    log.propagate = False
    try:
        yield log, kept
    finally:
        for added in (handler, kept):
            log.removeHandler(added)
        handler.close()
