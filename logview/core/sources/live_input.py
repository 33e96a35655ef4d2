"""A followed file whose bytes, once read, are read back from a spool of its own.

logrotate's copytruncate empties a file in place: the same inode, with a new
text from byte 0. Records indexed from the file just before are then read
back (to be printed or shown) at offsets that now hold the new text, or
nothing: a record printed twice, out of order, or left out. So what is read
of the file is written to a spool as it is read, and read back from there.

A read is kept only if the file was not emptied before it ended: its first
bytes (the text's *head*) are looked at again after the read and must not
have changed (two texts of a log never start with the same record). The very
first read of a text has no head to check: a check given by the follower
says whether a text emptied before it (and copied) must be read first.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from logview.core.inputs.opened_input import OpenedInput

__all__ = ["HEAD_BYTES", "LiveInput"]

#: Bytes from a text's start that identify it: the follower's fingerprint of a file.
HEAD_BYTES = 4096


@dataclass
class LiveInput(OpenedInput):
    """A followed plain file: the bytes before ``base`` are read from it, those read since from the spool."""

    #: Bytes before this were indexed before following began, and are read from the file itself.
    base: int = 0
    #: The first bytes of the text being read (up to HEAD_BYTES), as they were read: how an emptied file is told.
    head: bytes = b""
    #: Says whether the first bytes of a text (nothing of it read yet) may be read now.
    may_start: Callable[[bytes], bool] = field(default=lambda _data: True)
    _spool_file: BinaryIO | None = None
    #: Where the bytes written to the spool end, in the file's offsets.
    _spooled: int = 0
    _spool_lock: threading.Lock = field(default_factory=threading.Lock)
    #: The largest size the file was seen at while it held the text read.
    seen_size: int = 0
    #: When the file was last seen to hold the text read (ns since the epoch).
    looked_at: int = field(default_factory=time.time_ns)
    #: The file was emptied: bytes not in the spool come from ``_copy`` (copytruncate's copy), or are gone.
    _frozen: bool = False
    _copy: OpenedInput | None = None

    @classmethod
    def taking(cls, opened: OpenedInput, base: int, may_start: Callable[[bytes], bool]) -> LiveInput:
        """An input over ``opened``'s file, which it owns from then on (``opened`` is not to be closed)."""
        values = {item.name: getattr(opened, item.name) for item in dataclasses.fields(OpenedInput)}
        head = os.pread(values["_store_fd"], min(base, HEAD_BYTES), 0) if base else b""
        return cls(**values, base=base, head=head, may_start=may_start, _spooled=base)

    @property
    def spooled(self) -> int:
        """Where the bytes read of the file end: the file holds at least as many, unless it was emptied."""
        return self._spooled

    def file_head(self, length: int = HEAD_BYTES) -> bytes:
        """The file's first bytes now, without reading them into the spool."""
        return os.pread(self.store_fd, length, 0)

    def emptied(self) -> bool:
        """Whether the file now holds another text than the one read: shorter than what was read, or starting otherwise."""
        size = os.fstat(self.store_fd).st_size
        if size < self._spooled or (self.head and self.file_head(len(self.head)) != self.head):
            return True
        self._still(size)
        return False

    def read(self, offset: int, length: int) -> bytes:
        """The bytes at ``offset``: read before, from the spool; new ones from the file, kept only if it was not emptied meanwhile."""
        end = offset + length
        parts: list[bytes] = []
        if offset < self.base:
            before = self._from_file(offset, min(end, self.base) - offset)
            if len(before) < min(end, self.base) - offset or end <= self.base:
                return before
            parts.append(before)
            offset = self.base
        spooled = self._spooled
        if offset < spooled:
            kept = os.pread(self._spool_handle().fileno(), min(end, spooled) - offset, offset - self.base)
            parts.append(kept)
            offset += len(kept)
        if offset < end and offset >= spooled:
            parts.append(self._read_new(offset, end - offset))
        return b"".join(parts)

    def freeze(self, copy: OpenedInput | None) -> None:
        """The file was emptied: what was not read of its old text comes from ``copy`` (owned by the caller), or is gone."""
        self._frozen = True
        self._copy = copy

    def close(self) -> None:
        super().close()
        if self._spool_file is not None:
            self._spool_file.close()

    def _from_file(self, offset: int, length: int) -> bytes:
        """Bytes indexed before following began (not spooled: the file may be large): none once the file holds another text."""
        if self._frozen:
            return self._copy.read(offset, length) if self._copy is not None else b""
        data = os.pread(self.store_fd, length, offset)
        return data if self.file_head(len(self.head)) == self.head else b""

    def _still(self, size: int) -> None:
        """The file was seen at ``size`` holding the text read (its head checked after the size was taken)."""
        self.seen_size = max(self.seen_size, size)
        self.looked_at = time.time_ns()

    def _read_new(self, offset: int, length: int) -> bytes:
        """Bytes past those spooled: from the copy once frozen, else from the file, spooled if the file still holds the same text."""
        if self._frozen:
            return self._from_file(offset, length)
        with self._spool_lock:
            data = os.pread(self.store_fd, length, offset)
            if not data:
                return b""
            if offset == 0 and not self.head:
                if not self.may_start(data):
                    return b""
            elif self.file_head(len(self.head)) != self.head:
                return b""  # emptied since the text was first read: these bytes may be the new text's
            # A read past the spool's end (a long record's middle, skipped) leaves a hole there, never read back.
            os.pwrite(self._spool_handle().fileno(), data, offset - self.base)
            if offset == 0 and len(self.head) < HEAD_BYTES:
                self.head = data[:HEAD_BYTES]
            elif offset <= len(self.head) < HEAD_BYTES:
                self.head = (self.head + data[len(self.head) - offset :])[:HEAD_BYTES]
            self._spooled = max(self._spooled, offset + len(data))
            self._still(self._spooled)
            return data

    def _spool_handle(self) -> BinaryIO:
        if self._spool_file is None:
            self._spool_file = tempfile.TemporaryFile(prefix="logview-followed-")  # noqa: SIM115 - closed by close()
        return self._spool_file
