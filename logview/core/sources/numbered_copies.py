"""A rotation set's numbered copies, read one at a time from a look that saw them at one instant.

RotatingFileHandler renames every copy at each rotation, so a single pass
over the names may see a copy twice or not at all while the writer runs.
What is trusted here is only what one settled look found; the follower
(follow.py) reads the copies it is handed, in the order these looks give.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import BinaryIO

from logview.core.inputs.rotation import COMPRESSED_SUFFIXES, order_rotation_sets, parse_rotation_name
from logview.core.sources.grabber import Identity, identity_at, identity_of
from logview.core.sources.rotated_copies import ReadFiles

__all__ = ["COPY_SUFFIXES", "Boundary", "Copy", "Look", "NumberedCopies", "copy_names_newest_first", "rotation_set"]

#: Looks for the copy after the last one read before a poll gives up (the writer moved the copies at each): the next poll looks again.
SETTLE_ATTEMPTS = 100
#: Free numbers in a row that end the numbered copies: a rotation frees one number at a time, between two renames.
PAST_THE_OLDEST = 3
#: What follows the number of a numbered copy: nothing, or the compressor's suffix a namer adds.
COPY_SUFFIXES = ("", *COMPRESSED_SUFFIXES)


@dataclass
class Boundary:
    """The newest numbered copy read, and the number it was last seen at; no identity: above the oldest copy."""

    number: int
    identity: Identity | None


@dataclass
class Copy:
    """A numbered copy as a look found it: opened, or a handle of None when it cannot be read."""

    number: int
    #: Its name; for a copy that cannot be read, the name and the cause: the line reported.
    name: str
    handle: BinaryIO | None
    identity: Identity


class Look(IntEnum):
    """What a look for the copy after a boundary found, when not a copy."""

    NOTHING = 0
    """No copy between the boundary and the file at the path: the file at the path is next."""
    GONE = 1
    """The boundary was deleted (the writer keeps no more copies): the copies are looked at again from the oldest."""
    UNSETTLED = 2
    """The writer moved the copies at every look: the next poll looks again."""


class NumberedCopies:
    """A path's numbered copies (``app.log.1`` … ``app.log.N``, compressed or not), looked at by number.

    RotatingFileHandler renames each copy to the next number at each
    rotation, the oldest first, then makes the new ``.1``: at any instant the
    copies are in the order of writing by number, the newest at 1, with a
    number free between two renames.
    """

    def __init__(self, path: str, suffixes: Sequence[str]) -> None:
        self.path = path
        self.suffixes = suffixes

    def names(self, number: int) -> list[str]:
        return [f"{self.path}.{number}{suffix}" for suffix in self.suffixes]

    def identity(self, number: int) -> Identity | None:
        """The identity of the copy at ``number`` now, None when the number is free."""
        for name in self.names(number):
            identity = identity_at(name)
            if identity is not None:
                return identity
        return None

    def open_at(self, number: int) -> Copy | None:
        """The copy at ``number`` now, opened; None when the number is free."""
        for name in self.names(number):
            try:
                handle: BinaryIO = open(name, "rb")  # noqa: SIM115 - owned by the caller
            except FileNotFoundError:
                continue
            except OSError as error:
                identity = identity_at(name)
                if identity is None:
                    continue
                return Copy(number, f"{name}: {error.strerror or error}", None, identity)
            return Copy(number, name, handle, identity_of(handle))
        return None

    def above(self, number: int) -> int:
        """A number above the oldest copy, looking up from ``number``: past PAST_THE_OLDEST free numbers in a row."""
        missing = 0
        while missing < PAST_THE_OLDEST:
            missing = missing + 1 if self.identity(number) is None else 0
            number += 1
        return number

    def locate(self, identity: Identity, number: int) -> int | None:
        """Where the copy ``identity`` is now: at ``number`` or above, since copies only move up; None once it is deleted."""
        missing = 0
        while missing < PAST_THE_OLDEST:
            found = self.identity(number)
            if found == identity:
                return number
            missing = missing + 1 if found is None else 0
            number += 1
        return None

    def boundary(self, highest: int, later: set[Identity], read_files: ReadFiles) -> tuple[Boundary, dict[Identity, tuple[str, BinaryIO]]]:
        """The newest copy already read, and where it is; the unread copies newer than it, opened, newest first.

        The writer may be renaming every copy while they are looked at
        (RotatingFileHandler shifts ``app.log.N`` to ``app.log.N+1``, from the
        oldest to the newest). Looking from the newest to the oldest, the
        other way, no copy there when the look starts can be passed over: a
        copy that moves on is met again at its new name, and is then
        recognised by its inode. So the first copy met that was read is the
        newest one read. Copies made during the look may be met anywhere in
        it: the order of the look is not trusted, only what it found.

        The unread copies are held open, so that the writer deleting them
        (it keeps ``backupCount`` copies) cannot take their text before it is
        read. Without a copy read, the boundary is above the oldest copy.
        Copies of ``later`` files (grabbed, read after) are not held.
        """
        held: dict[Identity, tuple[str, BinaryIO]] = {}
        number, missing = 0, 0
        while number <= highest or missing < PAST_THE_OLDEST:
            number += 1
            found = self.open_at(number)
            if found is None or found.handle is None:
                missing += found is None
                continue
            missing = 0
            if found.identity in held or found.identity in later:
                found.handle.close()
            elif read_files.is_read(read_files.look_at(found.handle)):
                found.handle.close()
                return Boundary(number, found.identity), held
            else:
                held[found.identity] = (found.name, found.handle)
        return Boundary(number + 1, None), held

    def next_after(self, boundary: Boundary) -> Copy | Look:
        """The copy written just after ``boundary``, opened: the copy at the next number below it, seen at one instant.

        Copies only move up, one number per rotation, and a rotation renames
        the older copies before the newer: the copy after ``boundary`` is at
        the number below it, or below a number freed in the middle of a
        rotation. The copy found there is that copy if, after it was opened,
        ``boundary`` is still at its number and the free numbers between them
        are still free: whatever moved in between would have had to move
        ``boundary`` first, or to fill a free number. Otherwise the look is
        made again, from where ``boundary`` has moved. A look takes a few
        system calls, a rotation hundreds: the second or third look is still.
        """
        for _attempt in range(SETTLE_ATTEMPTS):
            if boundary.identity is not None:
                located = self.locate(boundary.identity, boundary.number)
                if located is None:
                    return Look.GONE
                boundary.number = located
            free: list[int] = []
            found: Copy | None = None
            for number in range(boundary.number - 1, 0, -1):
                found = self.open_at(number)
                if found is not None:
                    break
                free.append(number)
            held_still = boundary.identity is None or self.identity(boundary.number) == boundary.identity
            if held_still and all(self.identity(number) is None for number in free):
                return found if found is not None else Look.NOTHING
            if found is not None and found.handle is not None:
                found.handle.close()
        return Look.UNSETTLED


def _rotated_copies(path: str) -> list[str]:
    """The rotated copies of ``path`` that exist now, oldest first."""
    directory = os.path.dirname(path)
    try:
        entries = os.listdir(directory or ".")
    except OSError:
        return []
    names = [os.path.join(directory, entry) if directory else entry for entry in entries]
    copies = [name for name in names if name != path and parse_rotation_name(name).base == path]
    return order_rotation_sets(copies)


def rotation_set(path: str) -> tuple[list[str], int, list[str]]:
    """``path``'s rotated copies now: the suffixes of the numbered ones (``""``, ``".gz"``), the highest number, the dated names newest first."""
    copies = [parse_rotation_name(name) for name in _rotated_copies(path)]
    numbered = [item for item in copies if item.rank[0] == 1]
    highest = max((-int(item.rank[1]) for item in numbered), default=0)
    suffixes = sorted({item.name[len(f"{path}.{-int(item.rank[1])}") :] for item in numbered})
    return suffixes, highest, list(reversed([item.name for item in copies if item.rank[0] == 0]))


def copy_names_newest_first(path: str) -> list[str]:
    """The names of ``path``'s rotated copies, newest first: every number up to the highest seen, then dated names."""
    suffixes, highest, dated = rotation_set(path)
    return [f"{path}.{number}{suffix}" for number in range(1, highest + 2) for suffix in suffixes] + dated
