"""Records sent by ``logging.handlers.SocketHandler`` (TCP) and ``DatagramHandler`` (UDP).

SocketHandler sends each record as a 4-byte big-endian length and a pickled
dict of the record's attributes; DatagramHandler sends the same in one
datagram; ``sent_records`` turns those bytes into a record without trusting
them. This module puts the two transports together (``tcp_receiver``: a frame
over the size limit, a truncated frame or anything that is not a record closes
that sender's connection; ``udp_receiver``: such a datagram is dropped) and
tells each problem in one line naming the sender and the cause. No thread of
the listener ends on an error: an unexpected one is one more line, and the
listener keeps serving.

Received records are put on a ``queue.Queue`` as LogRecords, the sender's
address in ``processName`` (``MainProcess@127.0.0.1:50432``): the viewer
drains that queue like any logging queue, and the PID pane tells senders apart.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable

from logview.core.sources.sent_records import SentRecords
from logview.core.sources.tcp_receiver import FRAME_BUDGET, IDLE_TIMEOUT, MAX_FRAME, MAX_SENDERS, TcpReceiver
from logview.core.sources.udp_receiver import RECEIVE_BUFFER, UdpReceiver

__all__ = ["DEFAULT_HOST", "MAX_FRAME", "SocketListener", "parse_listen_address"]

DEFAULT_HOST = "127.0.0.1"
#: Problems kept in ``SocketListener.problems``: the newest, so a sender sending garbage forever costs no memory.
KEPT_PROBLEMS = 1000
#: Problem lines told in one second at most; past that they are counted, and the count is told.
PROBLEMS_PER_SECOND = 20
#: Seconds a listener thread waits, at most, before serving again after an unexpected error.
_LONGEST_RETRY = 5.0


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
        #: The newest problems, as told.
        self.problems: deque[str] = deque(maxlen=KEPT_PROBLEMS)
        #: Told of each problem as it happens (the app shows it), besides ``problems``.
        self.on_problem = on_problem
        self._problem_lock = threading.Lock()
        self._second = 0.0
        self._told_this_second = 0
        self._untold = 0
        self._stop = threading.Event()
        #: Decodes what senders send; tells each sender's first bad record through _problem, and counts the later ones.
        self._sent = SentRecords(self._problem)
        self._tcp = TcpReceiver(
            host,
            port,
            lambda payload, sender: self._deliver(payload, sender, "tcp"),
            self._problem,
            on_closed=lambda sender: self._sent.gone(sender, "tcp"),
            max_senders=max_senders,
            idle_timeout=idle_timeout,
            frame_budget=frame_budget,
        )
        self.host, self.port = self._tcp.host, self._tcp.port
        try:
            self._udp = UdpReceiver(
                host, self.port, lambda payload, sender: self._deliver(payload, sender, "udp"), self._problem, receive_buffer=receive_buffer
            )
        except OSError:
            self._tcp.shutdown()
            raise
        self._threads = [
            threading.Thread(target=self._guarded, args=(self._tcp.run, "tcp", self._tcp.shutdown), name="logview-tcp", daemon=True),
            threading.Thread(target=self._guarded, args=(self._udp.receive, "udp", None), name="logview-udp", daemon=True),
            threading.Thread(target=self._guarded, args=(self._udp.decode, "udp", None), name="logview-udp-decode", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    @property
    def address(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def _deliver(self, payload: bytes, sender: str, transport: str) -> None:
        """One frame's or datagram's record onto ``records``; FrameError for bytes that are not one."""
        self.records.put(self._sent.decode(payload, sender, transport))

    def _guarded(self, body: Callable[[], None], what: str, cleanup: Callable[[], None] | None) -> None:
        """Run a listener thread's loop; an unexpected error is one line, and the loop serves again."""
        retry = 0.05
        last_told = ""
        try:
            while not self._stop.is_set():
                try:
                    body()
                    return
                except Exception as error:  # noqa: BLE001 - no traceback from a listener thread
                    if self._stop.is_set():
                        return  # its sockets closed under it
                    message = f"{what}: internal error ({type(error).__name__}: {error}); still listening"
                    if message != last_told:  # an error that repeats is told once
                        self._problem(message)
                        last_told = message
                    self._stop.wait(retry)
                    retry = min(retry * 2, _LONGEST_RETRY)
        finally:
            if cleanup is not None:
                cleanup()

    def _problem(self, message: str) -> None:
        """Keep and tell one problem; past PROBLEMS_PER_SECOND a second, count them and tell the count with the next.

        Only a sender's problems (``udp 127.0.0.1:5000: …``) are counted
        against the cap: the listener's own (``udp: 120 datagrams dropped…``,
        ``tcp: out of file descriptors…``) are told once each time they
        start, and always told.
        """
        lines = []
        with self._problem_lock:
            now = time.monotonic()
            if now - self._second >= 1.0:
                self._second, self._told_this_second = now, 0
                lines.extend(self._untold_line())
            if message.startswith(("tcp: ", "udp: ")):
                lines.append(message)
            elif self._told_this_second >= PROBLEMS_PER_SECOND:
                self._untold += 1
            else:
                self._told_this_second += 1
                lines.append(message)
        for line in lines:  # told outside the lock: on_problem may take its time
            self._tell(line)

    def _untold_line(self) -> list[str]:
        untold, self._untold = self._untold, 0
        return [f"{untold:,} more problems not shown (over {PROBLEMS_PER_SECOND} a second)"] if untold else []

    def _tell(self, message: str) -> None:
        self.problems.append(message)
        if self.on_problem is not None:
            # A failing callback must not end the thread that tells it; the line stays in ``problems``.
            with contextlib.suppress(Exception):
                self.on_problem(message)

    def close(self) -> None:
        self._stop.set()
        self._tcp.close()
        self._udp.close()
        self._sent.close()
        with self._problem_lock:
            lines = self._untold_line()
        for line in lines:
            self._tell(line)
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
