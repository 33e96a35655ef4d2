"""The TCP side of ``--listen``: SocketHandler senders' frames, read by one thread with bounded resources.

One selector loop serves every connection, so a thousand senders cost a
thousand sockets, not a thousand threads. What a hostile or broken sender can
hold is bounded, and each bound says so in one line when it bites:

- descriptors: when ``accept`` fails for want of them (EMFILE and kin) the
  loop stops accepting for a moment and tries again; new senders wait in the
  kernel's backlog instead of the listener giving up for good;
- senders: at most ``max_senders`` connections; the next one waits, unless a
  connected sender has been silent between frames for ``idle_timeout`` (its
  slot is given to the newcomer);
- time: a frame not complete ``idle_timeout`` seconds after it started closes
  its connection (between frames a sender may stay silent as long as it likes:
  closing it would lose its next records);
- memory: frames in progress may hold ``frame_budget`` bytes across all
  connections; a frame is read only once its announced length fits, the
  others wait their turn, unread, in the kernel. Frames are read into a
  growing buffer as their bytes come, never allocated from the length a
  sender announces.
"""

from __future__ import annotations

import contextlib
import errno
import resource
import selectors
import socket
import struct
import time
from collections import deque
from collections.abc import Callable

from logview.core.sources.sent_records import FrameError

__all__ = ["FRAME_BUDGET", "IDLE_TIMEOUT", "MAX_FRAME", "MAX_SENDERS", "TcpReceiver"]

#: The largest frame accepted: a record with a long traceback is a few kB.
MAX_FRAME = 16 << 20
#: Bytes that frames in progress may hold across all connections.
FRAME_BUDGET = 64 << 20
#: Connections served at once; the next sender waits for a free slot.
MAX_SENDERS = 256
#: Seconds a frame may take to come whole, and a sender may hold its slot silent when another wants it.
IDLE_TIMEOUT = 120.0
#: One read between frames: many small frames at once, and what a sender may hold outside the budget.
READ_SIZE = 64 << 10
#: The largest read into a frame in progress.
LARGE_READ = 1 << 20
#: Pending connections the kernel keeps for senders waiting to be accepted.
BACKLOG = 1024
#: Accept failures that mean "not now" (out of descriptors or kernel memory), not "never".
_OUT_OF_RESOURCES = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
#: Accept failures for one connection that went away before it was accepted.
_GONE = frozenset({errno.ECONNABORTED, errno.EPROTO, errno.EPERM})
_FIRST_BACKOFF, _LAST_BACKOFF = 0.05, 1.0
_WAKE = "wake"


class _Connection:
    """One sender's socket and its frame in progress."""

    __slots__ = ("buffer", "frame_started", "heard", "length", "reserved", "sender", "sock", "waiting")

    def __init__(self, sock: socket.socket, sender: str, now: float) -> None:
        self.sock = sock
        self.sender = sender
        #: Bytes read and not yet handed on: the start of the next frame.
        self.buffer = bytearray()
        #: The length the frame in progress announced, once its 4-byte header has come.
        self.length: int | None = None
        #: Bytes of the budget given to the frame in progress (its announced length once admitted, else 0).
        self.reserved = 0
        #: When the frame in progress started (or was admitted after waiting), for its deadline.
        self.frame_started = now
        #: When bytes last came.
        self.heard = now
        #: Whether its frame waits for room in the budget (it is not read meanwhile).
        self.waiting = False

    @property
    def mid_frame(self) -> bool:
        return bool(self.buffer) or self.length is not None


class TcpReceiver:
    """Accepts SocketHandler senders on ``host:port`` and hands each whole frame to ``on_frame(payload, sender)``.

    ``on_frame`` raises FrameError for bytes that are not a record: that
    sender's connection is closed with ``report``'s one line. ``on_closed``
    is told of every connection that ends. ``run`` is the loop (one
    thread); ``close`` ends it from any thread.
    """

    def __init__(
        self,
        host: str,
        port: int,
        on_frame: Callable[[bytes, str], None],
        report: Callable[[str], None],
        *,
        on_closed: Callable[[str], None] | None = None,
        max_senders: int = MAX_SENDERS,
        idle_timeout: float = IDLE_TIMEOUT,
        frame_budget: int = FRAME_BUDGET,
    ) -> None:
        self._on_frame = on_frame
        self._report = report
        self._on_closed = on_closed
        self._max_senders = max_senders
        self._idle_timeout = idle_timeout
        self._frame_budget = frame_budget
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._server = socket.create_server((host, port), family=family, backlog=BACKLOG)
        self._server.setblocking(False)
        self.host, self.port = self._server.getsockname()[:2]
        self._selector = selectors.DefaultSelector()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._selector.register(self._wake_reader, selectors.EVENT_READ, _WAKE)
        self._selector.register(self._server, selectors.EVENT_READ, None)
        self._connections: dict[int, _Connection] = {}
        #: Connections whose next frame waits for room in the budget, first come first served; not read meanwhile.
        self._waiting: deque[_Connection] = deque()
        self._reserved = 0
        self._stopping = False
        #: While accepting is paused: until when (None: until a connection closes), and why, reported once.
        self._paused_until: float | None = None
        self._paused = False
        self._pause_reason = ""
        self._backoff = _FIRST_BACKOFF
        self._budget_reported = False
        self._next_check = 0.0

    def run(self) -> None:
        """Serve until ``close``; may be called again after an unexpected error, with the state it left."""
        while not self._stopping:
            events = self._selector.select(self._select_timeout())
            for key, _mask in events:
                if key.data is _WAKE:
                    self._drain_wake()
                elif key.data is None:
                    self._accept()
                else:
                    self._serve(key.data)
            now = time.monotonic()
            if self._paused and self._paused_until is not None and now >= self._paused_until:
                self._resume()
            if now >= self._next_check:
                self._check_deadlines(now)
                self._next_check = now + self._check_interval()

    def close(self) -> None:
        """Ask the loop to end (from any thread); ``shutdown`` frees the sockets once it has."""
        self._stopping = True
        # Already closed, or its buffer full of wake-ups: the loop wakes either way.
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"x")

    def shutdown(self) -> None:
        """Close every socket: the loop's thread calls it as it ends."""
        for connection in list(self._connections.values()):
            connection.sock.close()
        self._connections.clear()
        self._waiting.clear()
        self._selector.close()
        for sock in (self._server, self._wake_reader, self._wake_writer):
            sock.close()

    def _check_interval(self) -> float:
        return min(1.0, self._idle_timeout / 4)

    def _select_timeout(self) -> float | None:
        """Until the next look at deadlines: only while someone is connected or accepting is paused."""
        deadlines = []
        if self._paused and self._paused_until is not None:
            deadlines.append(self._paused_until)
        if self._connections:
            deadlines.append(self._next_check)
        return max(0.0, min(deadlines) - time.monotonic()) if deadlines else None

    def _drain_wake(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while self._wake_reader.recv(4096):
                pass

    # Accepting

    def _accept(self) -> None:
        for attempt in range(64):  # a burst of connections does not starve the senders already connected
            if len(self._connections) >= self._max_senders and (attempt or not self._make_room()):
                if attempt:
                    return  # whether another sender waits, the next select says
                self._pause(
                    "senders",
                    f"tcp: {len(self._connections)} senders connected, the limit; a new sender waits until one disconnects"
                    f" or has been silent for {self._idle_timeout:g} s",
                    self._earliest_idle() or time.monotonic() + self._idle_timeout,
                )
                return
            try:
                sock, address = self._server.accept()
            except BlockingIOError:
                if self._pause_reason:  # said when no sender waits any more, not at each one accepted in between
                    self._report("tcp: accepting new senders again")
                    self._pause_reason = ""
                return
            except OSError as error:
                if error.errno in _GONE:
                    continue
                if error.errno in _OUT_OF_RESOURCES:
                    self._pause("descriptors", self._out_of_resources(error), self._next_backoff())
                else:
                    self._pause(
                        f"error {error.errno}", f"tcp: cannot accept senders: {error.strerror or error}; retrying", self._next_backoff()
                    )
                return
            self._backoff = _FIRST_BACKOFF
            sock.setblocking(False)
            connection = _Connection(sock, f"{address[0]}:{address[1]}", time.monotonic())
            self._connections[sock.fileno()] = connection
            self._selector.register(sock, selectors.EVENT_READ, connection)

    def _out_of_resources(self, error: OSError) -> str:
        if error.errno == errno.EMFILE:
            limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
            cause = f"out of file descriptors (the limit is {limit:,}; {len(self._connections):,} senders connected)"
        elif error.errno == errno.ENFILE:
            cause = "the system is out of file descriptors"
        else:
            cause = f"out of memory for sockets ({error.strerror})"
        return f"tcp: {cause}; new senders wait until some disconnect"

    def _next_backoff(self) -> float:
        delay = self._backoff
        self._backoff = min(self._backoff * 2, _LAST_BACKOFF)
        return time.monotonic() + delay

    def _pause(self, reason: str, message: str, until: float | None) -> None:
        """Stop watching for new connections until ``until`` or until a connection closes; say why once."""
        if not self._paused:
            self._selector.unregister(self._server)
            self._paused = True
        self._paused_until = until
        if reason != self._pause_reason:
            self._report(message)
            self._pause_reason = reason

    def _resume(self) -> None:
        if self._paused and not self._stopping:
            self._selector.register(self._server, selectors.EVENT_READ, None)
            self._paused = False
            self._paused_until = None

    def _make_room(self) -> bool:
        """Close the sender silent longest between frames if it has been silent for ``idle_timeout``: whether it did."""
        idle = [connection for connection in self._connections.values() if not connection.mid_frame]
        if not idle:
            return False
        oldest = min(idle, key=lambda connection: connection.heard)
        silent = time.monotonic() - oldest.heard
        if silent < self._idle_timeout:
            return False
        self._close(
            oldest,
            f"silent for {silent:.1f} s while a new sender waits for a slot ({len(self._connections)} senders connected, the limit)",
            resume=False,
        )
        return True

    def _earliest_idle(self) -> float | None:
        heard = [connection.heard for connection in self._connections.values() if not connection.mid_frame]
        return min(heard) + self._idle_timeout if heard else None

    # Reading

    def _serve(self, connection: _Connection) -> None:
        """Read what came on ``connection`` and hand on its whole frames; any failure closes this connection only."""
        try:
            self._read(connection)
        except FrameError as error:
            self._close(connection, f"{error}")
        except OSError as error:
            self._close(connection, f"{error.strerror or error}")
        except Exception as error:  # noqa: BLE001 - one sender must not stop the others
            self._close(connection, f"internal error ({type(error).__name__}: {error})")

    def _read(self, connection: _Connection) -> None:
        wanted = READ_SIZE
        if connection.length is not None:
            wanted = max(READ_SIZE, min(LARGE_READ, 4 + connection.length - len(connection.buffer)))
        try:
            data = connection.sock.recv(wanted)
        except (BlockingIOError, InterruptedError):
            return
        if not data:
            if connection.mid_frame:
                raise FrameError(f"disconnected in the middle of a frame ({self._progress(connection)})")
            self._close(connection, None)
            return
        now = time.monotonic()
        if not connection.mid_frame:
            connection.frame_started = now
        connection.heard = now
        connection.buffer += data
        self._take_frames(connection)

    def _take_frames(self, connection: _Connection) -> None:
        """Hand on every whole frame in the buffer; the one left in progress is read only if the budget has room for it."""
        buffer = connection.buffer
        start = 0
        try:
            while True:
                if connection.length is None:
                    if len(buffer) - start < 4:
                        break
                    (length,) = struct.unpack_from(">L", buffer, start)
                    if length > MAX_FRAME:
                        raise FrameError(f"a frame of {length:,} bytes, over the {MAX_FRAME:,} limit")
                    if length > self._frame_budget:
                        raise FrameError(
                            f"a frame of {length:,} bytes, over the {self._frame_budget:,} bytes allowed for frames in progress"
                        )
                    connection.length = length
                end = start + 4 + connection.length
                if len(buffer) < end:
                    break
                with memoryview(buffer) as view:
                    payload = bytes(view[start + 4 : end])
                start = end
                connection.length = None
                self._on_frame(payload, connection.sender)
        finally:
            del buffer[:start]
        if connection.length is None:
            self._release(connection)
            if buffer:
                connection.frame_started = connection.heard
        elif not connection.reserved:
            self._admit(connection)

    def _admit(self, connection: _Connection) -> None:
        """Give the frame in progress its share of the budget, or make it wait (unread) for its turn."""
        assert connection.length is not None
        if not self._waiting and self._reserved + connection.length <= self._frame_budget:
            connection.reserved = connection.length
            self._reserved += connection.length
            return
        self._waiting.append(connection)
        connection.waiting = True
        self._selector.unregister(connection.sock)
        if not self._budget_reported:
            self._report(
                f"tcp: frames in progress hold {self._reserved:,} bytes of the {self._frame_budget:,} allowed;"
                " senders with a large frame wait their turn"
            )
            self._budget_reported = True

    def _release(self, connection: _Connection) -> None:
        """Give back ``connection``'s share of the budget, and let the frames waiting for it be read, in order."""
        if not connection.reserved:
            return
        self._reserved -= connection.reserved
        connection.reserved = 0
        while self._waiting:
            head = self._waiting[0]
            assert head.length is not None
            if self._reserved + head.length > self._frame_budget:
                return
            self._waiting.popleft()
            head.waiting = False
            head.reserved = head.length
            self._reserved += head.length
            head.frame_started = time.monotonic()
            self._selector.register(head.sock, selectors.EVENT_READ, head)
        self._budget_reported = False

    # Closing

    def _check_deadlines(self, now: float) -> None:
        for connection in list(self._connections.values()):
            if connection.mid_frame and not connection.waiting and now - connection.frame_started >= self._idle_timeout:
                self._close(connection, f"a frame not complete after {now - connection.frame_started:.1f} s ({self._progress(connection)})")

    def _progress(self, connection: _Connection) -> str:
        if connection.length is None:
            return f"{len(connection.buffer)} bytes of a 4-byte header"
        return f"{max(0, len(connection.buffer) - 4):,} of {connection.length:,} bytes"

    def _close(self, connection: _Connection, cause: str | None, resume: bool = True) -> None:
        """Close one connection, saying why unless it ended cleanly; its slot and budget go to who waits for them."""
        if self._connections.pop(connection.sock.fileno(), None) is None:
            return
        if connection.waiting:
            self._waiting.remove(connection)
            self._budget_reported = bool(self._waiting) and self._budget_reported
        else:
            self._selector.unregister(connection.sock)
        if cause is not None and not self._stopping:  # told before the sender sees the connection closed
            self._report(f"tcp {connection.sender}: {cause}; connection closed")
        connection.sock.close()
        self._release(connection)
        if self._on_closed is not None:
            self._on_closed(connection.sender)
        if resume:
            self._resume()
