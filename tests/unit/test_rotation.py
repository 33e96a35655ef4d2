"""Rotation sets written by the real handlers are read oldest first, whatever the argument order."""

from __future__ import annotations

import logging
import logging.handlers
import os
import random
import re
from pathlib import Path

from logview.core.inputs.rotation import order_rotation_sets
from tests.unit.logfiles import file_logger, gzip_rotator
from tests.waiting import wait_for_rollover_time


def test_numbered_names_sort_oldest_first() -> None:
    names = ["app.log", "app.log.1", "app.log.10", "app.log.2", "other.log", "app.log.3.gz"]
    assert order_rotation_sets(names) == ["app.log.10", "app.log.3.gz", "app.log.2", "app.log.1", "app.log", "other.log"]


def test_timed_names_sort_by_stamp() -> None:
    names = ["app.log", "app.log.2023-01-21", "app.log.2023-01-20_02-28-17.gz", "app.log.2023-01-20_02-28", "app.log.2023-01-20"]
    assert order_rotation_sets(names) == [
        "app.log.2023-01-20",
        "app.log.2023-01-20_02-28",
        "app.log.2023-01-20_02-28-17.gz",
        "app.log.2023-01-21",
        "app.log",
    ]


def _numbers(output: bytes) -> list[int]:
    return [int(found) for found in re.findall(rb"record (\d+)$", output, re.MULTILINE)]


def test_rotating_handler_with_gzip_rotator_prints_in_writing_order(tmp_path: Path, logview) -> None:
    handler = logging.handlers.RotatingFileHandler(tmp_path / "rotated.log", maxBytes=2000, backupCount=30)
    handler.rotator = gzip_rotator
    handler.namer = lambda name: name + ".gz"
    with file_logger(handler) as logger:
        for number in range(600):
            logger.info("record %d", number)
    names = [str(path) for path in tmp_path.iterdir()]
    assert any(name.endswith(".gz") for name in names) and len(names) > 10
    random.Random(3).shuffle(names)
    result = logview("--print", *names)
    assert result.returncode == 0, result.stderr
    assert _numbers(result.stdout) == list(range(600))


def test_plain_rotating_handler_through_a_shell_glob_order(tmp_path: Path, logview) -> None:
    handler = logging.handlers.RotatingFileHandler(tmp_path / "app.log", maxBytes=1500, backupCount=40)
    with file_logger(handler, fmt="%(levelname)s:%(name)s:%(message)s") as logger:
        for number in range(500):
            logger.warning("record %d", number)
    # A shell sorts app.log.10 before app.log.2, and app.log first.
    names = sorted(str(path) for path in tmp_path.iterdir())
    result = logview("--print", *names)
    assert _numbers(result.stdout) == list(range(500))
    glob_result = logview("--print", str(tmp_path / "app.log*"))
    assert glob_result.stdout == result.stdout


def test_timed_rotating_handler_files(tmp_path: Path, logview) -> None:
    """TimedRotatingFileHandler's own rollover names (when='S'), each record in the next second's file."""
    handler = logging.handlers.TimedRotatingFileHandler(tmp_path / "timed.log", when="S", interval=1, backupCount=10)
    with file_logger(handler) as logger:
        for number in range(4):
            logger.info("record %d", number)
            wait_for_rollover_time(handler)
        logger.info("record %d", 4)
    names = sorted(os.listdir(tmp_path), reverse=True)
    assert len(names) >= 3
    result = logview("--print", *(str(tmp_path / name) for name in names))
    assert _numbers(result.stdout) == list(range(5))
