"""Standard input, a pipe, a FIFO or a device, read as its bytes come, its first bytes read ahead for magic detection.

Apart from opener.py, which turns any input into chunks and bytes by
offset: only the inputs that cannot seek or tell their size are read this
way, and how a read waits on them (select, in short steps) is this
module's whole concern.
"""

from __future__ import annotations

import os
import select
import threading
from collections.abc import Callable
from typing import BinaryIO

__all__ = ["PIPE_READ", "PIPE_WAIT", "PipeStream"]


class PipeStream:
    """A pipe, a device or standard input, read as its bytes come, with its first bytes read ahead for magic detection.

    Read by descriptor, as a pipe's bytes arrive: a read returns what has
    come (up to the size asked for) rather than waiting for the whole size,
    so that ``tail -f app.log | logview`` shows records as they are written;
    and it waits in short steps, so that the viewer can stop it (``stopped``)
    when it quits while the writer is silent.
    """

    def __init__(
        self,
        raw: BinaryIO,
        owned: bool = True,
        stopped: threading.Event | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> None:
        """``on_wait`` is called, before the first bytes are waited for, when there are none yet."""
        self._raw = raw
        self._owned = owned
        self._fd = raw.fileno()
        #: Set to end the input where it stands: a read waiting for bytes returns none.
        self.stopped = stopped if stopped is not None else threading.Event()
        if on_wait is not None and not _readable(self._fd, 0):
            on_wait()
        self._head = b""
        while len(self._head) < 8 and (part := self._read_some(8 - len(self._head))):
            self._head += part

    def peek(self) -> bytes:
        return self._head

    def fileno(self) -> int:
        return self._fd

    def ready(self) -> bool:
        """Bytes (or the end) are there to read: a read now would not wait for the writer."""
        return _readable(self._fd, 0)

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (no limit when negative): what has come, once anything has; b"" only at the end.

        Fewer than asked for, as a raw stream's read may: the decompressors and
        the chunker read on until they have what they need.
        """
        head, self._head = (self._head, b"") if size < 0 else (self._head[:size], self._head[size:])
        parts = [head]
        got = len(head)
        while size < 0 or got < size:
            if got and not _readable(self._fd, 0):
                break  # what has come, now: the rest may take the writer hours
            part = self._read_some(PIPE_READ if size < 0 else min(size - got, PIPE_READ))
            if not part:
                break
            parts.append(part)
            got += len(part)
        return b"".join(parts)

    def _read_some(self, size: int) -> bytes:
        """Bytes as soon as some have come; b"" at the end of the input, or once stopped."""
        while not _readable(self._fd, PIPE_WAIT):
            if self.stopped.is_set():
                return b""
        return b"" if self.stopped.is_set() else os.read(self._fd, size)

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if self._owned:
            self._raw.close()


#: Bytes read from a pipe at once, and seconds a read waits for some before it looks whether it was stopped.
PIPE_READ = 1 << 20
PIPE_WAIT = 0.2


def _readable(fd: int, timeout: float) -> bool:
    return bool(select.select([fd], [], [], timeout)[0])
