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
from pathlib import Path

import pytest

from logview.core.pipeline import Pipeline
from logview.core.queue_source import QueueSource
from logview.core.socket_source import SocketListener
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
    source = QueueSource(log_queue, pipeline)
    stop = threading.Event()
    stop.set()
    try:
        source.run(stop, lambda added: None)
        assert len(pipeline.timeline) == 500
    finally:
        source.close()


def test_records_a_listener_received_before_the_stop_are_all_indexed() -> None:
    """The listener is closed first (no record comes after its sentinel), then its queue is drained to the sentinel."""
    listener = SocketListener()
    pipeline = Pipeline()
    source = QueueSource(listener.records, pipeline)
    try:
        handler = logging.handlers.SocketHandler("127.0.0.1", listener.port)
        for number in range(300):
            handler.handle(logging.makeLogRecord({"msg": f"sent {number}", "levelno": 20, "levelname": "INFO"}))
        handler.close()
        wait_until(lambda: listener.records.qsize() >= 300, "the records received")
        stop = threading.Event()
        stop.set()
        source.run(stop, lambda added: None, stop_writers=listener.close)
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
