"""Records sent by ``logging.handlers.SocketHandler`` (TCP) and ``DatagramHandler`` (UDP).

SocketHandler sends each record as a 4-byte big-endian length and a pickled
dict of the record's attributes; DatagramHandler sends the same in one
datagram; ``sent_records`` turns those bytes into a record without trusting
them. This module puts the two transports together (``tcp_receiver``: a frame
over the size limit, a truncated frame or anything that is not a record closes
that sender's connection; ``udp_receiver``: such a datagram is dropped) and
tells each problem in one line naming the sender and the cause.

Received records are put on a ``queue.Queue`` as LogRecords, the sender's
address in ``processName`` (``MainProcess@127.0.0.1:50432``): the viewer
drains that queue like any logging queue, and the PID pane tells senders apart.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from logview.core.sent_records import record_from_frame
from logview.core.tcp_receiver import FRAME_BUDGET, IDLE_TIMEOUT, MAX_FRAME, MAX_SENDERS, TcpReceiver
from logview.core.udp_receiver import RECEIVE_BUFFER, UdpReceiver

__all__ = ["DEFAULT_HOST", "MAX_FRAME", "SocketListener", "parse_listen_address"]

DEFAULT_HOST = "127.0.0.1"


class SocketListener:
    """Listens on a TCP and a UDP port (the same number) and puts the records received on ``records``.

    The keyword arguments bound what senders may hold (see ``tcp_receiver``
    and ``udp_receiver``); tests make them small.
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = 0,
        on_problem: Callable[[str], None] | None = None,
        *,
        max_senders: int = MAX_SENDERS,
        idle_timeout: float = IDLE_TIMEOUT,
        frame_budget: int = FRAME_BUDGET,
        receive_buffer: int = RECEIVE_BUFFER,
    ) -> None:
        self.records: queue.Queue[logging.LogRecord | None] = queue.Queue()
        self.problems: list[str] = []
        #: Told of each problem as it happens (the app shows it), besides ``problems``.
        self.on_problem = on_problem
        self._stop = threading.Event()
        self._tcp = TcpReceiver(
            host, port, self._deliver, self._problem, max_senders=max_senders, idle_timeout=idle_timeout, frame_budget=frame_budget
        )
        self.host, self.port = self._tcp.host, self._tcp.port
        try:
            self._udp = UdpReceiver(host, self.port, self._deliver, self._problem, receive_buffer=receive_buffer)
        except OSError:
            self._tcp.shutdown()
            raise
        self._threads = [
            threading.Thread(target=self._run, args=(self._tcp.run, self._tcp.shutdown), name="logview-tcp", daemon=True),
            threading.Thread(target=self._run, args=(self._udp.receive, None), name="logview-udp", daemon=True),
            threading.Thread(target=self._run, args=(self._udp.decode, None), name="logview-udp-decode", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    @property
    def address(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def _deliver(self, payload: bytes, sender: str) -> None:
        """One frame's or datagram's record onto ``records``; FrameError for bytes that are not one."""
        self.records.put(record_from_frame(payload, sender))

    def _run(self, body: Callable[[], None], cleanup: Callable[[], None] | None) -> None:
        try:
            body()
        finally:
            if cleanup is not None:
                cleanup()

    def _problem(self, message: str) -> None:
        self.problems.append(message)
        if self.on_problem is not None:
            self.on_problem(message)

    def close(self) -> None:
        self._stop.set()
        self._tcp.close()
        self._udp.close()
        self.records.put(None)  # the queue's drain ends, as with QueueListener's sentinel


def parse_listen_address(text: str) -> tuple[str, int]:
    """``[HOST:]PORT`` → (host, port); the host defaults to 127.0.0.1.

    Raises ValueError with a line that says what a valid value is: the user
    typed it, int()'s own message ("invalid literal for int()") is not theirs.
    """
    host, _, port = text.rpartition(":")
    host = host.strip("[]") or DEFAULT_HOST
    if not (port.isascii() and port.isdigit()):
        raise ValueError(f"{text!r} is not a port or HOST:PORT (a port is a number from 0 to 65535: 9020, or 0.0.0.0:9020)")
    number = int(port)
    if not 0 <= number <= 65535:
        raise ValueError(f"port {number} is out of range (0 to 65535)")
    return host, number
