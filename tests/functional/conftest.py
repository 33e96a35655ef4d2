"""The fixtures of the functional tests: log files written by the stdlib handlers."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.unit.logfiles import record, write_records


@pytest.fixture
def small_log(tmp_path: Path) -> Path:
    """Three processes, four loggers, all levels, one traceback, written by a FileHandler."""
    path = tmp_path / "app.log"
    rows = []
    loggers = ["myapp", "myapp.lib1", "myapp.lib2", "myapp.lib2.db"]
    levels = [logging.DEBUG, logging.INFO, logging.INFO, logging.WARNING, logging.ERROR]
    for number in range(120):
        message = f"event {number}"
        if number == 50:
            message += "\nTraceback (most recent call last):\n  File 'job.py', line 3, in run\nKeyError: 'job'"
        rows.append(record(1709251200 + number, message, name=loggers[number % 4], level=levels[number % 5], process=4000 + number % 3))
    write_records(path, rows)
    return path
