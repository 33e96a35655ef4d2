"""A file written in several formats keeps every record (issue 13, §2).

Each line is tried against the file's formats, and only a line that none of
them reads continues the record before it. The files are written by the
stdlib's own formatters: the logging cookbook's "use of alternative
formatting styles" run as written, and programs whose format changed between
runs that append to one file. Both engines are held to the same answer: the
index (polars) through ``--print``, the first frame and the detail view
(CPython ``re``) through newest_records.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from logview.core.parse import remembered as remembered_module
from logview.core.parse.detect import detect_after, detect_formats, sample_lines
from logview.core.parse.format_set import FormatSet
from logview.core.parse.format_string import LogFormat, compile_format
from tests.unit.engines import indexed_newest, previewed
from tests.unit.logfiles import file_logger

#: The cookbook's example, its console session's statements as written; its StreamHandler writes to stderr.
COOKBOOK_STYLES = """\
import logging
root = logging.getLogger()
root.setLevel(logging.DEBUG)
handler = logging.StreamHandler()
bf = logging.Formatter('{asctime} {name} {levelname:8s} {message}',
                       style='{')
handler.setFormatter(bf)
root.addHandler(handler)
logger = logging.getLogger('foo.bar')
logger.debug('This is a DEBUG message')
logger.critical('This is a CRITICAL message')
df = logging.Formatter('$asctime $name ${levelname} $message',
                       style='$')
handler.setFormatter(df)
logger.debug('This is a DEBUG message')
logger.critical('This is a CRITICAL message')
logger.error('This is an%s %s %s', 'other,', 'ERROR,', 'message')
"""

LEVELS = [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL]
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"]


#: Detection runs in this process too: its remembered answers are the test's own.
pytestmark = pytest.mark.usefixtures("format_cache")


def _jsonl(logview, *args: str) -> list[dict]:
    done = logview("--print", "--output", "jsonl", *args)
    assert done.returncode == 0, done.stderr.decode()
    return [json.loads(line) for line in done.stdout.decode().splitlines()]


def _both_engines_agree(path: Path) -> None:
    for count in (2, 50):
        assert previewed([str(path)], count) == indexed_newest([str(path)], count), count


def _iso(stamp: str) -> str:
    """logging's default asctime (local time) as --output jsonl writes a time: with the local offset."""
    moment = datetime.fromisoformat(stamp.replace(",", ".")).astimezone()
    return moment.isoformat(timespec="milliseconds")


def test_the_cookbook_alternative_styles_example_keeps_every_record(tmp_path: Path, logview) -> None:
    path = tmp_path / "styles.log"
    with path.open("wb") as log:
        subprocess.run([sys.executable, "-c", COOKBOOK_STYLES], stderr=log, check=True, timeout=60)
    lines = path.read_text().splitlines()
    assert len(lines) == 5
    expected = [
        ("DEBUG", "This is a DEBUG message"),
        ("CRITICAL", "This is a CRITICAL message"),
        ("DEBUG", "This is a DEBUG message"),
        ("CRITICAL", "This is a CRITICAL message"),
        ("ERROR", "This is another, ERROR, message"),
    ]

    records = _jsonl(logview, str(path))
    assert [(record["level"], record["logger"], record["message"]) for record in records] == [
        (level, "foo.bar", message) for level, message in expected
    ]
    assert [record["time"] for record in records] == [_iso(line[:23]) for line in lines]
    assert [record["line"] for record in records] == [1, 2, 3, 4, 5]

    errors = logview("--print", "--level", "ERROR", str(path))
    assert errors.returncode == 0, errors.stderr.decode()
    assert errors.stdout.decode().splitlines() == [line for line in lines if " DEBUG " not in line]
    # Text search strips each line's prefix in the format that wrote it: the message starts after the level.
    found = logview("--print", "--grep", "^This is another", str(path))
    assert found.stdout.decode().splitlines() == [lines[4]]
    _both_engines_agree(path)


def _run(path: Path, fmt: str, style: str, run: int, crash: bool = False) -> list[tuple[str, str, str]]:
    """One run of a program appending to ``path`` with ``fmt``: its records' (level, logger, message) as logged."""
    logged: list[tuple[str, str, str]] = []
    with file_logger(logging.FileHandler(path, mode="a", encoding="utf-8"), fmt=fmt, style=style) as logger:
        logger.name = f"service.run{run}"
        for number, word in enumerate(WORDS):
            level = LEVELS[number % len(LEVELS)]
            logger.log(level, "%s: run %d record %d", word, run, number)
            logged.append((logging.getLevelName(level), logger.name, f"{word}: run {run} record {number}"))
            if number == 4 or (crash and number == len(WORDS) - 1):
                try:
                    {}["missing"]  # noqa: B018
                except KeyError:
                    logger.exception("lookup failed in run %d", run)
                logged.append(("ERROR", logger.name, f"lookup failed in run {run}"))
    return logged


MIXES = [
    pytest.param(
        "%(asctime)s %(levelname)-8s %(name)s %(message)s", "%", "{asctime} {levelname} {name} {message}", "{", id="padded-then-unpadded"
    ),
    pytest.param(
        "%(asctime)s %(process)d %(name)s %(levelname)s %(message)s",
        "%",
        "%(asctime)s - %(name)s - %(levelname)s - %(message)s",
        "%",
        id="pid-then-dashes",
    ),
    pytest.param(
        "%(levelname)s:%(name)s:%(message)s", "%", "{asctime} [{levelname}] {name}: {message}", "{", id="basicConfig-then-brackets"
    ),
    pytest.param(
        "$asctime $name ${levelname} $message", "$", "%(asctime)s %(name)-12s %(levelname)-8s %(message)s", "%", id="dollar-then-padded"
    ),
]


def _assert_read_as_logged(records: list[dict], logged: list[tuple[str, str, str]]) -> None:
    assert [(record["level"], record["logger"], record["message"].split("\n")[0]) for record in records] == logged
    for record in records:
        if record["message"].startswith("lookup failed"):
            lines = record["message"].split("\n")
            # The traceback stays in its record, whole: header, frames, exception line.
            assert lines[1] == "Traceback (most recent call last):"
            assert lines[-1] == "KeyError: 'missing'"


@pytest.mark.parametrize(("first", "first_style", "second", "second_style"), MIXES)
def test_a_format_changed_between_runs_appending_to_one_file(
    tmp_path: Path, logview, first: str, first_style: str, second: str, second_style: str
) -> None:
    path = tmp_path / "service.log"
    logged = _run(path, first, first_style, 1) + _run(path, second, second_style, 2) + _run(path, first, first_style, 3)
    # A set of formats, or one whose fields' readings were loosened to read both (padded and not: reading_choice.py).
    detected = detect_formats(sample_lines(path.read_bytes()))
    assert isinstance(detected, FormatSet) or (detected is not None and detected.readings), detected
    _assert_read_as_logged(_jsonl(logview, str(path)), logged)
    _both_engines_agree(path)


def test_a_format_changed_far_into_a_file_is_found_at_its_end(tmp_path: Path, logview) -> None:
    """The sample reads a plain file's last lines too: an upgrade that changed the format after thousands of records keeps them."""
    path = tmp_path / "service.log"
    logged: list[tuple[str, str, str]] = []
    for run in range(1, 80):  # 720 records, far past the sample's first lines
        logged += _run(path, "%(asctime)s %(levelname)s %(name)s %(message)s", "%", run)
    logged += _run(path, "%(asctime)s [%(levelname)s] %(name)s: %(message)s", "%", 80)
    assert len(sample_lines(path.read_bytes())) < len(path.read_bytes().splitlines()), "the change is past the head's lines"
    _assert_read_as_logged(_jsonl(logview, str(path)), logged)
    errors = logview("--print", "--level", "ERROR", str(path))
    assert errors.returncode == 0, errors.stderr.decode()
    assert "service.run80: " in errors.stdout.decode()
    assert " DEBUG" not in errors.stdout.decode()
    explained = logview("--print", "--explain-format", str(path))
    assert "[%(levelname)s]" in explained.stdout.decode(), explained.stdout.decode()
    _both_engines_agree(path)


def test_an_unlisted_format_changed_to_another_unlisted_one(tmp_path: Path, logview) -> None:
    """Neither format is in the catalogue: the first is inferred from the file's start, the second from the lines it leaves."""
    path = tmp_path / "service.log"
    logged: list[tuple[str, str, str]] = []
    for run in range(1, 30):
        logged += _run(path, "%(asctime)s %(levelname)s [%(name)s] %(process)d %(message)s", "%", run)
    logged += _run(path, "{asctime} | {levelname:<8} | {name} | {message}", "{", 30)
    explained = logview("--print", "--explain-format", str(path)).stdout.decode()
    assert "origin    inferred" in explained, explained
    assert "| %(name)s | %(message)s" in explained, explained
    _assert_read_as_logged(_jsonl(logview, str(path)), logged)
    _both_engines_agree(path)


def test_a_crash_then_a_restart_in_another_format(tmp_path: Path, logview) -> None:
    """Everything after the first run's last traceback is the second run's: its lines are records, not the exception's text."""
    path = tmp_path / "service.log"
    logged = _run(path, "%(asctime)s %(levelname)s %(name)s %(message)s", "%", 1, crash=True)
    logged += _run(path, "%(asctime)s [%(levelname)s] %(name)s: %(message)s", "%", 2)
    _assert_read_as_logged(_jsonl(logview, str(path)), logged)
    _both_engines_agree(path)


def test_a_one_format_file_with_tracebacks_is_read_as_before(tmp_path: Path, logview) -> None:
    path = tmp_path / "app.log"
    fmt = "%(asctime)s %(levelname)s %(name)s %(message)s"
    logged = _run(path, fmt, "%", 1) + _run(path, fmt, "%", 2)
    detected = detect_formats(sample_lines(path.read_bytes()))
    assert isinstance(detected, LogFormat) and detected.fmt == fmt
    _assert_read_as_logged(_jsonl(logview, str(path)), logged)


def test_lines_of_another_format_quoted_in_an_exception_do_not_split_its_record(tmp_path: Path, logview) -> None:
    """An exception whose text holds a child's last log lines, in the child's format: they are the exception's text.

    One or two such lines after a traceback, with the file's own records
    after them, are quoted, not a second format of the file: the file keeps
    its one format and the record its traceback whole. (Once a file has two
    formats, a line of either starts a record wherever it is.)
    """
    child = logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s")
    quoted = [
        child.format(logging.makeLogRecord({"name": "child", "levelno": level, "levelname": logging.getLevelName(level), "msg": text}))
        for level, text in ((logging.WARNING, "disk nearly full"), (logging.ERROR, "disk full"))
    ]
    path = tmp_path / "app.log"
    fmt = "%(asctime)s [%(levelname)s] %(name)s: %(message)s"
    with file_logger(logging.FileHandler(path, mode="w", encoding="utf-8"), fmt=fmt) as logger:
        logger.name = "parent"
        logger.info("starting the child")
        try:
            raise RuntimeError("the child failed; its log ends:\n" + "\n".join(quoted))
        except RuntimeError:
            logger.exception("child failed")
        logger.warning("carrying on without it")
    detected = detect_formats(sample_lines(path.read_bytes()))
    assert isinstance(detected, LogFormat) and detected.fmt == fmt
    records = _jsonl(logview, str(path))
    assert [(record["level"], record["message"].split("\n")[0]) for record in records] == [
        ("INFO", "starting the child"),
        ("ERROR", "child failed"),
        ("WARNING", "carrying on without it"),
    ]
    assert records[1]["message"].split("\n")[-2:] == quoted
    _both_engines_agree(path)


def test_the_formats_of_a_file_are_remembered_together(tmp_path: Path, format_cache) -> None:
    path = tmp_path / "styles.log"
    _run(path, "{asctime} {name} {levelname:8s} {message}", "{", 1)
    _run(path, "%(asctime)s [%(levelname)s] %(name)s: %(message)s", "%", 2)
    sample = sample_lines(path.read_bytes())
    detected = detect_after(sample, None)
    assert isinstance(detected, FormatSet) and len(detected.formats) == 2
    remembered_module.save()
    assert '"formats"' in format_cache.path.read_text()
    format_cache.new_run()  # as the next run starts

    def detect_again() -> None:
        raise AssertionError("detected again: the set was not remembered")

    assert remembered_module.remembered(sample, None, (), detect_again) == detected


def test_a_format_that_writes_only_level_numbers_beside_one_that_writes_names(tmp_path: Path) -> None:
    """The index gives both formats' records their level, whichever of the two a format writes."""
    names = compile_format("%(asctime)s %(levelname)s %(name)s %(message)s")
    numbers = compile_format("%(asctime)s %(levelno)s %(name)s %(message)s")
    path = tmp_path / "app.log"
    logged = _run(path, names.fmt, "%", 1) + _run(path, numbers.fmt, "%", 2)
    user = (names, numbers)
    shown = indexed_newest([str(path)], 40, user)
    assert previewed([str(path)], 40, user) == shown
    # (time, level, levelno, logger, ...)
    assert [(record[1], record[2], record[3]) for record in shown] == [
        (level, logging.getLevelNamesMapping()[level], logger) for level, logger, _ in logged
    ]
