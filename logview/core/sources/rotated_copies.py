"""How a rotated copy is recognised as a file already read: by inode and stamp, or by its first bytes.

The follower must never read a file twice, nor take a copy of a file it has
read for one it has not: a renamed copy keeps its inode, a compressed one is
a new file known only by its text. Both tests live here, apart from the
polls that use them, with the memory of the files read that they look up.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import BinaryIO

from logview.core.inputs.opened_input import OpenedInput
from logview.core.inputs.opener import read_head
from logview.core.sources.grabber import Identity

__all__ = ["FINGERPRINT", "Content", "ReadFile", "ReadFiles", "Stamp", "file_key", "is_copy_of", "same_start", "stamp", "stamp_of"]

#: Bytes from a file's start that identify its content, to recognise a compressed copy.
FINGERPRINT = 4096
#: Heads kept by (identity, stamp) before the cache is emptied: a rotation set is looked at on every rotation.
HEADS_KEPT = 4096

#: (size, modification time in ns, digest of the first bytes on disk): with the identity, tells a renamed file from a new one on a reused inode.
#: Size and time alone do not: a new compressed copy often gets a deleted one's inode, its size and, the clock being coarse, its time.
Stamp = tuple[int, int, bytes]


@dataclass
class ReadFile:
    """A file whose records are in the index: its rotated copies are not read again.

    A renamed copy is the same inode with the same size, modification time
    and first bytes; the inode alone is not enough, since a deleted file's
    inode number is soon given to a new file. A compressed copy is a new file: it is known
    by its first bytes.
    """

    identity: Identity | None
    stamp: Stamp | None = None
    head: bytes = b""


@dataclass(frozen=True)
class Content:
    """A rotated copy as one look saw it: its identity and stamp, and its first bytes, decompressed.

    A compressed copy is looked at while the writer makes it (empty until the
    compressor closes, whole after): what is decided of a copy is decided on
    one look, never on two that its writing may fall between.
    """

    key: tuple[Identity, Stamp]
    head: bytes

    @property
    def identity(self) -> Identity:
        return self.key[0]

    @property
    def has_a_whole_line(self) -> bool:
        return b"\n" in self.head


class ReadFiles:
    """The files read so far, looked up by (identity, stamp) without opening them, or by their first line."""

    def __init__(self) -> None:
        #: The heads of the files read, by their first line: two files of a log never start with the same record.
        self._heads_by_first_line: dict[bytes, list[bytes]] = {}
        #: (identity, stamp) of the files read, for a look-up without opening them.
        self._known: set[tuple[Identity, Stamp]] = set()
        self._heads: dict[tuple[Identity, Stamp], bytes] = {}

    def remember(self, item: ReadFile) -> None:
        if item.head and b"\n" in item.head:
            self._heads_by_first_line.setdefault(_first_line(item.head), []).append(item.head)
        if item.identity is not None and item.stamp is not None:
            self._known.add((item.identity, item.stamp))

    def look_at(self, handle: BinaryIO) -> Content:
        """An opened copy as it is now: what one decision about it is made on."""
        key = file_key(handle)
        return Content(key, self._head_of(handle, key))

    def is_read(self, content: Content) -> bool:
        """Whether a copy is of a file already read (or not readable yet: its first line is not written)."""
        if content.key in self._known:
            return True
        if not content.has_a_whole_line:
            return False  # empty, or a compressed copy whose first line is not written yet: not known
        head = content.head
        # Only the heads that start with the same line: a look-up, however many files were read.
        if any(same_start(read, head) for read in self._heads_by_first_line.get(_first_line(head), ())):
            # A copy of a file read: known by its inode and stamp from now on, without opening it.
            self._known.add(content.key)
            return True
        return False

    def _head_of(self, handle: BinaryIO, key: tuple[Identity, Stamp]) -> bytes:
        """A copy's first bytes, decompressed; cached by inode and stamp (``key``), since a rotation set is looked at on every rotation."""
        head = self._heads.get(key)
        if head is None:
            head = read_head(handle, FINGERPRINT)
            if len(self._heads) > HEADS_KEPT:
                self._heads.clear()
            self._heads[key] = head
        return head


def is_copy_of(content: Content, newest: OpenedInput) -> bool:
    """Whether a copy is ``newest`` renamed, or a copy of it (whole, or still being written)."""
    if content.identity == newest.identity:
        return True
    # ``newest`` may still grow: its first bytes are read again each time (as they are on disk: not into a spool).
    return same_start(os.pread(newest.store_fd, FINGERPRINT, 0), content.head)


def file_key(handle: BinaryIO) -> tuple[Identity, Stamp]:
    """An open file's (identity, stamp): what tells a renamed copy from a new file on a reused inode."""
    info = os.fstat(handle.fileno())
    return (info.st_dev, info.st_ino), stamp(handle.fileno(), info)


def stamp_of(fd: int) -> Stamp:
    return stamp(fd, os.fstat(fd))


def stamp(fd: int, info: os.stat_result) -> Stamp:
    first_bytes = os.pread(fd, FINGERPRINT, 0)
    return (info.st_size, info.st_mtime_ns, hashlib.blake2b(first_bytes, digest_size=16).digest())


def _first_line(head: bytes) -> bytes:
    """A head's first line, its newline included (a head looked up holds one)."""
    return head[: head.index(b"\n") + 1]


def same_start(first: bytes, second: bytes) -> bool:
    """Whether two heads are of one content: equal over the shorter, which holds at least one whole line.

    The shorter may be a copy still being written, or a file still growing;
    two different files of a log never start with the same first record.
    """
    shorter = min(len(first), len(second))
    return b"\n" in first[:shorter] and first[:shorter] == second[:shorter]
