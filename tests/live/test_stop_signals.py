"""SIGTERM and SIGHUP (a service manager stopping logview, a closed terminal) stop it as Ctrl+C does.

What was received or held back is printed, the exit status is 128 + the
signal's number (130 after Ctrl+C, as before), and nothing is reported as a
crash. Before, both signals killed logview where it stood: the record held
back (a line not ended yet) was never printed, and the viewer left the
terminal in its own screen.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import queue
import signal
import socket
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest

from logview.core.pipeline import Pipeline
from logview.core.sources.queue import QueueSource
from logview.core.sources.socket_listener import SocketListener
from tests.live.children import logview_child
from tests.terminal import act_in_terminal
from tests.unit.logfiles import file_logger, record, write_records
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent.parent
SIGNALS = [signal.SIGTERM, signal.SIGHUP]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("stop", SIGNALS, ids=lambda stop: stop.name)
def test_print_follow_prints_the_line_it_held_and_exits_with_the_signal(tmp_path: Path, stop: signal.Signals) -> None:
    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log)) as logger:
        logger.info("first")
        logger.info("second")
    # The writer's last line, not ended yet: held back until it ends, or until logview stops.
    unended = logging.FileHandler(log)
    unended.terminator = ""
    with file_logger(unended) as logger:
        logger.info("third, its line not ended")
    printer = logview_child("--print", "-f", str(log))
    try:
        printer.wait_watching(log)
        printer.wait_for_line(b" second", "the ended lines printed")
        printer.process.send_signal(stop)
    finally:
        status = printer.stop()
    assert status == 128 + stop, printer.stderr
    assert "Traceback" not in printer.stderr and "internal error" not in printer.stderr, printer.stderr
    assert [line.decode().split(" INFO ")[-1] for line in printer.lines] == ["first", "second", "third, its line not ended"]


@pytest.mark.parametrize("stop", SIGNALS, ids=lambda stop: stop.name)
def test_print_listen_exits_with_the_signal_having_printed_what_it_received(stop: signal.Signals) -> None:
    port = _free_port()
    printer = logview_child("--print", "--listen", str(port))
    try:
        printer.wait_for_stderr("listening on 127.0.0.1:", "the printer listening")
        handler = logging.handlers.SocketHandler("127.0.0.1", port)
        for number in range(20):
            handler.handle(logging.makeLogRecord({"msg": f"sent {number}", "levelno": 30, "levelname": "WARNING", "name": "net"}))
        handler.close()
        printer.wait_until(lambda: len(printer.lines) >= 20, "the records sent printed")
        printer.process.send_signal(stop)
    finally:
        status = printer.stop()
    assert status == 128 + stop, printer.stderr
    assert "Traceback" not in printer.stderr and "internal error" not in printer.stderr, printer.stderr
    assert [line.split(b"\t")[-1] for line in printer.lines] == [f"sent {number}".encode() for number in range(20)]


def test_records_on_a_queue_when_the_drain_is_stopped_are_all_indexed() -> None:
    """They were taken off the queue to the sentinel, then dropped: the batch they were in was never indexed."""
    log_queue: queue.Queue[logging.LogRecord | None] = queue.Queue()
    for number in range(500):
        log_queue.put(logging.makeLogRecord({"msg": f"queued {number}", "levelno": 20, "levelname": "INFO"}))
    pipeline = Pipeline()
    source = QueueSource(log_queue)
    stop = threading.Event()
    stop.set()
    try:
        pipeline.start([source], stop=stop).wait()
        assert len(pipeline.timeline) == 500
    finally:
        source.close()


def test_records_a_listener_received_before_the_stop_are_all_indexed() -> None:
    """The listener is closed first (no record comes after its sentinel), then its queue is drained to the sentinel."""
    listener = SocketListener()
    pipeline = Pipeline()
    source = QueueSource(listener.records, stop_writers=listener.close)
    try:
        handler = logging.handlers.SocketHandler("127.0.0.1", listener.port)
        for number in range(300):
            handler.handle(logging.makeLogRecord({"msg": f"sent {number}", "levelno": 20, "levelname": "INFO"}))
        handler.close()
        wait_until(lambda: listener.records.qsize() >= 300, "the records received")
        stop = threading.Event()
        stop.set()
        pipeline.start([source], stop=stop).wait()
        assert len(pipeline.timeline) == 300
    finally:
        listener.close()
        source.close()


def _viewer_until_signalled(tmp_path: Path, act: object) -> tuple[bytes, int, list[str]]:
    """The viewer on a real terminal, on a file of one record; ``act(pid, master)`` once the record is on screen."""
    log = tmp_path / "app.log"
    write_records(log, [record(1_700_000_000.0, "shown before the signal")])
    state = tmp_path / "state"
    # --top: no first frame drawn before the app, so the record on screen means the app is mounted.
    output, status = act_in_terminal(
        [sys.executable, "-m", "logview", "--top", str(log)],
        b"shown before the signal",
        act,  # type: ignore[arg-type]
        ROOT,
        environment={"XDG_STATE_HOME": str(state)},
    )
    crashes = os.listdir(state / "logview") if (state / "logview").exists() else []
    return output, status, crashes


def test_the_viewer_quits_on_sigterm_and_gives_the_terminal_back(tmp_path: Path) -> None:
    def terminate(pid: int, master: int) -> bool:
        os.kill(pid, signal.SIGTERM)
        return False

    output, status, crashes = _viewer_until_signalled(tmp_path, terminate)
    assert status == 128 + signal.SIGTERM
    assert crashes == []
    # The app's screen left (the alternate screen off) after the record was drawn: the shell's screen is back.
    assert b"\x1b[?1049l" in output.partition(b"shown before the signal")[2]
    assert b"Traceback" not in output


def test_the_viewer_quits_cleanly_when_its_terminal_is_closed(tmp_path: Path) -> None:
    def close_terminal(pid: int, master: int) -> bool:
        os.close(master)  # the kernel sends SIGHUP to the terminal's processes
        return True

    _, status, crashes = _viewer_until_signalled(tmp_path, close_terminal)
    assert status == 128 + signal.SIGHUP
    assert crashes == []


def _spooled_bytes(pid: int, spool: Path) -> int:
    """Bytes in the files process ``pid`` holds open in ``spool``: the follower's archive of rotated files, once one is rotated."""
    total = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith(str(spool)):
                total += os.stat(f"/proc/{pid}/fd/{fd}").st_size
        except FileNotFoundError:
            continue  # closed between the listing and the look
    return total


def _bytes_read(pid: int) -> int | None:
    """All that process ``pid`` has read from files and pipes so far (``rchar``); None once it has ended."""
    try:
        with open(f"/proc/{pid}/io") as counts:
            return int(counts.readline().split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None


def _read_since(pid: int, before: int) -> float:
    """Bytes process ``pid`` has read since it had read ``before``; infinity once it has ended."""
    now = _bytes_read(pid)
    return float("inf") if now is None else now - before


@pytest.mark.parametrize("presses", [1, 2], ids=["once", "twice"])
def test_ctrl_c_while_a_rotated_in_file_is_read_ends_without_a_crash(tmp_path: Path, presses: int) -> None:
    """Ctrl+C while ``--print -f`` parses a large file that took a rotated one's place.

    The rotated file's bytes are in the follower's archive then. A Ctrl+C
    during a polars query was raised there as KeyboardInterrupt (polars
    hooks SIGINT), and a second Ctrl+C raises it by design: the follower
    closed its archive, and the records still to print were read from it,
    "I/O operation on closed file", a crash. Once: every record is printed.
    Twice: logview stops at once, printing no more.
    """
    log, rotated, staging, spool = tmp_path / "app.log", tmp_path / "app.log.1", tmp_path / "staging", tmp_path / "spool"
    staging.mkdir()
    spool.mkdir()
    write_records(log, [record(1_700_000_000.0 + number, f"first file {number}") for number in range(3)])
    # A large file, as from a writer's burst: its parse (polars) takes a while, the Ctrl+C comes during it.
    big = staging / "app.log"
    write_records(big, [record(1_700_000_100.0 + number, f"second file {number}") for number in range(1000)])
    big.write_bytes(big.read_bytes() * 250)
    printer = logview_child("--print", "-f", str(log), env={**os.environ, "TMPDIR": str(spool)})
    try:
        printer.wait_watching(log)
        printer.wait_for_line(b"first file 2", "the first file printed")
        write_records(log, [record(1_700_000_050.0, "first file, last record")], mode="a")
        # Rotated, the new file in its place at once: no poll comes between the two, when the path would not exist.
        os.link(log, rotated)
        os.rename(big, log)
        printer.wait_until(lambda: _spooled_bytes(printer.process.pid, spool), "the rotated file kept in the archive")
        if presses == 2:
            printer.process.send_signal(signal.SIGINT)
        # A chunk of the new file read since: its parse is under way (and a first press handled: two at once count as one).
        read_before = _bytes_read(printer.process.pid)
        # Twice: on a loaded machine the first press may have ended it already, as it should.
        if read_before is not None:
            printer.wait_until(lambda: _read_since(printer.process.pid, read_before) >= 1 << 20, "a chunk of the new file read")
            if printer.process.poll() is None:
                printer.process.send_signal(signal.SIGINT)
    finally:
        status = printer.stop()
    assert status == 130, printer.stderr
    assert "Traceback" not in printer.stderr and "internal error" not in printer.stderr, printer.stderr
    if presses == 1:
        assert Counter(printer.lines) == Counter(rotated.read_bytes().splitlines() + log.read_bytes().splitlines())
