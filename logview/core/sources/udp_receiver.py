"""The UDP side of ``--listen``: DatagramHandler senders' datagrams, read as fast as a bare loop reads them.

A datagram the listener is too slow for is lost in the kernel, and only the
kernel knows. So one thread does nothing but read (a blocking read, then
whatever else is already queued, without waiting) and hands the raw
datagrams in batches to a second thread that checks and decodes them: decoding
never keeps the socket waiting. The socket's receive buffer is made as large
as the system allows, and what the kernel still drops is counted (the
``SO_RXQ_OVFL`` count each datagram carries, and the socket's ``drops`` in
/proc/net/udp for those dropped last) and reported, at most once a second.
"""

from __future__ import annotations

import contextlib
import os
import queue
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable

from logview.core.sources.sent_records import FrameError

__all__ = ["RECEIVE_BUFFER", "UdpReceiver", "kernel_drops"]

#: The receive buffer asked for: datagrams that come while the decoder is busy wait here.
RECEIVE_BUFFER = 32 << 20
#: Datagrams handed to the decoder at once, at most, and their bytes.
BATCH = 256
BATCH_BYTES = 1 << 20
#: Batches waiting for the decoder; past that the reader waits and the kernel's buffer takes the rest.
HANDOFF_BATCHES = 16
#: Seconds between two reports of datagrams dropped.
REPORT_INTERVAL = 1.0
_LARGEST_DATAGRAM = 65536
_LINUX = sys.platform.startswith("linux")
# Linux's numbers where the socket module does not name them.
_SO_RXQ_OVFL = getattr(socket, "SO_RXQ_OVFL", 40 if _LINUX else None)
_SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33 if _LINUX else None)


class UdpReceiver:
    """Receives DatagramHandler datagrams on ``host:port`` and hands each record's bytes to ``on_payload(payload, sender)``.

    ``on_payload`` raises FrameError for bytes that are not a record: that
    datagram is dropped with ``report``'s one line. ``receive`` and ``decode``
    are the two threads' loops; ``close`` ends both from any thread.
    """

    def __init__(
        self,
        host: str,
        port: int,
        on_payload: Callable[[bytes, str], None],
        report: Callable[[str], None],
        *,
        receive_buffer: int = RECEIVE_BUFFER,
    ) -> None:
        self._on_payload = on_payload
        self._report = report
        self._sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind((host, port))
        #: The receive buffer the kernel granted (it counts its own overhead in it).
        self.receive_buffer = _enlarge_receive_buffer(self._sock, receive_buffer)
        self._counts_drops = _ask_for_drop_counts(self._sock)
        self._ancillary_size = socket.CMSG_SPACE(4) if self._counts_drops else 0
        self._handoff: queue.Queue[list[tuple[bytes, object]] | None] = queue.Queue(HANDOFF_BATCHES)
        self._stopping = threading.Event()
        #: The kernel's count of datagrams dropped, as last seen, and as last reported.
        self._dropped = 0
        self._reported_drops = 0
        self._last_report = 0.0
        #: Whether datagrams came since /proc/net/udp was last read: the drops of a burst's end are read there.
        self._received_since_look = False
        self._drops_lock = threading.Lock()  # the decoder and close() both report

    def receive(self) -> None:
        """Read datagrams and hand them on in batches, until ``close``; nothing else, so the socket waits for nothing."""
        recvmsg, handoff, size = self._sock.recvmsg, self._handoff, self._ancillary_size
        while not self._stopping.is_set():
            data, ancillary, _flags, address = recvmsg(_LARGEST_DATAGRAM, size)
            if self._stopping.is_set():
                return
            batch = [(data, address)]
            held = len(data)
            if ancillary:
                self._note_drops(ancillary)
            while len(batch) < BATCH and held < BATCH_BYTES:
                try:
                    data, ancillary, _flags, address = recvmsg(_LARGEST_DATAGRAM, size, socket.MSG_DONTWAIT)
                except (BlockingIOError, InterruptedError):
                    break
                batch.append((data, address))
                held += len(data)
                if ancillary:
                    self._note_drops(ancillary)
            while not self._stopping.is_set():
                try:
                    handoff.put(batch, timeout=0.5)
                    break
                except queue.Full:
                    continue  # the decoder is behind: the kernel's buffer holds what comes meanwhile

    def decode(self) -> None:
        """Check and decode the batches ``receive`` hands on, until ``close``, and report the kernel's drops."""
        while not self._stopping.is_set():
            try:
                batch = self._handoff.get(timeout=REPORT_INTERVAL)
            except queue.Empty:
                if self._received_since_look:
                    self._received_since_look = False
                    self._look_at_drops()
                continue
            if batch is None:
                return
            self._received_since_look = True
            for data, address in batch:
                self._decode(data, address)
            self._report_drops()

    def _decode(self, data: bytes, address: object) -> None:
        if not isinstance(address, tuple):
            return  # no sender: the socket shut down under the read
        sender = f"{address[0]}:{address[1]}"
        try:
            if len(data) < 4 or struct.unpack_from(">L", data)[0] != len(data) - 4:
                raise FrameError("a datagram whose length prefix does not match its size")
            self._on_payload(data[4:], sender)
        except FrameError as error:
            self._report(f"udp {sender}: {error}; datagram dropped")
        except Exception as error:  # noqa: BLE001 - one datagram must not stop the others
            self._report(f"udp {sender}: internal error ({type(error).__name__}: {error}); datagram dropped")

    def _note_drops(self, ancillary: list[tuple[int, int, bytes]]) -> None:
        for level, kind, data in ancillary:
            if level == socket.SOL_SOCKET and kind == _SO_RXQ_OVFL and len(data) >= 4:
                self._dropped = max(self._dropped, struct.unpack("=I", data[:4])[0])

    def _look_at_drops(self) -> None:
        """Read the socket's drop count from /proc/net/udp: datagrams dropped after the last one read carry no count."""
        counted = kernel_drops(self._sock)
        if counted is not None:
            self._dropped = max(self._dropped, counted)
        self._report_drops(at_once=True)

    def _report_drops(self, at_once: bool = False) -> None:
        now = time.monotonic()
        if self._dropped <= self._reported_drops or (not at_once and now - self._last_report < REPORT_INTERVAL):
            return
        with self._drops_lock:
            dropped = self._dropped - self._reported_drops
            if dropped <= 0:
                return
            self._reported_drops, self._last_report = self._dropped, now
            self._report(f"udp: {dropped:,} datagram{'s' if dropped > 1 else ''} dropped by the kernel (receive buffer full)")

    def close(self) -> None:
        """End both loops and close the socket; the drops not yet reported are reported."""
        self._stopping.set()
        # Wakes the blocked read; Linux does so even as it says ENOTCONN for a socket that never connected.
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(queue.Full):  # else the decoder sees the stop at its next look
            self._handoff.put_nowait(None)
        self._look_at_drops()
        self._sock.close()


def _enlarge_receive_buffer(sock: socket.socket, wanted: int) -> int:
    """Ask for a ``wanted``-byte receive buffer, past the system's cap when allowed (root); what was granted."""
    for option in (_SO_RCVBUFFORCE, socket.SO_RCVBUF):
        if option is None:
            continue
        try:
            sock.setsockopt(socket.SOL_SOCKET, option, wanted)
            break
        except OSError:
            continue  # SO_RCVBUFFORCE needs CAP_NET_ADMIN; SO_RCVBUF is capped at net.core.rmem_max
    return sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)


def _ask_for_drop_counts(sock: socket.socket) -> bool:
    """Have each datagram carry the kernel's count of datagrams dropped so far (Linux's SO_RXQ_OVFL)."""
    if _SO_RXQ_OVFL is None:
        return False
    try:
        sock.setsockopt(socket.SOL_SOCKET, _SO_RXQ_OVFL, 1)
    except OSError:
        return False
    return True


def kernel_drops(sock: socket.socket) -> int | None:
    """The datagrams the kernel dropped for ``sock``, from the ``drops`` column of /proc/net/udp (or udp6); None if unknown."""
    try:
        inode = str(os.fstat(sock.fileno()).st_ino)
        table = "/proc/net/udp6" if sock.family == socket.AF_INET6 else "/proc/net/udp"
        with open(table) as lines:
            for line in lines:
                fields = line.split()
                if len(fields) > 12 and fields[9] == inode:
                    return int(fields[-1])
    except (OSError, ValueError):
        pass
    return None
