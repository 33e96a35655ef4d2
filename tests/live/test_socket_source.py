"""Records from SocketHandler and DatagramHandler senders on 127.0.0.1, and what is refused."""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import pickle
import socket
import struct
import subprocess
import sys
import threading
import time

from textual.message import Message

from logview.core.sources.socket_listener import SocketListener, parse_listen_address
from logview.ui.run import listening_app
from tests.functional.driving import SIZE, notices, screen_text, settled, wait_for
from tests.live.children import Child, logview_child
from tests.live.framing import framed
from tests.waiting import DEADLINE, wait_until

SENDER = """
import logging, logging.handlers, sys
handler = logging.handlers.{kind}("127.0.0.1", int(sys.argv[1]))
logger = logging.getLogger("myapp.sender")
logger.addHandler(handler)
logger.setLevel(logging.DEBUG)
for number in range(int(sys.argv[2])):
    if number == 5:
        try:
            raise KeyError("job")
        except KeyError:
            logger.exception("record %d", number)
    else:
        logger.info("record %d", number)
handler.close()
"""


def received(listener: SocketListener, count: int, timeout: float = DEADLINE) -> list[logging.LogRecord]:
    records: list[logging.LogRecord] = []
    deadline = time.monotonic() + timeout
    while len(records) < count and time.monotonic() < deadline:
        try:
            item = listener.records.get(timeout=0.1)
        except Exception:  # noqa: BLE001 - queue.Empty
            continue
        if item is not None:
            records.append(item)
    return records


def test_records_from_several_tcp_senders_are_tagged_with_their_address() -> None:
    listener = SocketListener()
    try:
        senders = [
            subprocess.Popen([sys.executable, "-c", SENDER.format(kind="SocketHandler"), str(listener.port), "50"]) for _ in range(3)
        ]
        for sender in senders:
            assert sender.wait(DEADLINE) == 0
        records = received(listener, 150)
        assert len(records) == 150
        pids = {record.process for record in records}
        assert pids == {sender.pid for sender in senders}
        assert all(record.processName.startswith("MainProcess@127.0.0.1:") for record in records)
        assert len({record.processName for record in records}) == 3
        failed = [record for record in records if record.getMessage() == "record 5"]
        assert len(failed) == 3 and all("KeyError: 'job'" in (record.exc_text or "") for record in failed)
        assert not listener.problems
    finally:
        listener.close()


def test_datagrams_are_received() -> None:
    listener = SocketListener()
    try:
        sender = subprocess.run([sys.executable, "-c", SENDER.format(kind="DatagramHandler"), str(listener.port), "20"], check=True)
        assert sender.returncode == 0
        records = received(listener, 20)
        assert sorted(record.getMessage() for record in records) == sorted(f"record {number}" for number in range(20))
    finally:
        listener.close()


def test_a_pickled_global_is_refused_and_the_listener_keeps_running() -> None:
    listener = SocketListener()
    try:
        # A pickle that would call os.system if it were loaded by the plain unpickler.
        hostile = pickle.dumps({"msg": "x", "levelno": 20, "created": 1.0, "args": os.system}, 1)
        with socket.create_connection(("127.0.0.1", listener.port)) as connection:
            connection.sendall(framed(hostile))
            connection.settimeout(DEADLINE)
            assert connection.recv(1) == b""  # the listener closed this connection
        assert any("refused a pickled global (posix.system)" in problem for problem in listener.problems)
        handler = logging.handlers.SocketHandler("127.0.0.1", listener.port)
        handler.handle(logging.makeLogRecord({"msg": "still listening", "levelno": 20, "levelname": "INFO"}))
        handler.close()
        assert [record.getMessage() for record in received(listener, 1)] == ["still listening"]
    finally:
        listener.close()


def test_a_sender_that_disconnects_mid_frame_or_sends_garbage_is_reported() -> None:
    listener = SocketListener()
    try:
        payload = pickle.dumps({"msg": "cut", "levelno": 20}, 1)
        with socket.create_connection(("127.0.0.1", listener.port)) as connection:
            connection.sendall(framed(payload)[:-3])
        with socket.create_connection(("127.0.0.1", listener.port)) as connection:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        with socket.create_connection(("127.0.0.1", listener.port)) as connection:
            connection.sendall(struct.pack(">L", 1 << 30))
        wait_until(lambda: len(listener.problems) >= 3, "the three senders' problems reported")
        text = "\n".join(listener.problems)
        assert "disconnected in the middle of a frame" in text
        assert "over the" in text and "limit" in text
        assert len(listener.problems) == 3
        assert listener.records.empty()
    finally:
        listener.close()


def test_an_ipv6_listener_receives_over_tcp_and_udp() -> None:
    listener = SocketListener("::1")
    try:
        assert listener.address == f"[::1]:{listener.port}"
        handler = logging.handlers.SocketHandler("::1", listener.port)
        handler.handle(logging.makeLogRecord({"msg": "over tcp", "levelno": 20, "levelname": "INFO"}))
        handler.close()
        # DatagramHandler sends from an IPv4 socket whatever the host: its datagram, from an IPv6 one.
        datagram = logging.handlers.DatagramHandler("::1", listener.port).makePickle(
            logging.makeLogRecord({"msg": "over udp", "levelno": 20, "levelname": "INFO"})
        )
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sender:
            sender.sendto(datagram, ("::1", listener.port))
        assert sorted(record.getMessage() for record in received(listener, 2)) == ["over tcp", "over udp"]
    finally:
        listener.close()


def test_listen_addresses() -> None:
    assert parse_listen_address("9020") == ("127.0.0.1", 9020)
    assert parse_listen_address("0.0.0.0:9020") == ("0.0.0.0", 9020)
    assert parse_listen_address("[::1]:9020") == ("::1", 9020)


def test_a_listen_address_that_is_not_one_says_what_a_valid_one_is(logview) -> None:
    """Not int()'s "invalid literal for int() with base 10": one line, in the user's terms, status 2."""
    for typed in ("abc", "host:", "127.0.0.1:http", "-5", "9020x"):
        result = logview("--print", "--listen", typed)
        assert result.returncode == 2, result.stderr
        assert result.stderr.decode().splitlines() == [
            f"logview: usage error: --listen: '{typed}' is not a port or HOST:PORT (a port is a number from 0 to 65535: 9020, or 0.0.0.0:9020)"
        ]
    result = logview("--print", "--listen", "70000")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == ["logview: usage error: --listen: port 70000 is out of range (0 to 65535)"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stopped_quietly(printer: Child, status: int) -> None:
    """Ctrl+C ended ``--print --listen`` as a shell expects after an interrupt: status 130, no traceback, nothing of watchfiles'."""
    assert status == 130, printer.stderr
    assert "KeyboardInterrupt" not in printer.stderr
    assert "Traceback" not in printer.stderr


def test_print_listen_prints_what_senders_send_and_stops_quietly_on_ctrl_c() -> None:
    port = _free_port()
    printer = logview_child("--print", "--listen", str(port))
    try:
        printer.wait_for_stderr("listening on 127.0.0.1:", "the printer listening")
        handler = logging.handlers.SocketHandler("127.0.0.1", port)
        logger = logging.getLogger("net.print-test")
        logger.propagate = False
        logger.addHandler(handler)
        for number in range(3):
            logger.warning("over tcp %d", number)
        handler.close()
        printer.wait_until(lambda: len(printer.lines) >= 3, "the three records sent printed")
    finally:
        status = printer.interrupt()
    _stopped_quietly(printer, status)
    lines = [line.decode() for line in printer.lines]
    assert [line.split("\t")[-1] for line in lines] == ["over tcp 0", "over tcp 1", "over tcp 2"]
    assert all("\tWARNING\tnet.print-test\t" in line for line in lines)


async def test_the_app_shows_received_records_and_a_refused_sender() -> None:
    listener = SocketListener()
    app = listening_app([], None, None, listener)
    try:
        messages: list[Message] = []
        async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
            await settled(pilot)
            handler = logging.handlers.SocketHandler("127.0.0.1", listener.port)
            handler.handle(logging.makeLogRecord({"msg": "sent over tcp", "levelno": 40, "levelname": "ERROR", "name": "net"}))
            handler.close()
            with socket.create_connection(("127.0.0.1", listener.port)) as connection:
                connection.sendall(framed(pickle.dumps({"msg": "x", "args": os.system}, 1)))
            await wait_for(pilot, lambda: "sent over tcp" in screen_text(app))
            await wait_for(pilot, lambda: any("refused a pickled global" in notice for notice in notices(messages)))
            assert "listening on 127.0.0.1:" in str(app.query_one("#status").render())
    finally:
        listener.close()


def test_print_listen_also_follows_the_files_given_with_it(tmp_path) -> None:
    from tests.unit.logfiles import file_logger

    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log)) as file_log:
        file_log.info("written before")
        port = _free_port()
        printer = logview_child("--print", "--listen", str(port), str(log))
        try:
            printer.wait_for_stderr("listening on 127.0.0.1:", "the printer listening")
            printer.wait_for_line(b"written before", "the record already in the file printed")
            printer.wait_watching(log)
            file_log.info("written while listening")
            handler = logging.handlers.SocketHandler("127.0.0.1", port)
            logger = logging.getLogger("net.print-follow-test")
            logger.propagate = False
            logger.addHandler(handler)
            logger.warning("sent while following")
            handler.close()
            printer.wait_for_line(b"written while listening", "the record written to the file printed")
            printer.wait_for_line(b"\tsent while following", "the record sent printed")
        finally:
            status = printer.interrupt()
    _stopped_quietly(printer, status)
    assert printer.lines[0].endswith(b"written before")


# Bounds on what senders may hold (issue 12), each said in one line when it bites.

#: ``logview ARGUMENTS…`` in a process whose descriptors are limited to argv[1].
WITH_FEW_DESCRIPTORS = """
import resource, sys
resource.setrlimit(resource.RLIMIT_NOFILE, (int(sys.argv[1]), int(sys.argv[1])))  # the hard limit too: not raised again
from logview.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _send(port: int, *messages: str, logger_name: str = "net.honest") -> None:
    """Records sent as a program sends them: a SocketHandler that connects, sends and closes."""
    handler = logging.handlers.SocketHandler("127.0.0.1", port)
    for message in messages:
        handler.handle(logging.makeLogRecord({"msg": message, "levelno": 20, "levelname": "INFO", "name": logger_name}))
    handler.close()


def test_tcp_accepts_again_after_running_out_of_descriptors() -> None:
    """Under a 64-descriptor limit, 100 connections at once: the listener says so, and once they close, senders are served again."""
    port = _free_port()
    printer = Child(sys.executable, "-c", WITH_FEW_DESCRIPTORS, "64", "--print", "--listen", str(port))
    connections: list[socket.socket] = []
    try:
        printer.wait_for_stderr("listening on 127.0.0.1:", "the printer listening")
        _send(port, "before the flood")
        printer.wait_for_line(b"\tbefore the flood", "the record sent before the flood printed")
        for _ in range(100):  # the kernel's backlog takes them all; the listener runs out of descriptors accepting them
            connections.append(socket.create_connection(("127.0.0.1", port), timeout=DEADLINE))
        printer.wait_for_stderr("tcp: out of file descriptors (the limit is 64;", "running out of descriptors reported")
        for connection in connections:
            connection.close()
        _send(port, "after the flood")
        printer.wait_for_line(b"\tafter the flood", "the record sent after the flood printed")
        printer.wait_for_stderr("tcp: accepting new senders again", "accepting again reported")
    finally:
        for connection in connections:
            connection.close()
        status = printer.interrupt()
    _stopped_quietly(printer, status)
    assert printer.stderr.count("out of file descriptors") == 1, printer.stderr


def test_senders_over_the_limit_wait_and_a_silent_one_gives_up_its_slot() -> None:
    listener = SocketListener(max_senders=2, idle_timeout=0.5)
    try:
        _send(listener.port, "before")
        assert [record.getMessage() for record in received(listener, 1)] == ["before"]
        silent = [socket.create_connection(("127.0.0.1", listener.port)) for _ in range(2)]
        _send(listener.port, "while two are connected")  # waits in the kernel's backlog for a slot
        wait_until(lambda: any("2 senders connected, the limit" in problem for problem in listener.problems), "the limit reported")
        # A silent sender's slot goes to the one waiting once it has been silent for the idle timeout.
        assert [record.getMessage() for record in received(listener, 1)] == ["while two are connected"]
        silent[0].settimeout(DEADLINE)
        assert silent[0].recv(1) == b"", "the sender silent longest is closed"
        assert any("silent for" in problem and "while a new sender waits for a slot" in problem for problem in listener.problems)
        for connection in silent:
            connection.close()
        _send(listener.port, "after")
        assert [record.getMessage() for record in received(listener, 1)] == ["after"]
        wait_until(lambda: "tcp: accepting new senders again" in listener.problems, "accepting again reported")
    finally:
        listener.close()


def test_a_frame_not_complete_in_time_closes_its_connection() -> None:
    listener = SocketListener(idle_timeout=0.5)
    try:
        _send(listener.port, "before")
        assert [record.getMessage() for record in received(listener, 1)] == ["before"]
        with (
            socket.create_connection(("127.0.0.1", listener.port)) as stalled,
            socket.create_connection(("127.0.0.1", listener.port)) as cut,
        ):
            stalled.sendall(struct.pack(">L", 1000) + b"x" * 10)
            cut.sendall(b"\0\0")  # half a header
            _send(listener.port, "while two frames are pending")
            assert [record.getMessage() for record in received(listener, 1)] == ["while two frames are pending"]
            for connection in (stalled, cut):
                connection.settimeout(DEADLINE)
                assert connection.recv(1) == b"", "the listener closed the connection"
        problems = "\n".join(listener.problems)
        assert "a frame not complete after" in problems and "(10 of 1,000 bytes); connection closed" in problems
        assert "(2 bytes of a 4-byte header); connection closed" in problems
        _send(listener.port, "after")
        assert [record.getMessage() for record in received(listener, 1)] == ["after"]
    finally:
        listener.close()


def _memory_peak(pid: int) -> int:
    """Process ``pid``'s resident memory at its highest, in bytes (VmHWM)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/PID/status")


def test_frames_in_progress_hold_at_most_the_budget_across_connections() -> None:
    """12 senders each send all but the last byte of a 16 MiB frame: the listener holds 64 MiB of them, not 192."""
    from logview.core.sources.tcp_receiver import FRAME_BUDGET, MAX_FRAME

    port = _free_port()
    printer = logview_child("--print", "--listen", str(port))
    frame = struct.pack(">L", MAX_FRAME) + bytes(MAX_FRAME - 1)
    connections: list[socket.socket] = []
    try:
        printer.wait_for_stderr("listening on 127.0.0.1:", "the printer listening")
        _send(port, "before")
        printer.wait_for_line(b"\tbefore", "the record sent before printed")
        before = _memory_peak(printer.process.pid)
        bound = before + FRAME_BUDGET + (32 << 20)
        connections = [socket.create_connection(("127.0.0.1", port)) for _ in range(12)]
        for connection in connections:
            connection.setblocking(False)
        sent = [0] * len(connections)
        admitted = FRAME_BUDGET // MAX_FRAME

        def pushed() -> bool:
            """Send what the connections take; whether the frames the budget admits have gone whole, or memory passed the bound."""
            for number, connection in enumerate(connections):
                try:
                    sent[number] += connection.send(memoryview(frame)[sent[number] : sent[number] + (1 << 20)])
                except BlockingIOError:
                    continue
            done = sum(count == len(frame) for count in sent)
            return (done >= admitted and "frames in progress hold" in printer.stderr) or _memory_peak(printer.process.pid) > bound

        printer.wait_until(pushed, "the frames the budget admits sent, the others waiting")
        assert _memory_peak(printer.process.pid) <= bound
        printer.wait_for_stderr(f"bytes of the {FRAME_BUDGET:,} allowed; senders with a large frame wait their turn", "the budget reported")
        _send(port, "while the budget is full")
        printer.wait_for_line(b"\twhile the budget is full", "a small record served while large frames wait")
        for connection in connections:
            connection.close()
        printer.wait_until(
            lambda: printer.stderr.count("disconnected in the middle of a frame") == len(connections), "each cut frame reported"
        )
        _send(port, "after")
        printer.wait_for_line(b"\tafter", "the record sent after printed")
        assert _memory_peak(printer.process.pid) <= bound
    finally:
        for connection in connections:
            connection.close()
        status = printer.interrupt()
    _stopped_quietly(printer, status)


def test_datagrams_the_kernel_drops_are_reported() -> None:
    """Senders at full speed while the decoder is held up (by a slow on_problem): what does not arrive is reported as dropped."""
    held_up = threading.Event()
    go_on = threading.Event()

    def slow_to_tell(message: str) -> None:
        if not held_up.is_set():
            held_up.set()
            go_on.wait(DEADLINE)

    listener = SocketListener(on_problem=slow_to_tell, receive_buffer=64 << 10)
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as garbage:
            garbage.sendto(b"not a record", ("127.0.0.1", listener.port))
        wait_until(held_up.is_set, "the decoder telling the first problem")
        senders = [
            subprocess.Popen([sys.executable, "-c", SENDER.format(kind="DatagramHandler"), str(listener.port), "5000"]) for _ in range(3)
        ]
        for sender in senders:
            assert sender.wait(DEADLINE) == 0
        go_on.set()

        def dropped() -> int:
            return sum(int(problem.split()[1].replace(",", "")) for problem in listener.problems if "dropped by the kernel" in problem)

        records: list[logging.LogRecord] = []
        wait_until(
            lambda: (records.extend(received(listener, 15000, 0.1)), len(records) + dropped() >= 15000)[1],
            "every datagram received or reported",
        )
        assert dropped() > 0
        assert len(records) + dropped() == 15000
        assert all(problem.startswith("udp: ") for problem in listener.problems if "dropped by the kernel" in problem)
    finally:
        go_on.set()
        listener.close()


def test_a_failing_on_problem_ends_no_listener_thread(monkeypatch) -> None:
    """No traceback from a listener thread: a callback that raises is one problem less told, and both protocols keep serving."""
    died: list[threading.ExceptHookArgs] = []
    monkeypatch.setattr(threading, "excepthook", died.append)

    def failing(message: str) -> None:
        raise RuntimeError("the viewer has gone")

    listener = SocketListener(on_problem=failing)
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as garbage:
            garbage.sendto(b"not a record", ("127.0.0.1", listener.port))
        with socket.create_connection(("127.0.0.1", listener.port)) as connection:
            connection.sendall(b"GET / HTTP/1.1\r\n\r\n")
        wait_until(lambda: len(listener.problems) >= 2, "both problems kept")
        sender = subprocess.run([sys.executable, "-c", SENDER.format(kind="DatagramHandler"), str(listener.port), "10"], check=True)
        assert sender.returncode == 0
        _send(listener.port, "over tcp")
        messages = {record.getMessage() for record in received(listener, 11)}
        assert "over tcp" in messages and "record 9" in messages
        assert not died, [str(args.exc_value) for args in died]
    finally:
        listener.close()


def test_a_flood_of_bad_datagrams_is_told_as_a_count() -> None:
    """200 bad datagrams at once: a few lines, then how many more there were, not 200 lines (nor 200 kept)."""
    listener = SocketListener()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as garbage:
            for _ in range(200):
                garbage.sendto(b"not a record", ("127.0.0.1", listener.port))
        sender = subprocess.run([sys.executable, "-c", SENDER.format(kind="DatagramHandler"), str(listener.port), "1"], check=True)
        assert sender.returncode == 0
        assert [record.getMessage() for record in received(listener, 1)] == ["record 0"]
    finally:
        listener.close()
    told = [
        problem for problem in listener.problems if "a datagram whose length prefix does not match its size; datagram dropped" in problem
    ]
    counted = sum(int(problem.split()[0].replace(",", "")) for problem in listener.problems if "more problems not shown" in problem)
    assert len(told) + counted == 200
    assert len(told) < 200


NAMED_SENDER = """
import logging, logging.handlers, sys

class Host(logging.Filter):
    def filter(self, record):
        record.hostname = sys.argv[3]
        return True

handler = logging.handlers.SocketHandler("127.0.0.1", int(sys.argv[1]))
handler.addFilter(Host())
logger = logging.getLogger("myapp.named")
logger.addHandler(handler)
logger.setLevel(logging.INFO)
for number in range(int(sys.argv[2])):
    logger.info("named %d", number)
handler.close()
"""


def test_senders_are_hosts_by_the_hostname_they_send_else_by_their_address() -> None:
    child = logview_child("--print", "--output", "jsonl", "--listen", "0")
    try:
        child.wait_for_stderr("listening on 127.0.0.1:", "the listener's address")
        port = child.stderr.split("listening on 127.0.0.1:")[1].split()[0]
        subprocess.run([sys.executable, "-c", NAMED_SENDER, port, "10", "web-7"], check=True, timeout=DEADLINE)
        subprocess.run([sys.executable, "-c", SENDER.format(kind="SocketHandler"), port, "10"], check=True, timeout=DEADLINE)
        child.wait_until(lambda: len(child.lines) >= 20, "the two senders' 20 records")
    finally:
        child.interrupt()
    records = [json.loads(line) for line in child.lines]
    hosts = {record["logger"]: record["hostname"] for record in records}
    assert hosts == {"myapp.named": "web-7", "myapp.sender": "127.0.0.1"}
