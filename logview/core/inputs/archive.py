"""Keep the bytes of files that are gone, so their records can still be read.

A followed file that is rotated away may be deleted (the cookbook's gzip
rotator removes it once compressed) or renamed many times; the index's
offsets must keep pointing at its text. Holding a descriptor per rotated file
would run out of descriptors after a few hundred rotations, so their bytes
are copied into one spool file instead, read back by offset.
"""

from __future__ import annotations

import os
import tempfile
import threading

from logview.core.inputs.opened_input import OpenedInput

#: Bytes copied at once.
COPY_BLOCK = 1 << 20


class Archive:
    """One temporary file holding the bytes of many inputs, each at its own place."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="logview-archive-")  # noqa: SIM115 - closed by close()
        self._end = 0
        self._lock = threading.Lock()

    def keep(self, opened: OpenedInput, length: int) -> ArchivedBytes:
        """Copy the first ``length`` bytes of ``opened`` here; the returned store reads them back."""
        with self._lock:
            base = self._end
            copied = 0
            while copied < length:
                block = opened.read(copied, min(COPY_BLOCK, length - copied))
                if not block:
                    break
                os.pwrite(self._file.fileno(), block, base + copied)
                copied += len(block)
            self._end += copied
        return ArchivedBytes(self, base, copied)

    def read(self, offset: int, length: int) -> bytes:
        return os.pread(self._file.fileno(), length, offset)

    def close(self) -> None:
        self._file.close()


class ArchivedBytes:
    """One input's bytes in the archive: a store read by the input's own offsets."""

    def __init__(self, archive: Archive, base: int, length: int) -> None:
        self._archive = archive
        self._base = base
        self.length = length

    def read(self, offset: int, length: int) -> bytes:
        length = max(0, min(length, self.length - offset))
        return self._archive.read(self._base + offset, length) if length else b""

    def close(self) -> None:
        """The archive is closed as a whole, with the follower that owns it."""
