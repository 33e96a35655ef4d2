"""Worker processes that log through a QueueHandler, as in the logging cookbook's multiprocessing examples."""

from __future__ import annotations

import logging
import logging.handlers
from typing import Any


def log_numbered(log_queue: Any, worker: int, count: int) -> None:
    """Log ``count`` records ``worker W record N`` on three loggers, a traceback every hundredth."""
    root = logging.getLogger()
    root.handlers[:] = [logging.handlers.QueueHandler(log_queue)]
    root.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in ("myapp", "myapp.lib1", "myapp.lib2")]
    for number in range(count):
        logger = loggers[number % 3]
        if number % 100 == 99:
            try:
                raise RuntimeError(f"worker {worker} failed at {number}")
            except RuntimeError:
                logger.exception("worker %d record %d", worker, number)
        else:
            logger.log((logging.DEBUG, logging.INFO, logging.WARNING)[number % 3], "worker %d record %d", worker, number)
