"""How a rotated copy is recognised as a file already read: by inode and stamp, or by its first bytes.

The follower must never read a file twice, nor take a copy of a file it has
read for one it has not: a renamed copy keeps its inode, a compressed one is
a new file known only by its text. Both tests live here, apart from the
polls that use them, with the memory of the files read that they look up
and the looks over a rotation set's names that pick out the copies unread.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from logview.core.inputs.errors import InputError
from logview.core.inputs.opened_input import OpenedInput
from logview.core.inputs.opener import open_handle, read_head
from logview.core.sources.grabber import Identity, identity_of

__all__ = [
    "FINGERPRINT",
    "Content",
    "ReadFile",
    "ReadFiles",
    "Stamp",
    "close_all",
    "file_key",
    "is_copy_of",
    "same_start",
    "stamp",
    "stamp_of",
]

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
    """The files read so far, and which of a rotation set's copies are of none of them.

    A file read is looked up by (identity, stamp) without opening it, or by its first line.
    """

    def __init__(self, on_problem: Callable[[str], None]) -> None:
        #: Told a copy that cannot be opened, as a line for the user.
        self._on_problem = on_problem
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

    def unread_copies(self, names: Iterable[str], newest: OpenedInput | None) -> list[tuple[str, BinaryIO]]:
        """The copies of ``names`` (newest first) written before ``newest`` that are not files read, oldest first, opened.

        For copies that are never renamed (dated ones), or when their order
        does not matter. Copies after ``newest``'s own copy (the writer may be
        rotating it already) are of files written after it, and are read once
        it is done.
        """
        found = self.newer_copies(names)
        if newest is None:
            return found
        for index, (_name, handle) in enumerate(found):
            content = self.look_at(handle)
            if is_copy_of(content, newest) or not content.has_a_whole_line:
                # ``newest``'s copy, or a copy still being written: ``newest``'s or a later file's.
                close_all(found[index:])
                return found[:index]
        return found

    def newer_copies(self, names: Iterable[str]) -> list[tuple[str, BinaryIO]]:
        """The copies of ``names`` (newest first) newer than the newest copy already read, oldest first, each opened.

        The look stops at the first copy already read. Numbered names are
        tried one by one rather than taken from a listing, which may have been
        made in the middle of the renames and miss a name. The order found is
        the order of writing for the copies there when the look starts (see
        :meth:`NumberedCopies.boundary`), not for copies made meanwhile.
        """
        seen: set[Identity] = set()
        opened: list[tuple[str, BinaryIO]] = []
        for name in names:
            try:
                handle: BinaryIO = open(name, "rb")  # noqa: SIM115 - returned to the caller, or closed here
            except FileNotFoundError:
                continue  # between two renames: the copy that was here is met at its next name
            except OSError as error:
                self._on_problem(f"{name}: {error.strerror or error}")
                continue
            identity = identity_of(handle)
            if identity in seen:
                handle.close()
                continue
            seen.add(identity)
            if self.is_read(self.look_at(handle)):
                handle.close()
                break
            opened.append((name, handle))
        opened.reverse()
        return opened

    def find_copy(self, names: Iterable[str], head: bytes, now: bytes) -> tuple[OpenedInput | None, list[tuple[str, BinaryIO]]]:
        """The copy among ``names`` (newest first) of the file that started with ``head`` (copytruncate's), opened, or None;
        and the unread copies newer than it.

        The newer copies, oldest first, are of files emptied again before a
        poll saw them: written after the one that matched, before the file now.
        """
        unread = self.unread_copies(names, None)
        for index in range(len(unread) - 1, -1, -1):
            name, handle = unread[index]
            if same_start(head, self.look_at(handle).head):
                close_all(unread[:index])
                newer = self._emptied_before(unread[index + 1 :], now)
                try:
                    return open_handle(name, handle), newer
                except InputError:
                    return None, newer
        close_all(unread)
        return None, []

    def _emptied_before(self, newer: list[tuple[str, BinaryIO]], now: bytes) -> list[tuple[str, BinaryIO]]:
        """The copies of ``newer`` (oldest first) made of texts emptied since: up to one being made of the text now in the file.

        copytruncate may be copying the file as the poll looks: that copy holds
        no whole line yet, or starts as the file does ("now"). Read now, it
        would be read in part, or before the file's own records; it is read
        once that text is emptied in turn, as the copy of the file read then.
        """
        for position, (_name, handle) in enumerate(newer):
            content = self.look_at(handle)
            if not content.has_a_whole_line or same_start(now, content.head):
                close_all(newer[position:])
                return newer[:position]
        return newer

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


def close_all(opened: Sequence[tuple[str, BinaryIO | None]]) -> None:
    for _name, handle in opened:
        if handle is not None:
            handle.close()


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
