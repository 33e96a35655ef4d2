"""Which journal files to read next, and from where: a cursor per file, so that no host's entries are skipped.

``journalctl --follow`` does not serve a collector's directory:
systemd-journal-remote writes through mmap and does not touch its files
the way journald does, so inotify never wakes journalctl (seen with
systemd 252: records sent a second after journalctl started were never
printed). And one cursor cannot stand for many hosts: journalctl merges
the files by time, so entries a host sends late, older than the cursor,
would be skipped. So each file is read by itself, after its own last
entry, again and again while following; a file is known by its inode, so
that rotation (``remote-HOST.journal`` renamed ``remote-HOST@….journal``
and a new one made) neither loses its last entries nor reads them twice.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["JOURNAL_SUFFIXES", "JournalFiles"]

#: How a journal file's name ends (``~``: one journald set aside as corrupt or not closed cleanly).
JOURNAL_SUFFIXES = (".journal", ".journal~")


@dataclass
class _Followed:
    path: str
    #: The last entry read from it: the next read starts after it.
    cursor: str | None = None
    #: Read to its end once archived: an archived file (``@`` in its name) is not written again.
    finished: bool = False


class JournalFiles:
    """The journal files of a directory (searched below it, as the local journal keeps one directory per machine) or a list."""

    def __init__(self, directory: str | None, files: tuple[str, ...] = ()) -> None:
        self.directory = directory
        self.files = files
        self._by_inode: dict[tuple[int, int], _Followed] = {}

    def present(self) -> list[str]:
        """The journal files there now, by name."""
        if self.directory is None:
            return list(self.files)
        found = [
            os.path.join(folder, name) for folder, _, names in os.walk(self.directory) for name in names if name.endswith(JOURNAL_SUFFIXES)
        ]
        return sorted(found)

    def to_read(self) -> list[tuple[str, str | None, tuple[int, int] | None]]:
        """(path, cursor to read after, identity) of each file that may hold entries not read yet."""
        wanted: list[tuple[str, str | None, tuple[int, int] | None]] = []
        for path in self.present():
            try:
                info = os.stat(path)
            except OSError:
                wanted.append((path, None, None))  # journalctl says why it cannot be read
                continue
            identity = (info.st_dev, info.st_ino)
            followed = self._by_inode.setdefault(identity, _Followed(path))
            followed.path = path
            if not followed.finished:
                wanted.append((path, followed.cursor, identity))
        return wanted

    def read(self, identity: tuple[int, int] | None, cursor: str | None) -> None:
        """A file was read to its end, its last entry at ``cursor`` (None: it held none after the one before)."""
        followed = self._by_inode.get(identity) if identity is not None else None
        if followed is None:
            return
        if cursor is not None:
            followed.cursor = cursor
        followed.finished = "@" in os.path.basename(followed.path)
