"""The journal as a source, on journals a real systemd-journal-remote wrote from real Python programs, one host each."""

from __future__ import annotations

import json
import os
import shutil
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from logview.core.index.source_state import SourceState
from logview.core.pipeline import Pipeline
from logview.core.records import RecordReader
from logview.core.running_sources import NoEvents
from logview.core.sources.journal import JournalSource, JournalTarget
from logview.core.sources.source import Source
from logview.journal_upload import Collector, export_entry
from tests.command import run_logview
from tests.journal.hosts import THREADS, expected_level, expected_logger, send, written_journal
from tests.live.children import logview_child
from tests.waiting import wait_until

RECORDS = 40


def _records(stdout: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def _number(record: dict[str, object]) -> int:
    return int(str(record["message"]).split()[3])


def test_three_hosts_are_read_once_in_time_order_with_level_logger_thread_process_and_host(collector: Collector) -> None:
    pids = {f"host-{host}": send(collector, host, RECORDS) for host in range(3)}
    done = run_logview("--print", "--output", "jsonl", "--journal", collector.directory)
    assert done.returncode == 0, done.stderr
    records = _records(done.stdout)
    keys = [(record["hostname"], record["threadName"], _number(record)) for record in records]
    assert len(records) == 3 * len(THREADS) * RECORDS
    assert len(set(keys)) == len(keys)  # each once
    times = [str(record["time"]) for record in records]
    assert times == sorted(times)
    for record in records:
        host, round_name, thread, number = str(record["message"]).split()[:4]
        assert (record["hostname"], record["threadName"]) == (host, thread)
        assert record["level"] == expected_level(int(number))
        assert record["logger"] == expected_logger(int(number))
        assert record["pid"] == pids[host]
        assert record["processName"] == "MainProcess"
        # The entry's other fields, read again from journalctl for this output, as for the details view.
        assert (record["CODE_FUNC"], str(record["CODE_FILE"]).rsplit("/", 1)[-1], record["_TRANSPORT"]) == ("log", "hosts.py", "journal")
        assert "MESSAGE" not in record and "__CURSOR" not in record
        if int(number) % 7 == 3:  # a traceback: the record's further lines
            assert str(record["message"]).endswith(f"ValueError: bad value {number}")


def test_host_level_and_pid_filters_are_pushed_down_to_journalctl_and_kept(collector: Collector) -> None:
    pids = [send(collector, host, RECORDS) for host in range(3)]
    done = run_logview("--print", "--output", "jsonl", "--journal", collector.directory, "--host", "host-1", "--level", "ERROR")
    assert done.returncode == 0, done.stderr
    records = _records(done.stdout)
    assert records and {record["hostname"] for record in records} == {"host-1"}
    assert {record["level"] for record in records} == {"ERROR", "CRITICAL"}
    assert len(records) == len(THREADS) * sum(expected_level(number) in ("ERROR", "CRITICAL") for number in range(RECORDS))
    by_pid = _records(run_logview("--print", "--output", "jsonl", "--journal", collector.directory, "--pid", str(pids[2])).stdout)
    assert len(by_pid) == len(THREADS) * RECORDS and {record["hostname"] for record in by_pid} == {"host-2"}


def test_a_journal_file_and_a_log_file_merge_into_one_timeline(collector: Collector, tmp_path: Path) -> None:
    send(collector, 0, 5, "before")
    log = tmp_path / "app.log"
    log.write_text("2000-01-01 00:00:00,000 INFO old.logger the oldest record\n2099-01-01 00:00:00,000 INFO new.logger the newest record\n")
    journal = next(Path(collector.directory).glob("*.journal"))
    done = run_logview("--print", "--output", "jsonl", str(log), str(journal))
    assert done.returncode == 0, done.stderr
    records = _records(done.stdout)
    assert records[0]["message"] == "the oldest record" and records[-1]["message"] == "the newest record"
    assert len(records) == 2 + len(THREADS) * 5


def test_following_a_collector_prints_each_record_once_as_the_hosts_send_them(collector: Collector) -> None:
    send(collector, 0, 5, "before")
    child = logview_child("--print", "-f", "--output", "jsonl", "--journal", collector.directory)
    try:
        child.wait_until(lambda: len(child.lines) == len(THREADS) * 5, "the records sent before logview started")
        for round_number in range(1, 3):
            for host in range(3):
                send(collector, host, 10, f"r{round_number}")
        expected = len(THREADS) * (5 + 2 * 3 * 10)
        child.wait_until(lambda: len(child.lines) >= expected, f"{expected} records printed")
    finally:
        status = child.interrupt()
    records = _records(b"\n".join(child.lines))
    keys = [(record["hostname"], str(record["message"]).split()[1], record["threadName"], _number(record)) for record in records]
    assert len(keys) == expected and len(set(keys)) == expected, child.stderr
    assert status == 130


def test_a_file_journalctl_cannot_open_is_said_in_one_line_and_the_others_are_read(collector: Collector, tmp_path: Path) -> None:
    send(collector, 0, 5)
    good = next(Path(collector.directory).glob("*.journal"))
    truncated = tmp_path / "truncated.journal"
    truncated.write_bytes(good.read_bytes()[:1000])
    done = run_logview("--print", "--output", "jsonl", str(truncated), str(good))
    lines = done.stderr.decode().splitlines()
    assert lines == [f"logview: {truncated}: Failed to open files: No data available"] or (
        len(lines) == 1 and lines[0].startswith(f"logview: {truncated}: ")
    ), lines
    assert len(_records(done.stdout)) == len(THREADS) * 5
    assert done.returncode == 1


def test_a_directory_without_journals_is_said_in_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run_logview("--print", "--journal", str(empty))
    assert done.stderr.decode().splitlines() == [f"logview: journal {empty}: no journal files in it"]
    assert done.returncode == 1


def test_journalctl_missing_is_said_in_one_line_naming_the_package(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text("2024-01-01 00:00:00,000 INFO app still read\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(shutil.which("python3") or "/usr/bin/python3", bin_dir / "python3")
    env = {**os.environ, "PATH": str(bin_dir)}
    child = logview_child("--print", str(log), "--journal", env=env)
    status = child.stop()
    assert child.stderr.splitlines() == [
        "logview: journalctl not found: install systemd's journalctl (Debian and Ubuntu: apt-get install systemd)"
    ]
    assert child.lines == [b"2024-01-01 00:00:00,000 INFO app still read"]
    assert status == 1


def test_a_collector_that_goes_away_while_followed_is_said_once_and_what_it_wrote_stays(collector: Collector) -> None:
    send(collector, 0, 5)
    child = logview_child("--print", "-f", "--output", "jsonl", "--journal", collector.directory)
    try:
        child.wait_until(lambda: len(child.lines) == len(THREADS) * 5, "the records sent")
        collector.stop()
        shutil.rmtree(collector.directory)
        gone = f"logview: journal {collector.directory}: is gone: what was read stays shown, and it is looked for"
        child.wait_for_stderr(gone, "the directory gone said")
    finally:
        status = child.interrupt()
    assert child.stderr.count("is gone") == 1
    assert len(child.lines) == len(THREADS) * 5 and status == 130


def test_since_and_until_are_pushed_down_and_kept_exactly(collector: Collector) -> None:
    send(collector, 0, 6, "old", skew=-7200.0)  # two hours ago
    send(collector, 1, 6, "now")
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    recent = _records(run_logview("--print", "--output", "jsonl", "--journal", collector.directory, "--since", since).stdout)
    assert {record["hostname"] for record in recent} == {"host-1"} and len(recent) == len(THREADS) * 6
    old = _records(run_logview("--print", "--output", "jsonl", "--journal", collector.directory, "--until", since).stdout)
    assert {record["hostname"] for record in old} == {"host-0"} and len(old) == len(THREADS) * 6


def test_a_pid_filter_finds_syslog_pid_and_until_keeps_what_comes_after_a_later_entry(collector: Collector, tmp_path: Path) -> None:
    start = 1_796_500_000_000_000
    # Times that go back (a clock set back): 100 s, 200 s, 1000 s, 300 s, 400 s, 500 s.
    seconds = (100, 200, 1000, 300, 400, 500)
    entries = [
        export_entry(
            {
                "__REALTIME_TIMESTAMP": str(start + second * 1_000_000),
                "__MONOTONIC_TIMESTAMP": str(number + 1),
                "_BOOT_ID": "0" * 31 + "2",
                "_HOSTNAME": "old-box",
                "SYSLOG_IDENTIFIER": "cron",
                "SYSLOG_PID": "77",
                "PRIORITY": "6",
                "MESSAGE": f"at {second}",
            }
        )
        for number, second in enumerate(seconds)
    ]
    journal = written_journal(collector, tmp_path, "old-box", entries)
    by_pid = _records(run_logview("--print", "--output", "jsonl", "--pid", "77", str(journal)).stdout)
    assert [record["message"] for record in by_pid] == [f"at {second}" for second in sorted(seconds)]
    until = datetime.fromtimestamp(start / 1_000_000 + 600, UTC).isoformat()
    kept = _records(run_logview("--print", "--output", "jsonl", "--until", until, str(journal)).stdout)
    assert [record["message"] for record in kept] == ["at 100", "at 200", "at 300", "at 400", "at 500"]


def test_a_file_the_collector_rotates_while_followed_loses_and_repeats_nothing(tmp_path: Path) -> None:
    directory = tmp_path / "remote"
    first = Collector(str(directory))
    try:
        send(first, 0, 5, "a")
        child = logview_child("--print", "-f", "--output", "jsonl", "--journal", str(directory))
        child.wait_until(lambda: len(child.lines) == len(THREADS) * 5, "round a")
        send(first, 0, 5, "b")
    finally:
        first.stop()
    # As journald and systemd-journal-remote set a full file aside: renamed with an @, a new one made at the name.
    live = directory / "remote-127.0.0.2.journal"
    live.rename(directory / "remote-127.0.0.2@0123456789abcdef0123456789abcdef-0000000000000001-0000000000000001.journal")
    with Collector(str(directory)) as second:
        send(second, 0, 5, "c")
        try:
            child.wait_until(lambda: len(child.lines) >= len(THREADS) * 15, "rounds b and c")
            # Another host's round, read in a later look at the files: a record read twice would have come by then.
            send(second, 1, 2, "d")
            child.wait_until(lambda: any(b'"host-1"' in line for line in child.lines[len(THREADS) * 15 :]), "round d")
            child.wait_until(lambda: len(child.lines) >= len(THREADS) * 17, "all of round d")
        finally:
            status = child.interrupt()
    records = _records(b"\n".join(child.lines))
    rounds = [(record["hostname"], str(record["message"]).split()[1], record["threadName"], _number(record)) for record in records]
    assert len(rounds) == len(set(rounds)) == len(THREADS) * 17, child.stderr
    assert status == 130


def test_a_records_other_fields_are_its_own_after_the_collector_rotated_its_file(tmp_path: Path) -> None:
    directory = tmp_path / "remote"
    pipeline, stop = Pipeline(growing=True), threading.Event()
    running = None
    try:
        with Collector(str(directory)) as first:
            send(first, 0, 3, "a")
            running = pipeline.start([JournalSource(JournalTarget(directory=str(directory)), follow=True)], NoEvents(), stop)
            wait_until(lambda: len(pipeline.timeline) == len(THREADS) * 3, "round a indexed")
        live = directory / "remote-127.0.0.2.journal"
        live.rename(directory / "remote-127.0.0.2@0123456789abcdef0123456789abcdef-0000000000000001-0000000000000001.journal")
        with Collector(str(directory)) as second:
            send(second, 0, 3, "c")
            wait_until(lambda: len(pipeline.timeline) == len(THREADS) * 6, "round c indexed")
        pipeline.timeline.merge()
        records = list(RecordReader(pipeline).records(np.arange(len(pipeline.timeline)), details=True))
        boots = {str(record.message).split()[1]: set() for record in records}
        for record in records:
            boots[str(record.message).split()[1]].add(record.fields.get("_BOOT_ID"))
        # Each sender process has a boot id of its own: a record given another entry's fields would mix them.
        assert len(boots["a"]) == len(boots["c"]) == 1 and boots["a"] != boots["c"] and None not in boots["a"] | boots["c"]
    finally:
        stop.set()
        if running is not None:
            running.wait()
            running.close()
        pipeline.close()


class _Progress(NoEvents):
    """The records indexed each time the source says it read further, until it caught up."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.seen: list[int] = []
        self.done = False

    def changed(self, source: SourceState) -> None:
        if not self.done:
            self.seen.append(len(self.pipeline.timeline))

    def caught_up(self, source: Source) -> None:
        self.done = True


def test_the_records_read_so_far_are_told_before_the_journal_is_read_to_its_end(collector: Collector, tmp_path: Path) -> None:
    entries = [
        export_entry({"__REALTIME_TIMESTAMP": str(1_796_500_000_000_000 + number), "MESSAGE": f"n {number} " + "x" * 200})
        for number in range(20_000)
    ]
    journal = written_journal(collector, tmp_path, "box", entries)
    pipeline, stop = Pipeline(growing=False), threading.Event()
    progress = _Progress(pipeline)
    running = pipeline.start([JournalSource(JournalTarget(files=(str(journal),)))], progress, stop)
    try:
        running.wait()
    finally:
        running.close()
        pipeline.close()
    # The viewer draws its first screen from these (ui/source_events.py), as it does from a file's chunks.
    assert len(progress.seen) > 1 and 0 < progress.seen[0] < 20_000 and progress.seen == sorted(progress.seen)
