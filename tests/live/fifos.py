"""A FIFO for tests, and a watchdog that gives a reader blocked in open() a writer, so that a test fails rather than hangs."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from tests.waiting import DEADLINE

__all__ = ["fifo_with_watchdog"]


@contextlib.contextmanager
def fifo_with_watchdog(path: Path, timeout: float = DEADLINE) -> Iterator[Path]:
    """A FIFO at ``path``; if the test has not ended within ``timeout`` seconds, writers connect and leave, until it ends.

    A reader that opens a FIFO blocking waits for a writer for ever (what
    these tests check logview no longer does): the watchdog ends that wait,
    and the test fails on what it expected instead of hanging.
    """
    os.mkfifo(path)
    done = threading.Event()

    def watch() -> None:
        if done.wait(timeout):
            return
        while not done.wait(0.5):  # again and again: each open() that blocks (the first screen's, the index's) needs one
            with contextlib.suppress(OSError):  # ENXIO: no reader, nothing blocked
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))

    watchdog = threading.Thread(target=watch, daemon=True)
    watchdog.start()
    try:
        yield path
    finally:
        done.set()
        watchdog.join()
