"""Entries of a Python service that logs to its standard error under systemd: logging's own lines, read with their level and logger."""

from __future__ import annotations

import json
import random
import subprocess
import threading
from pathlib import Path

import numpy as np
import pytest

from logview.core.pipeline import Pipeline
from logview.core.record import Record
from logview.core.records import RecordReader
from logview.core.running_sources import NoEvents
from logview.core.sources import journal as journal_source
from logview.core.sources.journal import JournalSource, JournalTarget
from logview.journal_upload import Collector, export_entry, journal_remote_path
from tests.command import run_logview
from tests.live.children import logview_child
from tests.waiting import DEADLINE, wait_until


def _stderr_entry(number: int, message: str, identifier: str, pid: int = 4242) -> bytes:
    """An entry as journald writes a service's stderr line: PRIORITY 6 whatever the line says, no LOGGER."""
    return export_entry(
        {
            "__REALTIME_TIMESTAMP": str(1_796_500_000_000_000 + number * 1000),
            "__MONOTONIC_TIMESTAMP": str(number + 1),
            "_BOOT_ID": "0" * 31 + "1",
            "_HOSTNAME": "web-1",
            "_PID": str(pid),
            "LINE_NUMBER": str(number),
            "_TRANSPORT": "stdout",
            "SYSLOG_IDENTIFIER": identifier,
            "PRIORITY": "6",
            "MESSAGE": message,
        }
    )


def _journal_of(collector: Collector, tmp_path: Path, entries: list[bytes]) -> Path:
    export = tmp_path / "entries.export"
    export.write_bytes(b"".join(entries))
    program = journal_remote_path()
    assert program is not None
    journal = Path(collector.directory) / "remote-web-1.journal"
    subprocess.run([program, f"--output={journal}", str(export)], check=True, capture_output=True)
    return journal


def test_logging_lines_sent_through_stderr_are_read_with_their_level_and_logger(collector: Collector, tmp_path: Path) -> None:
    chooser = random.Random(3)
    levels = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
    stream, expected = [], []
    for number in range(60):
        level, logger = chooser.choice(levels), chooser.choice(("shop", "shop.db", "shop.http"))
        stream.append(_stderr_entry(number, f"2026-12-06 10:00:{number:02d},000 {level} {logger}: step {number} done", "shop"))
        expected.append((level, logger, f"step {number} done"))
    # Another program's lines beside them keep the journal's reading: its priority, its identifier as the logger.
    stream.append(_stderr_entry(99, "Started Daily apt upgrade and clean activities.", "systemd"))
    done = run_logview("--print", "--output", "jsonl", str(_journal_of(collector, tmp_path, stream)))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(record["level"], record["logger"], record["message"]) for record in records[:-1]] == expected
    assert (records[-1]["level"], records[-1]["logger"], records[-1]["message"]) == (
        "INFO",
        "systemd",
        "Started Daily apt upgrade and clean activities.",
    )
    assert {record["hostname"] for record in records} == {"web-1"}


def test_padded_logging_lines_are_read_without_their_padding_and_kept_by_a_level_filter_pushed_down(
    collector: Collector, tmp_path: Path
) -> None:
    levels = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
    entries = [
        _stderr_entry(number, f"2026-12-06 10:00:{number:02d},000 {levels[number % 5]:<8} {'shop.db':<12} step {number}", "shop")
        for number in range(40)
    ]
    # Plain words are no level: another program's lines are kept whole.
    entries += [_stderr_entry(50 + number, f"GET /index.html 200 {number}", "nginx") for number in range(25)]
    journal = _journal_of(collector, tmp_path, entries)
    every = [json.loads(line) for line in run_logview("--print", "--output", "jsonl", str(journal)).stdout.splitlines()]
    shop = [record for record in every if record["logger"] == "shop.db"]
    assert [(record["level"], record["message"]) for record in shop] == [(levels[number % 5], f"step {number}") for number in range(40)]
    nginx = [record for record in every if record["logger"] == "nginx"]
    assert [record["message"] for record in nginx] == [f"GET /index.html 200 {number}" for number in range(25)]
    assert {record["level"] for record in nginx} == {"INFO"}
    # PRIORITY is 6 on every one of them: the pushed-down level keeps what a service wrote to its standard error.
    errors = [
        json.loads(line) for line in run_logview("--print", "--output", "jsonl", "--level", "ERROR", str(journal)).stdout.splitlines()
    ]
    assert [record["message"] for record in errors] == [f"step {number}" for number in range(40) if number % 5 >= 3]


def test_a_traceback_written_line_by_line_to_standard_error_is_one_record_with_the_line_before_it(
    collector: Collector, tmp_path: Path
) -> None:
    traceback = ["Traceback (most recent call last):", '  File "/srv/shop/db.py", line 12, in fetch', "KeyError: 'order'"]
    lines = [f"2026-12-06 10:00:{number:02d},000 INFO shop.db: step {number}" for number in range(25)]
    lines[10:11] = ["2026-12-06 10:00:10,000 ERROR shop.db: fetch failed", *traceback]
    entries = [_stderr_entry(number, line, "shop") for number, line in enumerate(lines)]
    # Another process of the same service, just before: its line is no logging line's continuation, and continues none.
    entries.insert(10, _stderr_entry(10, "2026-12-06 10:00:09,500 INFO shop.http: served", "shop", pid=4343))
    journal = _journal_of(collector, tmp_path, entries)
    records = [json.loads(line) for line in run_logview("--print", "--output", "jsonl", str(journal)).stdout.splitlines()]
    failed = next(record for record in records if record["message"].startswith("fetch failed"))
    assert failed["level"] == "ERROR" and failed["logger"] == "shop.db"
    assert failed["message"] == "\n".join(["fetch failed", *traceback])
    assert failed["LINE_NUMBER"] == "10"  # the record's other fields are its first entry's
    served = next(record for record in records if record["message"] == "served")
    assert served["pid"] == 4343 and served["logger"] == "shop.http"
    assert len(records) == 25 + 1  # the 25 logging lines (the traceback is the error's), and pid 4343's


#: A traceback as a service's standard error writes it under systemd: one entry a line.
TRACEBACK = ["Traceback (most recent call last):", '  File "/srv/shop/db.py", line 12, in fetch', "KeyError: 'order'"]


def _service_lines(count: int, failures: set[int]) -> list[tuple[int, str]]:
    """``count`` logging lines of pid 4242, each failure's followed by the traceback's lines: (pid, line) each."""
    lines: list[tuple[int, str]] = []
    for number in range(count):
        if number in failures:
            lines.append((4242, f"2026-12-06 10:00:{number:02d},000 ERROR shop.db: fetch {number} failed"))
            lines += [(4242, line) for line in TRACEBACK]
        else:
            lines.append((4242, f"2026-12-06 10:00:{number:02d},000 INFO shop.db: step {number}"))
    return lines


def _expected(lines: list[tuple[int, str]]) -> list[tuple[int, str, int]]:
    """(pid, message, the LINE_NUMBER of its first entry) of each record the lines make: a traceback's lines join its pid's last."""
    records: list[tuple[int, str, int]] = []
    last: dict[int, int] = {}  # a pid's last record: its place in ``records``
    for number, (pid, line) in enumerate(lines):
        if line in TRACEBACK:
            _, message, first = records[last[pid]]
            records[last[pid]] = (pid, f"{message}\n{line}", first)
            continue
        last[pid] = len(records)
        records.append((pid, line.split(": ", 1)[1], number))
    return records


def _read_in_process(journal: Path) -> list[Record]:
    """The journal file's records with their other fields, read by a JournalSource in this process (its module's constants patched)."""
    pipeline = Pipeline()
    running = pipeline.start([JournalSource(JournalTarget(files=(str(journal),)))], NoEvents())
    try:
        assert running.wait(DEADLINE), "the journal read to its end"
        return list(RecordReader(pipeline).records(np.arange(len(pipeline.timeline)), details=True))
    finally:
        running.close()
        pipeline.close()


def test_a_traceback_cut_by_the_end_of_a_read_is_one_record_with_its_first_entrys_fields(
    collector: Collector, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # journalctl's output taken a few hundred bytes at a time: an entry or two a batch, so every traceback straddles cuts.
    monkeypatch.setattr(journal_source, "READ_BYTES", 600)
    monkeypatch.setattr(journal_source, "BACKLOG_BYTES", 1)
    lines = _service_lines(30, {3, 11, 12, 25})
    # Another process's line between a record and its traceback, cut apart too.
    lines.insert(lines.index((4242, TRACEBACK[0]), 10), (4343, "2026-12-06 10:00:11,500 INFO shop.http: served"))
    entries = [_stderr_entry(number, line, "shop", pid=pid) for number, (pid, line) in enumerate(lines)]
    records = _read_in_process(_journal_of(collector, tmp_path, entries))
    assert [(record.pid, record.message, int(record.fields["LINE_NUMBER"])) for record in records] == _expected(lines)


def test_a_traceback_interleaved_with_another_processs_line_joins_the_record_of_its_own_process(
    collector: Collector, tmp_path: Path
) -> None:
    lines = _service_lines(25, {4, 10, 18})
    # pid 4343's lines between pid 4242's failure and its traceback, and inside the traceback.
    at = lines.index((4242, TRACEBACK[0]), 10)
    lines.insert(at, (4343, "2026-12-06 10:00:10,500 INFO shop.http: served"))
    lines.insert(at + 3, (4343, "2026-12-06 10:00:10,600 WARNING shop.http: slow"))
    at = lines.index((4242, TRACEBACK[0]), 20)
    lines[at:at] = [(4343, f"2026-12-06 10:00:18,{number:03d} INFO shop.http: served {number}") for number in range(5)]
    entries = [_stderr_entry(number, line, "shop", pid=pid) for number, (pid, line) in enumerate(lines)]
    done = run_logview("--print", "--output", "jsonl", str(_journal_of(collector, tmp_path, entries)))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    # Each record's other fields are its first entry's, whichever entries came between its own.
    assert [(record["pid"], record["message"], int(record["LINE_NUMBER"])) for record in records] == _expected(lines)


def test_the_last_record_of_a_followed_service_is_printed_though_no_line_comes_after_it(collector: Collector, tmp_path: Path) -> None:
    child = logview_child("--print", "-f", "--output", "jsonl", "--journal", collector.directory)
    try:
        lines = _service_lines(25, {24})
        entries = [_stderr_entry(number, line, "shop", pid=pid) for number, (pid, line) in enumerate(lines)]
        _journal_of(collector, tmp_path, entries)
        # Its traceback might still have been coming: the record is printed once the journal is quiet, whole.
        child.wait_until(lambda: len(child.lines) == 25, "the 25 records, the last with its traceback")
    finally:
        status = child.interrupt()
    records = [json.loads(line) for line in child.lines]
    assert [(record["pid"], record["message"], int(record["LINE_NUMBER"])) for record in records] == _expected(lines)
    assert status == 130


def test_a_traceback_whose_lines_come_at_the_next_look_while_following_joins_its_record(
    collector: Collector, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Looks far apart next to the time a round takes to write: the traceback's round lands before the look after the failure's.
    monkeypatch.setattr(journal_source, "FOLLOW_SECONDS", 2.0)
    lines = _service_lines(25, {24})
    entries = [_stderr_entry(number, line, "shop", pid=pid) for number, (pid, line) in enumerate(lines)]
    pipeline, stop = Pipeline(growing=True), threading.Event()
    running = pipeline.start([JournalSource(JournalTarget(directory=collector.directory), follow=True)], NoEvents(), stop)
    try:
        _journal_of(collector, tmp_path, entries[:25])
        # The failure's record may still be continued: it waits for the next look, the 24 before it are indexed.
        wait_until(lambda: len(pipeline.timeline) >= 24, "the records before the failure indexed")
        _journal_of(collector, tmp_path, entries[25:])
        wait_until(lambda: any(message.endswith(TRACEBACK[-1]) for message in _messages(pipeline)), "the traceback's last line read")
        pipeline.timeline.merge()
        records = list(RecordReader(pipeline).records(np.arange(len(pipeline.timeline)), details=True))
        assert [(record.pid, record.message, int(record.fields["LINE_NUMBER"])) for record in records] == _expected(lines)
    finally:
        stop.set()
        running.wait(DEADLINE)
        running.close()
        pipeline.close()


def _messages(pipeline: Pipeline) -> list[str]:
    return [record.message for record in RecordReader(pipeline).records(np.arange(len(pipeline.timeline)))]
