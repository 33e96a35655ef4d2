"""Records read from a multiprocessing queue's pipe, many to a read, for a consumer that shares the GIL.

``multiprocessing.Queue.get`` reads one record with two ``read`` calls, and
each call lets go of the GIL. In a viewer whose UI thread draws for tens of
milliseconds at a time, a thread that lets go of the GIL at every record
gets it back only at the next switch interval (5 ms), one record per
interval, while the program's processes wait on a full pipe. Reading all
that the pipe holds at once, and unpickling the records in it before
letting go again, keeps the queue drained.

This reads the queue as ``get`` does, with the queue's own parts: its
reader connection, the lock that readers share, and the semaphore that a
bounded queue's writers wait on, released once per record. They are not
public, so a queue without them (``queue.Queue``, a manager's proxy) is
read with ``get``: :func:`pipe_reader` returns None for it.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from multiprocessing.reduction import ForkingPickler
from typing import Any

#: The most read at once: a few thousand records.
READ_BYTES = 1 << 20
_LENGTH = struct.Struct("!i")
_LONG_LENGTH = struct.Struct("!Q")


class PipeReader:
    """Whole records from a ``multiprocessing.Queue``'s pipe, as many as one read brings."""

    def __init__(self, fd: int, lock: Any, release: Callable[[], object]) -> None:
        self._fd = fd
        self._lock = lock
        self._release = release
        self._pending = b""

    def records(self) -> list[Any]:
        """The records in the pipe now; waits for at least one. EOFError when every writer has closed it."""
        while True:
            with self._lock:
                data = os.read(self._fd, READ_BYTES)
            if not data:
                raise EOFError("the queue's pipe was closed by every writer")
            pending = self._pending + data if self._pending else data
            records, used = self._split(pending)
            self._pending = pending[used:]
            if records:
                return records

    def _split(self, data: bytes) -> tuple[list[Any], int]:
        """The records of the whole frames at the start of ``data``, and the bytes they take."""
        records: list[Any] = []
        loads, release, unpack = ForkingPickler.loads, self._release, _LENGTH.unpack_from
        position, end = 0, len(data)
        while position + 4 <= end:
            (size,) = unpack(data, position)
            start = position + 4
            if size == -1:  # a frame of 2 GiB or more: an 8-byte length follows
                if start + 8 > end:
                    break
                (size,) = _LONG_LENGTH.unpack_from(data, start)
                start += 8
            if start + size > end:
                break
            records.append(loads(data[start : start + size]))
            release()
            position = start + size
        return records, position


def pipe_reader(log_queue: object) -> PipeReader | None:
    """A reader of ``log_queue``'s pipe, or None when it is not a ``multiprocessing.Queue`` with the parts used."""
    reader, lock, semaphore = (getattr(log_queue, name, None) for name in ("_reader", "_rlock", "_sem"))
    if reader is None or lock is None or semaphore is None or not hasattr(reader, "fileno"):
        return None
    return PipeReader(reader.fileno(), lock, semaphore.release)
