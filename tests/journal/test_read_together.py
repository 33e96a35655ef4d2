"""Many hosts' journal files read by one journalctl, in time order, then followed file by file (journal_together.py).

The files are written by a real systemd-journal-remote from export
entries whose times interleave across hosts, as a collector's do.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from logview.core.pipeline import Pipeline
from logview.core.records import RecordReader
from logview.core.running_sources import NoEvents
from logview.core.sources.journal import JournalSource, JournalTarget
from logview.core.sources.journal_files import JournalFile
from logview.core.sources.journal_together import TOGETHER_MOST, readable_chains
from logview.journal_upload import Collector, export_entry
from tests.command import run_logview
from tests.journal.hosts import journal_written_on, rotated_journals, written_journal
from tests.waiting import wait_until

START = 1_796_500_000_000_000
HOSTS = ("alpha", "beta", "gamma")


def _entry(number: int) -> bytes:
    """Entry ``number`` of host ``number % 3``: the hosts take turns, a second apart."""
    return export_entry(
        {
            "__REALTIME_TIMESTAMP": str(START + number * 1_000_000),
            "__MONOTONIC_TIMESTAMP": str(number + 1),
            "_BOOT_ID": f"{number % 3 + 1:032x}",
            "_HOSTNAME": HOSTS[number % 3],
            "_PID": "700",
            "CODE_LINE": str(number),
            "LOGGER": "jobs",
            "PRIORITY": "6",
            "MESSAGE": f"job {number}",
        }
    )


def _write(collector: Collector, tmp_path: Path, numbers: range) -> None:
    """Each host's entries among ``numbers``, appended to its file."""
    for host, name in enumerate(HOSTS):
        written_journal(collector, tmp_path, name, [_entry(number) for number in numbers if number % 3 == host])


def _set_aside(collector: Collector, name: str) -> None:
    """As the collector sets a full file aside: renamed with an ``@``; the next entries go to a new file."""
    live = Path(collector.directory) / f"remote-{name}.journal"
    live.rename(live.with_name(f"remote-{name}@{'ab' * 16}-0000000000000001-0000000000000001.journal"))


def _numbers(pipeline: Pipeline) -> list[tuple[int, str]]:
    """Each record's number, in timeline order, and its ``CODE_LINE`` read again from journalctl (the details)."""
    pipeline.timeline.merge()
    rows = pipeline.timeline.order if pipeline.timeline.order is not None else np.arange(len(pipeline.timeline))
    return [
        (int(record.message.split()[1]), record.fields.get("CODE_LINE", ""))
        for record in RecordReader(pipeline).records(rows, details=True)
    ]


def test_hosts_read_together_come_in_time_order_without_an_order_array_and_are_followed_each_from_its_own_last(
    collector: Collector, tmp_path: Path
) -> None:
    _write(collector, tmp_path, range(0, 30))
    _set_aside(collector, "beta")  # beta's first entries are in a file set aside, the next in a new one
    _write(collector, tmp_path, range(30, 60))
    pipeline, stop = Pipeline(growing=True), threading.Event()
    running = pipeline.start([JournalSource(JournalTarget(directory=collector.directory), follow=True)], NoEvents(), stop)
    try:
        wait_until(lambda: len(pipeline.timeline) == 60, "the four files read")
        assert _numbers(pipeline) == [(number, str(number)) for number in range(60)]
        # Arrival order is time order: the timeline holds no order array (4 bytes a record).
        assert pipeline.timeline.order is None
        # Followed from each file's own last entry: each host's new entries once, none of the first read again.
        _write(collector, tmp_path, range(60, 75))
        wait_until(lambda: len(pipeline.timeline) == 75, "the entries written after the first read")
        assert sorted(_numbers(pipeline)) == [(number, str(number)) for number in range(75)]
    finally:
        stop.set()
        running.wait()
        running.close()
        pipeline.close()


def test_a_truncated_file_among_files_read_together_is_named_and_the_rest_are_read(collector: Collector, tmp_path: Path) -> None:
    _write(collector, tmp_path, range(0, 300))
    broken = Path(collector.directory) / "remote-beta.journal"
    with broken.open("r+b") as journal:
        journal.truncate(broken.stat().st_size // 2)
    done = run_logview("--print", "--output", "jsonl", "--journal", collector.directory)
    numbers = [int(json.loads(line)["message"].split()[1]) for line in done.stdout.splitlines()]
    assert [number for number in numbers if number % 3 != 1] == [number for number in range(300) if number % 3 != 1]
    assert done.stderr.count(b"\n") == 1 and b"remote-beta.journal" in done.stderr, done.stderr


def _file(name: str, seqnum_id: int, head: int, tail: int, cursor: str | None = None) -> JournalFile:
    """A journal file as a look at its header found it: its sequence number id, first and last sequence numbers."""
    journal = JournalFile(f"/var/log/journal/m/{name}", 3)
    journal.cursor = cursor
    header = bytearray(256)
    header[:8] = b"LPKSHHRH"
    header[72:88] = seqnum_id.to_bytes(16, "big")
    header[152:160] = (tail - head + 1).to_bytes(8, "little")
    header[160:168] = tail.to_bytes(8, "little")
    header[168:176] = head.to_bytes(8, "little")
    journal.looked = bytes(header)
    return journal


def test_only_files_whose_entries_can_each_be_told_their_file_are_read_together() -> None:
    set_aside = _file("remote-a@x.journal", 1, 1, 100)
    live = _file("remote-a.journal", 1, 101, 150)
    other_host = _file("remote-b.journal", 2, 1, 80)
    assert readable_chains([live, other_host, set_aside]) == [[set_aside, live], [other_host]]
    # journald's system and user files share one count: their entries cannot be told apart by it.
    system, user = _file("system.journal", 3, 1, 500), _file("user-1000.journal", 3, 40, 480)
    assert readable_chains([system, user, other_host]) == []
    assert readable_chains([_file("system@x.journal", 3, 1, 300), _file("user-1000@x.journal", 3, 200, 480), live]) == []
    # Two files of one id still written to (neither set aside): the next entry could go to either.
    assert readable_chains([_file("system.journal", 4, 1, 10), _file("user-1000.journal", 4, 11, 20)]) == []
    # A file read before is read on after its own last entry, alone.
    assert readable_chains([_file("remote-c.journal", 5, 1, 9, cursor="s=5;i=9"), other_host]) == []


def test_no_more_hosts_than_a_wave_can_hold_are_read_together() -> None:
    hosts = [_file(f"remote-{host}.journal", host + 1, 1, 10) for host in range(TOGETHER_MOST)]
    assert readable_chains(hosts[:-1]) == [[host] for host in hosts[:-1]]
    assert readable_chains(hosts) == []
    # Read unchecked (a query), one journalctl reads every file at once: no more than it reads at full speed.
    rotated = [
        [_file(f"remote-{host}@{n}.journal" if n < 24 else f"remote-{host}.journal", host + 1, 10 * n + 1, 10 * n + 10) for n in range(25)]
        for host in range(2)
    ]
    assert readable_chains([journal for chain in rotated for journal in chain]) == rotated
    assert readable_chains([journal for chain in rotated for journal in chain], checked=False) == []


def _rotated_entry(number: int, host: int, micros: int) -> bytes:
    return export_entry(
        {
            "__REALTIME_TIMESTAMP": str(micros),
            "__MONOTONIC_TIMESTAMP": str(number + 1),
            "_BOOT_ID": f"{host + 1:032x}",
            "_HOSTNAME": HOSTS[host],
            "_PID": "700",
            "CODE_LINE": str(number),
            "LOGGER": "jobs",
            "PRIORITY": str(3 if number % 4 == 0 else 6),
            "MESSAGE": f"job {number} " + "x" * 60,
        }
    )


def _rotated_hosts(tmp_path: Path, per_host: int, clock_back: int | None = None) -> Path:
    """Three hosts' journals as systemd-journal-remote writes them when its files fill: several files a host, whose
    times interleave across hosts; ``clock_back``: the number of an entry from which alpha's clock is a minute behind."""
    directory = tmp_path / "remote"
    for host in range(3):
        numbers = range(host, 3 * per_host, 3)
        micros = [
            START + number * 1000 - (60_000_000 if clock_back is not None and host == 0 and number >= clock_back else 0)
            for number in numbers
        ]
        rotated_journals(
            directory, HOSTS[host], [_rotated_entry(number, host, at) for number, at in zip(numbers, micros, strict=True)], tmp_path
        )
    return directory


def test_hosts_whose_files_the_collector_rotated_are_read_a_file_each_at_a_time_in_time_order_and_each_once(tmp_path: Path) -> None:
    directory = _rotated_hosts(tmp_path, 1600)
    assert len(list(directory.glob("*.journal"))) >= 9
    pipeline, stop = Pipeline(growing=True), threading.Event()
    running = pipeline.start([JournalSource(JournalTarget(directory=str(directory)), follow=True)], NoEvents(), stop)
    try:
        wait_until(lambda: len(pipeline.timeline) == 4800, "every host's files read")
        assert _numbers(pipeline) == [(number, str(number)) for number in range(4800)]
        assert pipeline.timeline.order is None
        # Followed on from each file's own last entry: each host's live file is written on.
        for host, name in enumerate(HOSTS):
            entries = [_rotated_entry(number, host, START + number * 1000) for number in range(4800 + host, 4830, 3)]
            journal_written_on(directory / f"remote-{name}.journal", tmp_path, entries)
        wait_until(lambda: len(pipeline.timeline) == 4830, "the entries written after the first read")
        assert _numbers(pipeline) == [(number, str(number)) for number in range(4830)]
    finally:
        stop.set()
        running.wait()
        running.close()
        pipeline.close()
    # A query's matches leave gaps in the sequence numbers: the files are read in one wave.
    done = run_logview("--print", "--output", "jsonl", "--level", "ERROR", "--journal", str(directory))
    numbers = [int(json.loads(line)["message"].split()[1]) for line in done.stdout.splitlines()]
    assert numbers == list(range(0, 4830, 4)), done.stderr


def test_a_host_whose_clock_goes_back_leaves_no_record_lost_or_read_twice(tmp_path: Path) -> None:
    directory = _rotated_hosts(tmp_path, 1600, clock_back=2000)
    done = run_logview("--print", "--output", "jsonl", "--journal", str(directory))
    numbers = [int(json.loads(line)["message"].split()[1]) for line in done.stdout.splitlines()]
    assert sorted(numbers) == list(range(4800)), done.stderr
    assert done.returncode == 0, done.stderr
