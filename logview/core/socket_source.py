"""Records sent by ``logging.handlers.SocketHandler`` (TCP) and ``DatagramHandler`` (UDP).

SocketHandler sends each record as a 4-byte big-endian length and a pickled
dict of the record's attributes; DatagramHandler sends the same in one
datagram; ``sent_records`` turns those bytes into a record without trusting
them. This module is the transport: a frame over the size limit, a truncated frame or
anything that is not a record closes that sender's connection, with a
one-line message naming the sender and the cause; the listener keeps running.

Received records are put on a ``queue.Queue`` as LogRecords, the sender's
address in ``processName`` (``MainProcess@127.0.0.1:50432``): the viewer
drains that queue like any logging queue, and the PID pane tells senders apart.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import socket
import struct
import threading
from collections.abc import Callable

from logview.core.sent_records import FrameError, record_from_frame

DEFAULT_HOST = "127.0.0.1"
#: The largest frame accepted: a record with a long traceback is a few kB.
MAX_FRAME = 16 << 20


class SocketListener:
    """Listens on a TCP and a UDP port (the same number) and puts the records received on ``records``."""

    def __init__(self, host: str = DEFAULT_HOST, port: int = 0, on_problem: Callable[[str], None] | None = None) -> None:
        self.records: queue.Queue[logging.LogRecord | None] = queue.Queue()
        self.problems: list[str] = []
        #: Told of each problem as it happens (the app shows it), besides ``problems``.
        self.on_problem = on_problem
        self._stop = threading.Event()
        self._tcp = socket.create_server((host, port), reuse_port=False)
        self.host, self.port = self._tcp.getsockname()[:2]
        self._udp = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
        self._udp.bind((host, self.port))
        self._threads = [
            threading.Thread(target=self._accept, name="logview-tcp", daemon=True),
            threading.Thread(target=self._receive_datagrams, name="logview-udp", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, address = self._tcp.accept()
            except OSError:
                return  # closed
            sender = f"{address[0]}:{address[1]}"
            threading.Thread(target=self._serve, args=(connection, sender), name=f"logview-tcp-{sender}", daemon=True).start()

    def _serve(self, connection: socket.socket, sender: str) -> None:
        """Read one sender's frames until it disconnects; a bad frame ends the connection, not the listener."""
        with connection:
            while not self._stop.is_set():
                try:
                    header = _read_exactly(connection, 4)
                    if header is None:
                        return  # a clean disconnection between frames
                    (length,) = struct.unpack(">L", header)
                    if length > MAX_FRAME:
                        raise FrameError(f"a frame of {length:,} bytes, over the {MAX_FRAME:,} limit")
                    payload = _read_exactly(connection, length)
                    if payload is None:
                        raise FrameError(f"disconnected in the middle of a frame ({length:,} bytes announced)")
                    self.records.put(record_from_frame(payload, sender))
                except FrameError as error:
                    self._problem(f"tcp {sender}: {error}; connection closed")
                    return
                except OSError as error:
                    if not self._stop.is_set():
                        self._problem(f"tcp {sender}: {error.strerror or error}; connection closed")
                    return

    def _receive_datagrams(self) -> None:
        while not self._stop.is_set():
            try:
                datagram, address = self._udp.recvfrom(65536)
            except OSError:
                return  # closed
            if address is None or self._stop.is_set():
                return  # shut down
            sender = f"{address[0]}:{address[1]}"
            try:
                if len(datagram) < 4 or struct.unpack(">L", datagram[:4])[0] != len(datagram) - 4:
                    raise FrameError("a datagram whose length prefix does not match its size")
                self.records.put(record_from_frame(datagram[4:], sender))
            except FrameError as error:
                self._problem(f"udp {sender}: {error}; datagram dropped")

    def _problem(self, message: str) -> None:
        self.problems.append(message)
        if self.on_problem is not None:
            self.on_problem(message)

    def close(self) -> None:
        self._stop.set()
        for sock in (self._tcp, self._udp):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.records.put(None)  # the queue's drain ends, as with QueueListener's sentinel


def _read_exactly(connection: socket.socket, size: int) -> bytes | None:
    """``size`` bytes, or None when the peer closed before the first of them; FrameError when it closed in between."""
    parts: list[bytes] = []
    wanted = size
    while wanted:
        part = connection.recv(min(wanted, 1 << 20))
        if not part:
            if wanted == size:
                return None
            raise FrameError(f"disconnected in the middle of a frame ({size - wanted:,} of {size:,} bytes)")
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


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
