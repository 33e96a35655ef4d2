"""Which journal files to read next, and from where: a cursor per file, so that no host's entries are skipped.

``journalctl --follow`` does not serve a collector's directory:
systemd-journal-remote writes through mmap and does not touch its files
the way journald does, so inotify never wakes journalctl (seen with
systemd 252: records sent a second after journalctl started were never
printed). And one cursor cannot stand for many hosts: journalctl merges
the files by time, so entries a host sends late, older than the cursor,
would be skipped. So each file is read by itself, after its own last
entry, again and again while following. (The first read takes a
collector's files together, in time order, each entry told its file:
journal_together.py.)

A file is known by the descriptor opened when it was first seen, and
journalctl reads it through that descriptor (``/proc/self/fd/N``), never
by its name: rotation (``remote-HOST.journal`` renamed
``remote-HOST@….journal`` and a new one made) cannot give one file's
cursor to another between a look and a read. The descriptors of files
gone from the directory are closed, and forgotten.

A file is read again only when its header's first bytes changed: every
entry appended moves the header's count of objects and its tail. The bytes
are compared, not read for what they mean (journalctl reads the journal),
and a look at a quiet file costs one ``pread`` instead of a journalctl run
(10 ms each here: a collector of 200 hosts took 2 s a round before).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

__all__ = ["JOURNAL_SUFFIXES", "JournalFile", "JournalFiles"]

#: The header bytes compared between looks: past the counts of objects and entries and the tail object's offset
#: (systemd's journal-def.h: they end at byte 160), less than a page.
HEADER_BYTES = 256
#: How a journal file's name ends (``~``: one journald set aside as corrupt or not closed cleanly).
JOURNAL_SUFFIXES = (".journal", ".journal~")


class JournalFile:
    """One journal file, held open.

    A plain class, not a dataclass: the command line imports this module
    for JOURNAL_SUFFIXES before the first frame, which imports no dataclasses.
    """

    __slots__ = ("cursor", "fd", "finished", "header", "identity", "looked", "path")

    def __init__(self, path: str, fd: int, identity: tuple[int, int] = (-1, -1)) -> None:
        self.path = path
        #: The descriptor it is read through (``/proc/self/fd/N`` in journalctl); -1 when it could not be opened.
        self.fd = fd
        #: (device, inode): the file whatever its name.
        self.identity = identity
        #: The last entry read from it: the next read starts after it.
        self.cursor: str | None = None
        #: Read to its end once archived: an archived file (``@`` in its name) is not written again.
        self.finished = False
        #: The header's first bytes when it was last read: unchanged, no entry was appended since.
        self.header = b""
        #: The header's first bytes at this look, kept as ``header`` once the file is read.
        self.looked = b""

    @property
    def entries(self) -> int:
        """The entries its header counted at this look (systemd's journal-def.h: ``n_entries``, bytes 152 to 160); 0 if unknown."""
        if not self._header_read(160):
            return 0
        return int.from_bytes(self.looked[152:160], "little")

    @property
    def seqnum_id(self) -> str | None:
        """The id its entries' sequence numbers count under (``seqnum_id``, bytes 72 to 88), as a cursor's ``s=`` spells it."""
        return self.looked[72:88].hex() if self._header_read(88) else None

    @property
    def seqnums(self) -> tuple[int, int]:
        """Its first and last entries' sequence numbers at this look (``head_entry_seqnum`` at 168, ``tail_entry_seqnum`` at 160)."""
        if not self._header_read(176):
            return (0, 0)
        return int.from_bytes(self.looked[168:176], "little"), int.from_bytes(self.looked[160:168], "little")

    @property
    def archived(self) -> bool:
        """Not written again: set aside by rotation (``@`` in its name) or as not closed cleanly (``.journal~``)."""
        name = os.path.basename(self.path)
        return "@" in name or name.endswith("~")

    def _header_read(self, size: int) -> bool:
        """Whether this look read a journal header of at least ``size`` bytes."""
        return len(self.looked) >= size and self.looked.startswith(b"LPKSHHRH")

    @property
    def argument(self) -> str:
        """journalctl's ``--file`` option for it: its descriptor, or its path when it could not be opened (journalctl says why)."""
        return f"--file=/proc/self/fd/{self.fd}" if self.fd >= 0 else f"--file={self.path}"


class JournalFiles:
    """The journal files below some directories (the local journal keeps one per machine), or those named."""

    def __init__(self, directories: Sequence[str] = (), files: Sequence[str] = ()) -> None:
        if isinstance(directories, str) or isinstance(files, str):  # a str is a Sequence[str]: one name a character
            raise TypeError("JournalFiles takes lists of names, not a name")
        self.directories = tuple(directories)
        self.files = tuple(files)
        self._by_inode: dict[tuple[int, int], JournalFile] = {}

    def present(self) -> list[str]:
        """The journal files there now, by name."""
        if not self.directories:
            return list(self.files)
        return sorted(
            os.path.join(folder, name)
            for directory in self.directories
            for folder, _, names in os.walk(directory)
            for name in names
            if name.endswith(JOURNAL_SUFFIXES)
        )

    def to_read(self) -> list[JournalFile]:
        """Each file that may hold entries not read yet, opened when first seen."""
        wanted: list[JournalFile] = []
        seen: set[tuple[int, int]] = set()
        for path in self.present():
            try:
                known = self._held(path)
            except OSError:
                wanted.append(JournalFile(path, -1))  # journalctl says why, in its words
                continue
            seen.add(known.identity)
            known.path = path
            if not known.finished:
                known.looked = os.pread(known.fd, HEADER_BYTES, 0)
                if known.looked != known.header:
                    wanted.append(known)
        for identity in set(self._by_inode) - seen:  # gone (deleted): its inode may be given to a new file
            gone = self._by_inode.pop(identity)
            if gone.fd >= 0:
                os.close(gone.fd)
        return wanted

    def _held(self, path: str) -> JournalFile:
        """The file at ``path``, opened when it is first seen: a known one is found by a ``stat``, a new one by its descriptor's."""
        info = os.stat(path)
        known = self._by_inode.get((info.st_dev, info.st_ino))
        if known is not None:
            return known
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        info = os.fstat(fd)  # the file opened, should the path have been given another since the stat
        identity = (info.st_dev, info.st_ino)
        known = self._by_inode.get(identity)
        if known is not None:
            os.close(fd)
            return known
        known = self._by_inode[identity] = JournalFile(path, fd, identity)
        return known

    def read(self, journal: JournalFile, cursor: str | None) -> None:
        """``journal`` was read on to ``cursor`` (None: no entry came after the one before)."""
        if cursor is not None:
            journal.cursor = cursor
        journal.header = journal.looked  # looked at before the read: what was appended during it is read at the next look
        journal.finished = "@" in os.path.basename(journal.path)

    def close(self) -> None:
        for journal in self._by_inode.values():
            if journal.fd >= 0:
                os.close(journal.fd)
        self._by_inode.clear()
