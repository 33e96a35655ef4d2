"""The writer of a followed journal: found in /proc, its exit told once, and a new writer told once it writes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from logview.core.index.status import Status
from logview.core.pipeline import Pipeline
from logview.core.sources.journal import JournalSource, JournalTarget
from logview.core.sources.journal_files import JournalFiles
from logview.core.sources.journal_writers import SCAN_SECONDS, WriterWatch, collector_output, running, writers
from logview.journal_upload import Collector
from tests.command import ROOT
from tests.heard import Heard
from tests.journal.hosts import THREADS, send
from tests.live.children import logview_child
from tests.waiting import wait_until

#: A child that opens the file named by its first argument with the flags named by its second, says so, and holds it
#: until its standard input ends (or it is killed).
HOLDER = "import os, sys\nos.open(sys.argv[1], getattr(os, sys.argv[2]))\nprint('open', flush=True)\nsys.stdin.read()"


def _hold(path: Path, flags: str) -> subprocess.Popen[bytes]:
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), flags], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert child.stdout is not None and child.stdout.readline() == b"open\n"
    return child


def _end(child: subprocess.Popen[bytes]) -> None:
    child.kill()
    child.wait()
    assert child.stdin is not None and child.stdout is not None
    child.stdin.close()
    child.stdout.close()


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "remote-host.journal"
    path.write_bytes(b"LPKSHHRH")
    return path


def test_a_process_holding_the_file_open_for_writing_is_its_writer_and_one_reading_it_is_not(journal: Path) -> None:
    readers = [_hold(journal, "O_RDONLY")]
    writing = [_hold(journal, "O_WRONLY"), _hold(journal, "O_RDWR")]
    try:
        found = writers([str(journal)])
        assert sorted(writer.pid for writer in found) == sorted(child.pid for child in writing)
        assert all(writer.name.startswith("python") and running(writer) for writer in found), found
        # Another file, by another name of the same directory: not this file.
        other = journal.with_name("remote-other.journal")
        other.write_bytes(b"LPKSHHRH")
        assert writers([str(other)]) == []
    finally:
        for child in readers + writing:
            _end(child)


def test_a_writer_that_exited_is_no_longer_running_reaped_or_a_zombie_and_a_pid_of_another_start_is_not_it(journal: Path) -> None:
    child = _hold(journal, "O_RDWR")
    try:
        (writer,) = writers([str(journal)])
        assert running(writer) and not running(writer._replace(start=writer.start + 1))
        child.kill()
        wait_until(lambda: not running(writer), "the killed child, a zombie until reaped, seen as exited")
        assert os.path.exists(f"/proc/{child.pid}")  # not reaped yet: a zombie
    finally:
        _end(child)
    assert not running(writer)


def test_the_watch_tells_a_writer_exited_once_and_the_next_one_once_it_writes(journal: Path) -> None:
    watch = WriterWatch()
    present = lambda: [str(journal)]  # noqa: E731
    first = _hold(journal, "O_RDWR")
    try:
        assert watch.look([], present, True) == [] and list(watch.writers) == [first.pid]
        name = watch.writers[first.pid].name  # the test's Python, by whatever name it runs
    finally:
        _end(first)
    assert watch.look([], present, False) == [f"its writer {name} (pid {first.pid}) exited: what it wrote stays shown; following on"]
    assert watch.look([], present, False) == []
    second = _hold(journal, "O_RDWR")
    try:
        # Nothing changed in the files: no walk over the processes, and nothing said.
        assert watch.look([], present, False) == []
        back = wait_until(lambda: watch.look([], present, True), f"the next writer found (a walk every {SCAN_SECONDS} s at most)")
        assert back == [f"written again by {name} (pid {second.pid})"]
        assert watch.look([], present, True) == []
    finally:
        _end(second)


@pytest.mark.parametrize(
    ("argv", "output"),
    [
        (["systemd-journal-remote", "--listen-http=-3"], "/var/log/journal/remote"),
        (["systemd-journal-remote", "--output=/srv/remote/", "--listen-http=-3"], "/srv/remote/"),
        (["systemd-journal-remote", "--output", "/srv/remote"], "/srv/remote"),
        (["systemd-journal-remote", "-o", "/srv/all.journal"], "/srv/all.journal"),
        (["systemd-journal-remote", "-o/srv/remote"], "/srv/remote"),
        (["systemd-journal-remote", "--out=relative"], "relative"),
        (["systemd-journal-remote", "--", "--output=/not/an/option"], "/var/log/journal/remote"),
    ],
)
def test_where_a_collector_writes_is_read_from_its_command_line_as_it_reads_it(argv: list[str], output: str) -> None:
    assert collector_output(argv) == output


def test_a_collector_is_found_by_its_command_line_between_its_connections(collector: Collector, tmp_path: Path) -> None:
    send(collector, 0, 3)
    present = JournalFiles([collector.directory]).present()
    # It keeps a host's file open only while the host is connected: no descriptor tells it now.
    assert writers(present) == []
    (found,) = writers(present, [collector.directory])
    assert found.pid == collector.process.pid and found.name == "systemd-journal-remote" and running(found)
    assert writers(present, [str(tmp_path / "elsewhere")]) == []
    # The directory above its output holds its files too (the local journal's, and remote/ below it).
    assert [writer.pid for writer in writers(present, [str(Path(collector.directory).parent)])] == [collector.process.pid]


@pytest.fixture
def shared_journal() -> Iterator[Path]:
    """A journal file every user can read, in a directory every user can read."""
    directory = Path(tempfile.mkdtemp(prefix="logview-writers-"))
    directory.chmod(0o755)
    path = directory / "remote-host.journal"
    path.write_bytes(b"LPKSHHRH")
    path.chmod(0o644)
    yield path
    shutil.rmtree(directory)


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root, to look as another user")
def test_another_users_writer_is_not_found_by_its_descriptors_and_nothing_is_said_wrongly(shared_journal: Path) -> None:
    child = _hold(shared_journal, "O_RDWR")
    try:
        (writer,) = writers([str(shared_journal)])
        look = (
            "import json, sys\n"
            "from logview.core.sources.journal_writers import Writer, running, writers\n"
            "print(json.dumps([[list(found) for found in writers([sys.argv[1]])], running(Writer(*json.loads(sys.argv[2])))]))"
        )
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", look, str(shared_journal)]
        seen = subprocess.run([*command, json.dumps(list(writer))], capture_output=True, cwd=ROOT, check=True)
        # Its descriptors cannot be read: it is not found; its /proc/PID/stat can: it is running.
        assert json.loads(seen.stdout) == [[], True], seen.stderr
    finally:
        _end(child)
    gone = subprocess.run([*command, json.dumps(list(writer))], capture_output=True, cwd=ROOT, check=True)
    assert json.loads(gone.stdout) == [[], False], gone.stderr


def _collector(directory: str) -> Collector:
    """A collector writing into ``directory``, started apart from the fixture's: the test stops it itself."""
    if shutil.which("journalctl") is None:
        pytest.skip("journalctl is not installed")
    try:
        return Collector(directory)
    except FileNotFoundError:
        pytest.skip("systemd-journal-remote is not installed (apt-get install systemd-journal-remote)")


@pytest.mark.parametrize("ending", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_collector_that_exits_while_followed_is_told_once_and_one_writing_again_too(tmp_path: Path, ending: signal.Signals) -> None:
    directory = str(tmp_path / "remote")
    first = _collector(directory)
    prefix = f"logview: journal {directory}: "
    try:
        send(first, 0, 5, "before")
        child = logview_child("--print", "-f", "--output", "jsonl", "--journal", directory)
        try:
            child.wait_until(lambda: len(child.lines) == len(THREADS) * 5, "the records sent before the collector stopped")
            first.process.send_signal(ending)
            first.process.wait()  # reaped, as its service manager would
            exited = f"{prefix}its writer systemd-journal-remote (pid {first.process.pid}) exited: what it wrote stays shown; following on"
            child.wait_for_stderr(exited, "the collector's exit told")
            with Collector(directory) as second:
                send(second, 1, 5, "after")
                child.wait_for_stderr(f"{prefix}written again by systemd-journal-remote (pid {second.process.pid})", "the new one told")
                child.wait_until(lambda: len(child.lines) >= len(THREADS) * 10, "the records sent after")
        finally:
            status = child.interrupt()
    finally:
        first.stop()
    assert child.stderr.splitlines() == [exited, f"{prefix}written again by systemd-journal-remote (pid {second.process.pid})"]
    records = [json.loads(line) for line in child.lines]
    keys = [(record["hostname"], str(record["message"]).split()[1], record["threadName"], record["message"]) for record in records]
    assert len(keys) == len(set(keys)) == len(THREADS) * 10 and {key[1] for key in keys} == {"before", "after"}
    assert status == 130


def test_a_second_collector_writing_on_is_told_and_the_journal_is_waited_for_only_once_both_exited(tmp_path: Path) -> None:
    directory = str(tmp_path / "remote")
    first = _collector(directory)
    pipeline, stop, heard = Pipeline(growing=True), threading.Event(), Heard()
    running_sources = None
    try:
        send(first, 0, 3, "one")
        source = JournalSource(JournalTarget(directory=directory), follow=True)
        running_sources = pipeline.start([source], heard, stop)
        wait_until(lambda: len(pipeline.timeline) == len(THREADS) * 3, "the first collector's records")
        with Collector(directory) as second:
            send(second, 1, 3, "two")  # a collector started while the first is known, into the same directory
            wait_until(lambda: len(pipeline.timeline) == len(THREADS) * 6, "the second collector's records")
            first.process.kill()
            first.process.wait()
            told = f"journal {directory}: its writer systemd-journal-remote (pid {first.process.pid}) exited; "
            told += f"systemd-journal-remote (pid {second.process.pid}) writes on"
            wait_until(lambda: told in heard.lines, "the first collector's exit told")
            assert source.state is not None and source.state.status == Status.RECEIVING
        gone = f"its writer systemd-journal-remote (pid {second.process.pid}) exited: what it wrote stays shown; following on"
        wait_until(lambda: any(gone in line for line in heard.lines), "the second collector's exit told")
        # Nothing is written until a collector comes back: the status bar says the journal is waited for.
        wait_until(lambda: source.state is not None and source.state.status == Status.WAITING, "the journal waited for")
        with Collector(directory) as third:
            send(third, 2, 3, "three")
            wait_until(lambda: source.state is not None and source.state.status == Status.RECEIVING, "the journal received again")
            wait_until(lambda: len(pipeline.timeline) == len(THREADS) * 9, "the third collector's records")
    finally:
        first.stop()
        stop.set()
        if running_sources is not None:
            running_sources.wait()
            running_sources.close()
        pipeline.close()
