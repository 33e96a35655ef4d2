"""The first screen read from the inputs' ends is the screen the index shows once it is complete.

The viewer draws its first frame from newest_records (plain Python, before
polars is loaded) and then from the index: the records, their order and every
field shown must be the same, or the screen would jump under the user.
"""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path

import pytest

from logview.core.newest import newest_records
from logview.core.parse.catalogue import CATALOGUE
from logview.core.parse.format_string import compile_format
from tests.unit.engines import indexed_newest, previewed, shown
from tests.unit.logfiles import file_logger, gzip_rotator, record, write_records

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = sorted(str(path) for path in (ROOT / "sample_logs").iterdir())


def test_the_sample_logs(tmp_path: Path) -> None:
    for count in (1, 40, 200, 5000):
        assert previewed(SAMPLES, count) == indexed_newest(SAMPLES, count), count


def _write_with(path: Path, fmt: str, style: str, datefmt: str | None, records: int = 300) -> None:
    with file_logger(logging.FileHandler(path, mode="w"), fmt=fmt, style=style, datefmt=datefmt) as logger:
        logger.name = "myapp.lib1"
        for number in range(records):
            level = [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR][number % 4]
            logger.log(level, "message number %d: %s", number, "x" * (number % 50))
            if number % 37 == 0:
                try:
                    1 / 0  # noqa: B018
                except ZeroDivisionError:
                    logger.exception("it broke at %d", number)


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda entry: entry.fmt)
def test_each_catalogue_format(tmp_path: Path, entry) -> None:
    path = tmp_path / "app.log"
    _write_with(path, entry.fmt, entry.style, entry.datefmt)
    for count in (3, 60):
        assert previewed([str(path)], count) == indexed_newest([str(path)], count)


def test_a_rotation_set_whose_newest_file_has_few_records(tmp_path: Path) -> None:
    """Plain and gzip-rotated generations: the newest file has 3 records, the screen needs more of the older ones."""
    import logging.handlers

    handler = logging.handlers.RotatingFileHandler(tmp_path / "app.log", maxBytes=2000, backupCount=5)
    handler.namer = lambda name: name + ".gz"  # type: ignore[assignment]
    handler.rotator = gzip_rotator  # type: ignore[assignment]
    with file_logger(handler) as logger:
        for number in range(153):
            logger.warning("record %d", number)
    paths = [str(path) for path in tmp_path.iterdir()]
    assert any(path.endswith(".gz") for path in paths)
    for count in (2, 10, 30, 100):
        assert previewed(paths, count) == indexed_newest(paths, count), count


def test_processes_merged_by_time_with_ties(tmp_path: Path) -> None:
    paths = []
    for worker in range(3):
        path = tmp_path / f"worker-{worker}.log"
        # Same seconds in every file: ties keep the files' order, then the lines'.
        write_records(path, [record(1709251200 + number // 3, f"w{worker} r{number}", process=100 + worker) for number in range(90)])
        paths.append(str(path))
    assert previewed(paths, 25) == indexed_newest(paths, 25)


def test_json_lines_and_records_without_time(tmp_path: Path) -> None:
    path = tmp_path / "app.jsonl"
    lines = [
        {"event": "logged in", "level": "info", "logger": "auth", "timestamp": "2024-03-01T10:00:00.123456Z", "pid": 77},
        {
            "asctime": "2024-03-01 10:00:01,500",
            "levelname": "ERROR",
            "name": "db",
            "process": 78,
            "message": "lost",
            "exc_info": "Traceback\n  boom",
        },
        {"message": "no time here", "levelname": "WARNING"},
        {"@timestamp": "2024-03-01T10:00:02.250+01:00", "log.level": "warning", "log.logger": "api", "message": "slow"},
        {"created": 1709287203.5, "levelname": "INFO", "name": "x", "message": "epoch"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert previewed([str(path)], 5) == indexed_newest([str(path)], 5)


@pytest.mark.parametrize(
    ("fmt", "datefmt"),
    [
        ("%(asctime)s | %(levelname)-8s | %(processName)-12s | %(name)s | %(message)s", "%d/%m/%Y %H:%M:%S"),
        ("%(created)f %(levelname)s %(name)s %(message)s", None),
        ("%(asctime)s.%(msecs)03d %(levelname)s %(message)s", "%H:%M:%S"),
        ("%(asctime)s %(levelno)s %(process)d %(message)s", "%b %d %H:%M:%S"),
    ],
)
def test_user_formats_with_padding_epochs_msecs_and_datefmts(tmp_path: Path, fmt: str, datefmt: str | None) -> None:
    path = tmp_path / "custom.log"
    _write_with(path, fmt, "%", datefmt)
    user = (compile_format(fmt, "%", datefmt),)
    assert previewed([str(path)], 50, user) == indexed_newest([str(path)], 50, user)


def test_compressed_only_and_plain_text(tmp_path: Path) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_text("".join(f"just a line {number}\n" for number in range(500)))
    packed = tmp_path / "old.log.gz"
    write_records(tmp_path / "old.log", [record(1709251200 + number, f"packed {number}") for number in range(100)])
    packed.write_bytes(gzip.compress((tmp_path / "old.log").read_bytes()))
    (tmp_path / "old.log").unlink()
    for paths in ([str(plain)], [str(packed)], [str(packed), str(plain)]):
        assert previewed(paths, 30) == indexed_newest(paths, 30)


def test_an_empty_file_and_one_of_blank_lines(tmp_path: Path) -> None:
    empty, blank = tmp_path / "empty.log", tmp_path / "blank.log"
    empty.write_bytes(b"")
    blank.write_bytes(b"\n\n")
    for paths in ([str(empty)], [str(blank), str(empty)]):
        assert previewed(paths, 10) == indexed_newest(paths, 10)


def test_what_cannot_be_read_cheaply_gives_no_preview(tmp_path: Path) -> None:
    assert newest_records(["-"], 10) is None
    assert newest_records([str(tmp_path / "missing.log")], 10) is None
    big = tmp_path / "big.log.gz"
    import os

    big.write_bytes(gzip.compress(os.urandom(3 << 20), compresslevel=1))
    assert newest_records([str(big)], 10) is None


def test_a_large_compressed_generation_is_inflated_only_when_its_records_are_needed(tmp_path: Path) -> None:
    """Before the first frame a large archive is never inflated: not needed beside a newer file, it does not stop the preview."""
    import os

    from logview.core.newest import MAX_COMPRESSED_BYTES

    old = tmp_path / "app.log.1"
    write_records(old, [record(1709251200 + number, f"old {number} {os.urandom(1500).hex()}") for number in range(2000)])
    packed = tmp_path / "app.log.1.gz"
    packed.write_bytes(gzip.compress(old.read_bytes(), compresslevel=1))
    old.unlink()
    assert packed.stat().st_size > MAX_COMPRESSED_BYTES
    current = tmp_path / "app.log"
    write_records(current, [record(1709251200 + 2000 + number, f"new {number}") for number in range(50)])
    paths = [str(current), str(packed)]
    assert previewed(paths, 30) == indexed_newest(paths, 30)  # the newest file holds them: the archive's head only is read
    assert newest_records(paths, 80) is None  # the archive's records needed: not before the first frame
    inflated = newest_records(paths, 80, inflate_large=True)
    assert inflated is not None and [shown(record) for record in inflated.records] == indexed_newest(paths, 80)


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-11-23 21:20:49",
        "2024-02-29 23:59:59",
        "2026-02-29 10:00:00",
        "2026-13-01 00:00:00",
        "2026-11-23 24:00:00",
        "2026-11-23 21:20:60",
        "2026-11-23 21:60:00",
        "1969-12-31 23:59:59",
        "0001-01-01 00:00:00",
        "0000-01-01 00:00:00",
        "2026-11-23T21:20:49",
        "2026-1-3 4:05:06",
        "\uff12\uff10\uff12\uff16-11-23 21:20:49",
    ],
)
@pytest.mark.parametrize("datefmt", ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"])
def test_a_stamp_reads_as_strptime_reads_it(stamp: str, datefmt: str) -> None:
    """The first frame reads the common stamps without strptime; it must read them, and refuse them, as strptime does."""
    from datetime import datetime

    from logview.core.parse.time_columns import millis_of, strptime_millis

    try:
        expected: int | None = millis_of(datetime.strptime(stamp, datefmt))
    except ValueError:
        expected = None
    assert strptime_millis(stamp, datefmt) == expected
