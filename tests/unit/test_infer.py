"""Formats no catalogue lists, inferred from the lines real formatters wrote.

Each file is written by three worker processes (multiprocessing, as the
programs that write such files start them), each logging from its main
thread and then from a thread of its own, through a real FileHandler and
logging.Formatter; a second handler notes every LogRecord's true fields.
The file is then read with no --format: its format is inferred, and every
record's indexed fields, through polars (the index) and through ``re`` (the
first screen), are the records' own.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from logview.core.newest import newest_records
from logview.core.parse.catalogue import CATALOGUE
from logview.core.parse.detect import detect_format, sample_lines
from logview.core.parse.format_string import LogFormat, compile_format
from logview.core.pipeline import Pipeline
from logview.core.record import Record
from logview.core.records import RecordReader
from tests.unit.logfiles import file_logger

WRITER = r"""
import json, logging, multiprocessing, sys, threading, time

spec = json.loads(sys.argv[1])
VERBS = "opened closed sent received parsed queued started stopped loaded saved skipped retried flushed locked moved copied".split()


class Truth(logging.Handler):
    def emit(self, record):
        keys = ("created", "msecs", "levelno", "levelname", "name", "process", "processName", "thread", "threadName", "pathname", "filename", "module", "funcName", "lineno")
        fields = {key: getattr(record, key) for key in keys}
        with open(spec["truth"], "a") as out:
            out.write(json.dumps({**fields, "message": record.getMessage()}) + "\n")


def work(worker):
    logging.addLevelName(5, "TRACE")
    formatter = logging.Formatter(spec["fmt"], spec["datefmt"], style=spec["style"])
    formatter.converter = time.gmtime
    handler = logging.FileHandler(spec["path"], "a")
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.setLevel(1)
    root.addHandler(handler)
    root.addHandler(Truth())
    names = ["app", "app.db", "app.web.views", "worker"]

    def emit(numbers):
        for number in numbers:
            logger = logging.getLogger(names[(number + worker) % len(names)])
            if number == 3:
                try:
                    1 / 0
                except ZeroDivisionError:
                    logger.exception("%s %d of worker %d failed", VERBS[number], number, worker)
                continue
            level = [5, 10, 20, 30, 40, 50][(number + worker) % 6]
            logger.log(level, "%s %d of worker %d", VERBS[(number * 7 + worker) % len(VERBS)], number, worker)
            if "relativeCreated" in spec["fmt"]:
                # A writer's pace, not a wait: milliseconds since start tell a time only if records are not all
                # written within one or two of them (a pid column looks the same then).
                time.sleep(0.003)

    emit(range(10))
    thread = threading.Thread(target=emit, args=(range(10, 20),))
    thread.start()
    thread.join()


context = multiprocessing.get_context("fork")
if spec["pool"]:
    with context.Pool(3) as pool:
        pool.map(work, range(3), chunksize=1)
else:
    workers = [context.Process(target=work, args=(worker,)) for worker in range(3)]
    for process in workers:
        process.start()
    for process in workers:
        process.join()
"""

#: (fmt, style, datefmt): formats and datefmts no catalogue entry has.
UNLISTED = [
    ("%(asctime)s %(levelname)s [%(name)s] %(process)d %(message)s", "%", None),
    ("{asctime} {levelname:<8} {name} {process} {message}", "{", None),
    ("%(asctime)s.%(msecs)03d %(levelname)-8s %(name)s %(process)d %(message)s", "%", "%Y-%m-%d %H:%M:%S"),
    ("%(asctime)s %(process)d %(levelname)s %(name)s %(message)s", "%", "%Y-%m-%dT%H:%M:%S%z"),
    ("%(asctime)s [%(levelname)s] %(processName)s %(name)s: %(message)s", "%", "%d/%m/%Y %H:%M:%S"),
    ("%(asctime)s %(levelname)s %(threadName)s %(name)s - %(message)s", "%", "%m-%d %H:%M"),
    ("%(asctime)s %(name)s[%(process)d] %(levelname)s %(message)s", "%", "%b %d %H:%M:%S"),
    ("[%(asctime)s] %(levelname)s %(process)d %(name)s %(message)s", "%", "%d/%b/%Y:%H:%M:%S %z"),
    ("%(created)f %(levelname)s %(name)s %(process)d %(message)s", "%", None),
    ("%(relativeCreated)d %(levelname)s %(name)s %(process)d %(message)s", "%", None),
    ("%(process)d %(asctime)s %(levelname)s %(name)s %(message)s", "%", None),
    ("%(levelname)-8s %(asctime)s %(process)6d %(name)s %(message)s", "%", None),
    ("%(asctime)s | %(levelname)-8s | %(name)s | %(processName)s | %(message)s", "%", None),
    ("%(asctime)s %(levelno)s %(name)s %(process)d %(message)s", "%", None),
    ("%(asctime)s %(name)-20s %(levelname)8s %(process)d %(message)s", "%", None),
    ("%(asctime)s <%(process)d:%(thread)d> %(levelname)s %(name)s %(message)s", "%", None),
    ("%(asctime)s %(levelname)s %(process)d --- [%(threadName)s] %(name)s : %(message)s", "%", None),
    ("%(asctime)s %(levelname)s %(name)s %(process)d %(message)s", "%", "%a %b %d %H:%M:%S %Y"),
    ("%(asctime)s %(levelname)s %(name)s %(process)d %(message)s", "%", "%m/%d/%Y %I:%M:%S %p"),
    ("%(asctime)s,%(msecs)03d %(processName)s %(levelname)s %(name)s %(message)s", "%", "%H:%M:%S"),
    ("$asctime $levelname $name $process $message", "$", None),
    ("%(asctime)s %(levelname)s %(name)s %(process)d %(message)s", "%", "%Y-%m-%d %H:%M:%S %Z"),
    # Where each record was logged from, as many programs write it.
    ("%(asctime)s | %(levelname)-8s | %(name)s:%(funcName)s:%(lineno)d - %(message)s", "%", None),
    ("%(asctime)s - %(name)s - %(levelname)s - %(module)s - %(message)s", "%", None),
    ("%(asctime)s {%(filename)s:%(lineno)d} %(levelname)s: %(message)s", "%", None),
    ("[%(levelname)s] %(asctime)s %(name)s (%(filename)s:%(lineno)d) %(message)s", "%", None),
    ("%(asctime)s %(levelname)s %(pathname)s:%(lineno)d %(message)s", "%", None),
    ("%(asctime)s %(levelname)s [%(name)s] [%(filename)s:%(lineno)d] - %(message)s", "%", None),
]
#: The formats written from a process pool: ForkPoolWorker-N process names.
POOLED = {"%(asctime)s | %(levelname)-8s | %(name)s | %(processName)s | %(message)s"}


def write_from_processes(directory: Path, fmt: str, style: str, datefmt: str | None) -> tuple[Path, list[dict]]:
    """The log three worker processes write with this format, and the true fields of its records."""
    path, truth = directory / "app.log", directory / "truth.jsonl"
    spec = {"path": str(path), "truth": str(truth), "fmt": fmt, "style": style, "datefmt": datefmt, "pool": fmt in POOLED}
    program = directory / "writer.py"  # a file, as programs are: records name their module and file
    program.write_text(WRITER)
    subprocess.run([sys.executable, str(program), json.dumps(spec)], check=True, timeout=120)
    return path, [json.loads(line) for line in truth.read_text().splitlines()]


def has(fmt: str, field: str) -> bool:
    return any(spelling in fmt for spelling in (f"%({field})", f"{{{field}", f"${field} "))


def expected_time(fmt: str, datefmt: str | None, true: dict) -> int | None:
    """The time logview gives a record (written in UTC, as the writer's converter has it), in ms; None when it has none."""
    if has(fmt, "created"):
        return round(float(f"{true['created']:f}") * 1000)  # %f writes microseconds: the half millisecond rounds as written
    if not has(fmt, "asctime"):
        return None
    moment = datetime.fromtimestamp(int(true["created"]), UTC)
    millis = int(true["msecs"]) if datefmt is None or has(fmt, "msecs") else 0
    if datefmt is not None and "%S" not in datefmt:
        moment = moment.replace(second=0)
    if datefmt is not None and "%d" not in datefmt:
        moment = moment.replace(year=1970, month=1, day=1)
    return int(moment.timestamp()) * 1000 + millis


def assert_records_are_the_truth(records: list[Record], truth: list[dict], fmt: str, datefmt: str | None) -> None:
    assert len(records) == len(truth), [record.message for record in records[:5]]
    by_message = {record.message.split("\n")[0]: record for record in records}
    for true in truth:
        record = by_message[true["message"]]
        if "failed" in true["message"]:
            assert record.message.startswith(true["message"] + "\nTraceback (most recent call last):")
            assert record.message.endswith("ZeroDivisionError: division by zero")
        else:
            assert record.message == true["message"]
        if has(fmt, "levelno"):
            assert record.levelno == true["levelno"]
        elif has(fmt, "levelname"):
            assert record.level == true["levelname"]
        assert record.logger == (true["name"] if has(fmt, "name") else None)
        assert record.pid == (true["process"] if has(fmt, "process") else None)
        if has(fmt, "processName"):
            assert record.fields.get("processName") == true["processName"]
        if has(fmt, "threadName"):
            assert record.fields.get("threadName") == true["threadName"]
        for where in ("pathname", "filename", "module", "funcName", "lineno"):
            if has(fmt, where):
                assert record.fields.get(where) == str(true[where]), (where, record.text)
        expected = expected_time(fmt, datefmt, true)
        if expected is not None:
            assert record.time == expected, (record.text, true["created"])


def indexed(path: Path) -> list[Record]:
    """The file's records as the index reads them (polars)."""
    pipeline = Pipeline()
    try:
        pipeline.load([str(path)])
        return list(RecordReader(pipeline).records(pipeline.timeline.positions(), line_numbers=False))
    finally:
        pipeline.close()


@pytest.mark.parametrize(("fmt", "style", "datefmt"), UNLISTED, ids=[f"{fmt} {datefmt or ''}" for fmt, _, datefmt in UNLISTED])
def test_an_unlisted_format_is_inferred_and_every_field_read(tmp_path: Path, fmt: str, style: str, datefmt: str | None) -> None:
    path, truth = write_from_processes(tmp_path, fmt, style, datefmt)
    # Several processes wrote (a pool may give two of the three tasks to one of its processes).
    assert len({true["process"] for true in truth}) >= 2
    detected = detect_format(sample_lines(path.read_bytes()))
    assert isinstance(detected, LogFormat)
    assert detected.origin == "inferred", detected
    written_alike = compile_format(fmt, style, datefmt)
    assert {spec.name for spec in detected.fields} == {spec.name for spec in written_alike.fields}, detected.fmt
    assert_records_are_the_truth(indexed(path), truth, fmt, datefmt)
    newest = newest_records([str(path)], len(truth))
    assert newest is not None
    assert_records_are_the_truth(newest.records, truth, fmt, datefmt)


def test_the_issues_formats_end_to_end(tmp_path: Path, logview) -> None:
    """Both formats of the issue, through the command line: the pid is read, and the message is the message."""
    for number, (fmt, style, datefmt) in enumerate(UNLISTED[:2]):
        directory = tmp_path / str(number)
        directory.mkdir()
        path, truth = write_from_processes(directory, fmt, style, datefmt)
        result = logview("--print", "--output", "jsonl", str(path))
        assert result.returncode == 0, result.stderr
        records = [json.loads(line) for line in result.stdout.splitlines()]
        assert sorted((r["pid"], r["level"], r["logger"], r["message"].split("\n")[0]) for r in records) == sorted(
            (t["process"], t["levelname"], t["name"], t["message"]) for t in truth
        )
        errors = logview("--print", "--output", "jsonl", "--level", "ERROR", str(path))
        assert all(json.loads(line)["level"] in ("ERROR", "CRITICAL") for line in errors.stdout.splitlines())


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda entry: entry.fmt)
def test_a_file_the_catalogue_reads_gets_the_catalogues_format(tmp_path: Path, entry) -> None:
    path = tmp_path / "app.log"
    with file_logger(logging.FileHandler(path, mode="w"), fmt=entry.fmt, style=entry.style, datefmt=entry.datefmt) as logger:
        for number in range(30):
            logger.name = ["myapp", "myapp.db", "myapp.web"][number % 3]
            logger.log(
                [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR][number % 4],
                "%s %d done",
                ["opened", "closed", "sent", "parsed", "queued", "saved", "moved"][number % 7],
                number,
            )
            if number == 5:
                try:
                    1 / 0  # noqa: B018
                except ZeroDivisionError:
                    logger.exception("it broke")
    detected = detect_format(sample_lines(path.read_bytes()))
    assert isinstance(detected, LogFormat) and detected.origin.startswith("catalogue"), detected


def test_tracebacks_in_the_sample_do_not_confuse_it(tmp_path: Path) -> None:
    """A sample as much traceback as records: the format is inferred from the records' lines alone."""
    path = tmp_path / "app.log"
    fmt = "%(asctime)s %(levelname)s [%(name)s] %(process)d %(message)s"
    with file_logger(logging.FileHandler(path, mode="w"), fmt=fmt) as logger:
        logger.name = "app.jobs"
        for number in range(12):
            try:
                {}["missing"]  # noqa: B018
            except KeyError:
                logger.exception("job %d failed:\n  with a message of two lines", number)
            logger.info("job %d retried", number)
    detected = detect_format(sample_lines(path.read_bytes()))
    assert isinstance(detected, LogFormat) and detected.fmt == fmt and detected.origin == "inferred"
    records = indexed(path)
    assert len(records) == 24 and {record.pid for record in records} == {os.getpid()}
    assert records[0].message.startswith("job 0 failed:\n  with a message of two lines\nTraceback")


def test_an_inferred_format_is_remembered(tmp_path: Path, format_cache) -> None:
    """The next run reuses the answer: the remembered entry names the inferred format, and its origin."""
    from logview.core.parse import remembered

    path, _ = write_from_processes(tmp_path, *UNLISTED[0])
    sample = sample_lines(path.read_bytes())
    first = remembered.remembered(sample, None, (), lambda: detect_format(sample))
    again = remembered.remembered(sample, None, (), lambda: pytest.fail("detected again"))
    assert first == again and isinstance(again, LogFormat) and again.origin == "inferred"


@pytest.mark.parametrize(
    "fmt", ["%(thread)d %(levelname)s %(message)s", "%(thread)d %(levelno)d %(message)s", "%(thread)d - %(levelno)d %(message)s"]
)
def test_a_level_in_a_thread_names_place_is_a_level(tmp_path: Path, fmt: str) -> None:
    """The cookbook's ``%(relativeCreated)6d %(threadName)s`` reads ``140000000000000 DEBUG ...`` as a thread named DEBUG:
    a level name in a name's place on every line sends detection to inference, which reads the thread ident and the level."""
    path = tmp_path / "app.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(fmt))
    messages = ["Starting up", "connection reset by peer (errno 104)", "- dash first", "values: 1, 2, 3"]
    for number in range(24):
        levelno = (logging.DEBUG, logging.INFO)[number % 2]
        handler.emit(
            logging.makeLogRecord(
                {"levelno": levelno, "levelname": logging.getLevelName(levelno), "msg": f"{messages[number % 4]} #{number}"}
            )
        )
    handler.close()
    detected = detect_format(sample_lines(path.read_bytes()))
    assert isinstance(detected, LogFormat)
    assert detected.fmt == fmt, detected.fmt
