"""Descriptors for many inputs: files reopened by path when their bytes are read, inflated text in shared spools.

Each input used to hold a descriptor for as long as logview ran, so that its
records' text could be read back by offset: a 10,000-file glob under a limit
of 1,024 descriptors failed on the 1,020th file ("Too many open files") and
lost the rest. Now a plain file that is not followed is closed once indexed
and opened again by its path when its bytes are read, the files read lately
staying open up to a bound (:class:`ReopenedFiles`); and the inflated text of
compressed inputs and pipes shares a few spool files (:class:`SharedSpools`)
instead of taking one each.
"""

from __future__ import annotations

import errno
import itertools
import os
import resource
import tempfile
import threading
from collections import OrderedDict

from logview.core.inputs.descriptor_limit import raise_descriptor_limit
from logview.core.inputs.errors import InputError

__all__ = ["REOPENED", "SPOOLS", "ParkedFile", "ReopenedFiles", "SharedSpools", "SpoolSegment", "raise_descriptor_limit"]

#: Bounds of the descriptors kept open for files read by offset: a quarter of the limit, within these.
MIN_KEPT_OPEN, MAX_KEPT_OPEN = 8, 256


def _kept_open_bound() -> int:
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_KEPT_OPEN
    return max(MIN_KEPT_OPEN, min(MAX_KEPT_OPEN, soft // 4))


class ParkedFile:
    """A plain file whose descriptor was let go: its bytes are read by reopening its path, if it is still the same file."""

    def __init__(self, files: ReopenedFiles, name: str, identity: tuple[int, int], fd: int) -> None:
        self._files = files
        self.name = name
        self.identity = identity
        self.key = files.adopt(fd)

    def read(self, offset: int, length: int) -> bytes:
        """Raises InputError when the path no longer leads to the file that was indexed."""
        return self._files.pread(self, offset, length)

    def take(self) -> int:
        """Its descriptor, open again, for the caller to keep: it is no longer parked."""
        return self._files.take(self)

    def close(self) -> None:
        self._files.release(self.key)


class ReopenedFiles:
    """The descriptors of parked files open now: the files read most lately, at most ``capacity``."""

    def __init__(self, capacity: int | None = None) -> None:
        self.capacity = capacity
        self._open: OrderedDict[int, int] = OrderedDict()
        self._keys = itertools.count()
        # Held while a descriptor is read: one evicted meanwhile would be closed under the read, its number given to another file.
        self._lock = threading.Lock()

    def adopt(self, fd: int) -> int:
        """Keep ``fd`` open for now (its bytes are likely read soon: the printer reads what was just indexed)."""
        with self._lock:
            key = next(self._keys)
            self._open[key] = fd
            self._evict(self._bound())
            return key

    def pread(self, parked: ParkedFile, offset: int, length: int) -> bytes:
        with self._lock:
            fd = self._open.get(parked.key)
            if fd is None:
                fd = self._reopen(parked)
                self._open[parked.key] = fd
                self._evict(self._bound())
            else:
                self._open.move_to_end(parked.key)
            return os.pread(fd, length, offset)

    def take(self, parked: ParkedFile) -> int:
        with self._lock:
            fd = self._open.pop(parked.key, None)
            return fd if fd is not None else self._reopen(parked)

    def release(self, key: int) -> None:
        with self._lock:
            fd = self._open.pop(key, None)
        if fd is not None:
            os.close(fd)

    def make_room(self) -> bool:
        """Close every parked file's descriptor (the process ran out of them); whether any was."""
        with self._lock:
            closed = bool(self._open)
            self._evict(0)
            return closed

    def __len__(self) -> int:
        return len(self._open)

    def _bound(self) -> int:
        return self.capacity if self.capacity is not None else _kept_open_bound()

    def _evict(self, keep: int) -> None:
        while len(self._open) > keep:
            _key, fd = self._open.popitem(last=False)
            os.close(fd)

    def _reopen(self, parked: ParkedFile) -> int:
        name = parked.name
        try:
            fd = _open_read_only(name)
        except OSError as error:
            if error.errno != errno.EMFILE or not self._open:
                raise _reopen_error(name, error) from None
            self._evict(0)  # the process is out of descriptors: those kept for other files give way
            try:
                fd = _open_read_only(name)
            except OSError as again:
                raise _reopen_error(name, again) from None
        status = os.fstat(fd)
        if (status.st_dev, status.st_ino) != parked.identity:
            os.close(fd)
            raise InputError(f"{name}: replaced by another file since it was read; the text of its records is not shown")
        return fd


def _open_read_only(name: str) -> int:
    return os.open(name, os.O_RDONLY | os.O_CLOEXEC)


def _reopen_error(name: str, error: OSError) -> InputError:
    if isinstance(error, FileNotFoundError):
        return InputError(f"{name}: deleted since it was read; the text of its records is not shown")
    return InputError(f"{name}: cannot be opened again to read its records: {error.strerror or error}")


class _SpoolFile:
    """One temporary file holding inflated inputs one after another; at most one input writes to it, at its end."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(prefix="logview-")  # noqa: SIM115 - closed when its last segment is
        self.fd = self.file.fileno()
        self.end = 0
        self.writing = False
        self.segments = 0


class SharedSpools:
    """Spool files shared by the inputs read as streams: as many files as inputs inflated at the same time, not one per input.

    A segment is written at the end of its file, so one input writes to a
    file at a time; another input streaming meanwhile gets another file. A
    file's space is given back when the segment at its end is closed (a
    rotated copy archived at once by the follower), and the file is closed
    with its last segment.
    """

    def __init__(self) -> None:
        self._files: list[_SpoolFile] = []
        self._lock = threading.Lock()

    def segment(self) -> SpoolSegment:
        with self._lock:
            spool = next((spool for spool in self._files if not spool.writing), None)
            if spool is None:
                spool = _SpoolFile()
                self._files.append(spool)
            spool.writing = True
            spool.segments += 1
            return SpoolSegment(self, spool, spool.end)

    def __len__(self) -> int:
        return len(self._files)

    def _written(self, segment: SpoolSegment) -> None:
        with self._lock:
            segment.spool.end = segment.base + segment.length
            segment.spool.writing = False

    def _release(self, segment: SpoolSegment) -> None:
        with self._lock:
            spool = segment.spool
            if segment.writing:
                spool.end = segment.base + segment.length
                spool.writing = False
            spool.segments -= 1
            if spool.segments == 0:
                self._files.remove(spool)
                spool.file.close()
            elif not spool.writing and spool.end == segment.base + segment.length:
                spool.end = segment.base
                os.ftruncate(spool.fd, spool.end)


class SpoolSegment:
    """One input's inflated bytes in a shared spool: written as a file is, then read by the input's own offsets."""

    def __init__(self, spools: SharedSpools, spool: _SpoolFile, base: int) -> None:
        self._spools = spools
        self.spool = spool
        self.base = base
        self.length = 0
        self.writing = True
        self._released = False

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        while view:
            written = os.pwrite(self.spool.fd, view, self.base + self.length)
            self.length += written
            view = view[written:]
        return len(data)

    def skip(self, size: int) -> None:
        """``size`` NULs, as a hole: they take no disk, and read back as NULs."""
        self.length += size
        if os.fstat(self.spool.fd).st_size < self.base + self.length:
            os.ftruncate(self.spool.fd, self.base + self.length)

    def flush(self) -> None:
        """Written with pwrite: nothing is buffered."""

    def tell(self) -> int:
        return self.length

    def fileno(self) -> int:
        """The shared file's descriptor: its size is that of every segment in it."""
        return self.spool.fd

    def read(self, offset: int, length: int) -> bytes:
        length = max(0, min(length, self.length - offset))
        return os.pread(self.spool.fd, length, self.base + offset) if length else b""

    def close(self) -> None:
        """The input is written whole: another input may be spooled after it."""
        if self.writing:
            self.writing = False
            self._spools._written(self)

    def release(self) -> None:
        """The input is closed: its bytes are no longer read."""
        if not self._released:
            self._released = True
            self._spools._release(self)
            self.writing = False


#: The process' parked files and spools: the descriptor limit is the process'.
REOPENED = ReopenedFiles()
SPOOLS = SharedSpools()
