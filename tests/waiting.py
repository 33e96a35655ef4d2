"""Waiting in tests: for a condition, with a deadline, never for a fixed time.

A fixed sleep is either too short on a loaded machine (the test fails) or
too long everywhere else (the suite is slow). A test waits for what it
needs to have happened, and fails naming it when it does not happen in a
generous time.
"""

from __future__ import annotations

import logging.handlers
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

__all__ = ["DEADLINE", "main_thread_waits", "open_files", "wait_for_rollover_time", "wait_until", "watching"]

T = TypeVar("T")

#: Seconds a test waits for what it expects before failing: generous, for a loaded machine.
DEADLINE = 60.0
#: Seconds between two looks at a condition.
INTERVAL = 0.02


def wait_until(predicate: Callable[[], T], what: str, timeout: float = DEADLINE) -> T:
    """``predicate``'s first true value; an AssertionError naming ``what`` if none comes within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"not reached within {timeout:g} s: {what}")
        time.sleep(INTERVAL)  # between two looks at the condition: the wait itself is on the condition


def wait_for_rollover_time(handler: logging.handlers.TimedRotatingFileHandler) -> None:
    """Until the clock reaches the handler's next rollover time: its next record starts a new file.

    What is awaited is time itself (the handler rotates by the clock), but
    as a condition: the rollover time the handler computed, not a guess at it.
    """
    # The handler compares the whole seconds of time.time() with it, as here.
    wait_until(lambda: int(time.time()) >= handler.rolloverAt, f"the clock at the handler's rollover time {handler.rolloverAt}")


def open_files(pid: int) -> set[str]:
    """What process ``pid`` holds open, as /proc/PID/fd names it: paths, ``anon_inode:inotify``, ``pipe:[…]``."""
    directory = f"/proc/{pid}/fd"
    names: set[str] = set()
    for fd in os.listdir(directory):
        try:
            names.add(os.readlink(os.path.join(directory, fd)))
        except FileNotFoundError:
            continue  # closed between the listing and the look
    return names


def watching(pid: int, path: Path) -> bool:
    """Whether a ``logview -f`` process follows ``path``: it holds the file open and has its notifier.

    The follower opens the file, makes its first poll and only then starts
    watchfiles, whose inotify instance is the last thing it sets up: from
    then on, whatever is written to the file is read, through any rotation.
    """
    held = open_files(pid)
    return str(path.resolve()) in held and "anon_inode:inotify" in held


def main_thread_waits(pid: int, looks: int = 10) -> bool:
    """Whether process ``pid``'s main thread sleeps in a wait in ``looks`` looks in a row (its startup and work are done).

    What a process blocked for good looks like from outside: the kernel says
    its main thread sleeps (state S), on a futex when it waits on a lock or an
    event. A thread that works or imports is seen running or reading between
    the looks.
    """
    for _look in range(looks):
        with open(f"/proc/{pid}/task/{pid}/stat") as stat:
            # The state follows the command's name, which is in parentheses and may hold spaces.
            state = stat.read().rpartition(")")[2].split()[0]
        if state != "S":
            return False
        time.sleep(INTERVAL)  # between two looks at the thread: the wait itself is on the condition
    return True
