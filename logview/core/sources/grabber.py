"""Hold each file that appears at a followed path open, within a millisecond or so of its creation.

RotatingFileHandler at full speed makes a file every few milliseconds and,
past ``backupCount``, deletes the oldest: with three copies kept, a file
lives a dozen milliseconds, less than one poll that parses what it reads.
A descriptor keeps a file readable after its rename and its deletion, so a
small thread that only opens files (a few system calls per look) takes them
as they come, in order, and the polls read them later: the polls then need
not be fast, only complete.

Each file found at the path is checked against the numbered copies at one
instant (the path, ``PATH.1`` … up to the file found before it, the path
again): a file that came and went between two looks is taken from its copy,
and the walk says whether the file found before is the one written just
before (nothing lost), or whether the copies ran out first (files may have
been deleted unread).

When they ran out, the file found before was deleted, and the grabber still
holds it: its change time is when the writer deleted it. The copies left
that were last written after that are files made after it was deleted, one
per rotation since; as many files were deleted after it, unread. So the
files lost are counted, not guessed from the pace of the writer, which
varies too much for that (a file every 5 ms, then every 14 ms) to tell none
from one.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import BinaryIO

__all__ = ["Grabbed", "Grabber", "Identity", "identity_at", "identity_of"]

Identity = tuple[int, int]

#: Seconds between two looks while the path's file changes: a RotatingFileHandler copy may live a few milliseconds.
BUSY_INTERVAL = 0.001
#: Seconds between two looks once the path's file has not changed for BUSY_SECONDS.
IDLE_INTERVAL = 0.02
BUSY_SECONDS = 2.0
#: Seconds between two looks once it has not changed for RESTING_SECONDS: a viewer following hundreds of quiet
#: files would otherwise wake 50 times a second for each. A poll (watchfiles saw a change) that finds a new
#: file wakes the grabber at once.
RESTING_INTERVAL = 0.5
RESTING_SECONDS = 60.0
#: Files held open at most for the polls to read: past this, newer files wait (and may be deleted unread, then said).
MAX_HELD = 256
#: Looks retried when the writer renamed the copies during one, before giving up until the next.
SETTLE_ATTEMPTS = 20


@dataclass
class Grabbed:
    """A file that was at the followed path (or at a copy's name, if it was rotated before a look saw it there)."""

    name: str
    handle: BinaryIO
    identity: Identity
    #: Whether the file grabbed before it is the one written just before it: True when the copies say so, False when they
    #: ran out before it (files between may be deleted), None when they cannot say (compressed copies, or none kept).
    follows: bool | None
    #: Files seen at the path but left unopened before it (too many held open already): deleted unread, unless still copies.
    skipped: int = 0
    #: When ``follows`` is False: files deleted unread between the file grabbed before and it, at least, as counted from
    #: when the writer deleted that file (Grabber._deleted_since); ``counted``: exactly (else more may be, estimated).
    deleted: int = 0
    counted: bool = False
    #: When files may be missing before it: the last write (ns) of each copy found with it, how often the writer rotates.
    copy_times: tuple[int, ...] = ()


class Grabber:
    """Takes every file that appears at ``path``, opened, in the order written, for a follower to read later."""

    def __init__(self, path: str, known: BinaryIO | None) -> None:
        """``known``: the file at the path already being read (owned from now on), or None."""
        self.path = path
        #: The file found last: the next one found should follow it.
        self._last = identity_of(known) if known is not None else None
        #: A descriptor on it, so that its inode cannot be given to a new file while it is the reference.
        self._pin = known
        self._queue: deque[Grabbed] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        #: Set to end a wait early: a new file was found by a poll's look, or the grabber closes.
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._busy_until = 0.0
        self._changed_at = time.monotonic()
        #: Files seen at the path and left unopened since the last one grabbed (the queue was full).
        self._skipped: set[Identity] = set()
        #: What kept the last look from opening the file at the path, for the follower to report.
        self.problem: str | None = None
        #: How many numbered copies the writer keeps, as far as seen: a walk that finds fewer met a rotation in its middle.
        self._kept = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"logview-grab {self.path}", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            for grabbed in self._queue:
                grabbed.handle.close()
            self._queue.clear()
            if self._pin is not None:
                self._pin.close()
                self._pin = None

    def forget(self) -> None:
        """Take the file at the path again, as a new file: it was emptied in place (copytruncate)."""
        with self._lock:
            self._last = None

    def take(self) -> Grabbed | None:
        """The oldest file grabbed and not yet taken; the caller owns its handle."""
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def pending(self) -> bool:
        with self._lock:
            return bool(self._queue)

    def identities(self) -> set[Identity]:
        """The files grabbed and not taken: written after the one being read."""
        with self._lock:
            return {grabbed.identity for grabbed in self._queue}

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError):  # the directory went away, a descriptor limit: the follower's poll says so
                self.look()
            self._wake.wait(self._interval())
            self._wake.clear()

    def _interval(self) -> float:
        now = time.monotonic()
        if now < self._busy_until:
            return BUSY_INTERVAL
        return IDLE_INTERVAL if now - self._changed_at < RESTING_SECONDS else RESTING_INTERVAL

    def _busy(self) -> None:
        """The path's file changed: look often for a while, from now."""
        now = time.monotonic()
        self._busy_until = now + BUSY_SECONDS
        self._changed_at = now
        self._wake.set()

    def look(self) -> None:
        """Grab the file at the path if it is new, with the copies written between it and the file grabbed before."""
        with self._lock:
            for _attempt in range(SETTLE_ATTEMPTS):
                current = identity_at(self.path)
                if current is None or current == self._last:
                    return
                if len(self._queue) >= MAX_HELD:
                    self._skipped.add(current)
                    self._busy()
                    return
                try:
                    handle: BinaryIO = open(self.path, "rb")  # noqa: SIM115 - owned by the queue, then the follower
                except FileNotFoundError:
                    continue
                except OSError as error:
                    self.problem = f"{self.path}: {error.strerror or error}"
                    return
                self.problem = None
                identity = identity_of(handle)
                walk = self._copies_since_last() if identity == current else None
                if walk is None or identity_at(self.path) != identity:
                    handle.close()
                    if walk is not None:
                        _close_all(walk.copies)
                    continue
                copies, follows = walk.copies, walk.follows
                deleted, counted = self._deleted_since(walk, handle) if follows is False else (0, False)
                if counted and not deleted:
                    follows = True  # the file grabbed before was deleted, and the oldest copy is the one written after it
                found = [*copies, Grabbed(self.path, handle, identity, True)]
                found[0].follows = follows
                found[0].deleted, found[0].counted = deleted, counted
                found[0].skipped = len(self._skipped - {grabbed.identity for grabbed in found})
                if follows is False:
                    found[0].copy_times = tuple(os.fstat(grabbed.handle.fileno()).st_mtime_ns for grabbed in copies)
                self._skipped.clear()
                self._queue.extend(found)
                self._hold(handle, identity)
                self._busy()
                return

    def _hold(self, handle: BinaryIO, identity: Identity) -> None:
        if self._pin is not None:
            self._pin.close()
        self._pin = os.fdopen(os.dup(handle.fileno()), "rb")
        self._last = identity

    def _copies_since_last(self) -> Walk | None:
        """The copies newer than the file grabbed last, opened, oldest first, and whether the oldest follows it. None: unsettled.

        RotatingFileHandler keeps the copies in the order written by number,
        the newest at 1, each one written just before the next number's: the
        copies found at one instant follow each other. A rotation deletes the
        oldest, then renames the others from the oldest to the newest, one
        number free at a time: a free number with a copy above it is a rename
        in progress, and the walk goes on above it. The numbers walked are
        looked at again: if any changed, the writer was rotating, and the walk
        is made again.
        """
        if self._last is None:
            return Walk([], None, rotating=False)
        seen: list[tuple[str, Identity]] = []
        free: list[str] = []
        found: list[Grabbed] = []
        follows: bool | None = None
        number = 1
        while True:
            name = f"{self.path}.{number}"
            identity = identity_at(name)
            if identity is None:
                if identity_at(f"{self.path}.{number + 1}") is not None:
                    free.append(name)  # renamed to the number above, not replaced yet: the copies go on there
                    number += 1
                    continue
                follows = False if seen else None
                break
            seen.append((name, identity))
            if identity == self._last:
                follows = True
                break
            if len(found) >= MAX_HELD:
                follows = False
                break
            try:
                handle: BinaryIO = open(name, "rb")  # noqa: SIM115 - owned by the queue, then the follower
            except OSError:
                _close_all(found)
                return None
            found.append(Grabbed(name, handle, identity_of(handle), True))
            if found[-1].identity != identity:
                _close_all(found)
                return None
            number += 1
        if (
            any(identity_at(name) != identity for name, identity in seen)
            or any(identity_at(name) is not None for name in free)
            or identity_at(f"{self.path}.{number}") is not None
            and not follows
        ):
            _close_all(found)
            return None
        found.reverse()
        ended = identity is None  # at the oldest copy: no copy at ``number`` nor above
        # Fewer copies than the writer keeps: it has deleted the oldest, and not renamed the others yet.
        rotating = bool(free) or ended and number - 1 < self._kept
        self._learn_kept(number - 1 if ended else number)
        return Walk(found, follows, rotating)

    def _learn_kept(self, seen: int) -> None:
        """How many copies the writer keeps, as seen: up to ``seen`` at once, and one more when the number above the most is taken.

        A walk stops at the file grabbed last, often ``PATH.1``: one look above
        the most copies seen per file grabbed learns them one at a time.
        """
        self._kept = max(self._kept, seen)
        if identity_at(f"{self.path}.{self._kept + 1}") is not None:
            self._kept += 1

    def _deleted_since(self, walk: Walk, current: BinaryIO) -> tuple[int, bool]:
        """How many files were deleted unread between the file grabbed last and the walk's copies: at least, and whether exactly.

        The copies ran out before the file grabbed last: it was deleted (its
        link count is 0), when it was the oldest copy kept, by the rotation that
        made the file after it the oldest. The writer writes a file until it
        rotates it: the files last written after that deletion were made at or
        after that rotation, each one for a rotation since, which deleted one
        more file, unread; the files last written before it are what is left
        of the files written after the file grabbed last. The files counted
        are the copies, and the file at the path when it is being rotated (the
        walk met a rotation between its deletion and its renames): its writer
        has finished it. The file system's clock may be coarse: one file last
        written in the tick of the deletion is the one written just before it
        (the writer writes it just before it rotates); more cannot be told
        apart. Not exactly when the file grabbed last was not deleted (it was
        moved out of the numbers), when every file counted was written after
        its deletion (more were deleted before them), or the clock is too coarse.
        """
        assert self._pin is not None
        info = os.fstat(self._pin.fileno())
        if info.st_nlink:
            return 0, False
        deleted_at = info.st_ctime_ns
        finished = [grabbed.handle for grabbed in walk.copies] + ([current] if walk.rotating else [])
        written = [os.fstat(handle.fileno()).st_mtime_ns for handle in finished]
        after = sum(time > deleted_at for time in written)
        return after, sum(time == deleted_at for time in written) <= 1 and after < len(written)


@dataclass
class Walk:
    """What one walk over the numbered copies found, at one instant (see Grabber._copies_since_last)."""

    #: The copies written after the file grabbed last, opened, oldest first.
    copies: list[Grabbed]
    #: Whether the oldest copy (or the file at the path, without copies) is the file written just after the one grabbed last.
    follows: bool | None
    #: The writer was in the middle of a rotation: the file at the path is finished, being rotated.
    rotating: bool


def _close_all(grabbed: list[Grabbed]) -> None:
    for item in grabbed:
        item.handle.close()


def identity_of(handle: BinaryIO) -> Identity:
    """An open file's (device, inode)."""
    info = os.fstat(handle.fileno())
    return (info.st_dev, info.st_ino)


def identity_at(name: str) -> Identity | None:
    """The (device, inode) of the regular file at ``name`` now; None when there is none."""
    try:
        info = os.stat(name)
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None
