"""Keep a pipeline's files up to date while they are written: growth, rotation, truncation, new files.

Each followed path (the file a handler writes, like ``app.log``) has a *live*
file: the one at the path when it was opened, held by descriptor. Each poll
reads the whole lines appended to it. When the path points to another file
(RotatingFileHandler renamed it, the cookbook's gzip rotator compressed and
removed it, or it was deleted), the old file is read to its end through the
descriptor, its bytes are moved to the archive, and the new file is read from
its start. Rotated copies are recognised as files already read, by inode
(renamed) or by their first bytes (compressed copies); a copy that matches
nothing read is a file that came and went between two polls, and is read in
its place, so that nothing is lost even when rotations outpace the polls.
A path given that does not exist yet (the pipeline's source "waiting" for
it) is followed as a file deleted is: read from its start once it is created.

Polls are driven by watchfiles' notifier (:meth:`Follower.watch`), not by a
timer loop.
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import BinaryIO

from logview.core.pipeline import PARSE_THREADS, LoadedSource, Pipeline
from logview.core.sources.archive import Archive
from logview.core.sources.opener import InputError, OpenedInput, open_handle, read_head
from logview.core.sources.rotation import order_rotation_sets, parse_rotation_name

#: Bytes from a file's start that identify its content, to recognise a compressed copy.
FINGERPRINT = 4096
#: Milliseconds watchfiles groups changes over: new lines show within about this, plus a poll.
DEBOUNCE_MS = 60
#: Milliseconds without a change after which a poll runs anyway (held records are released).
QUIET_MS = 100

_GLOB_CHARS = set("*?[")

Identity = tuple[int, int]
#: (size, modification time in ns): with the identity, tells a renamed file from a new one on a reused inode.
Stamp = tuple[int, int]


@dataclass
class LiveFile:
    """The file now at a followed path, and what identifies its content once it is rotated away."""

    loaded: LoadedSource
    identity: Identity
    #: Its first bytes, kept while they are readable: a copy made by copytruncate is found by them.
    head: bytes = b""


@dataclass
class FollowedPath:
    path: str
    live: LiveFile | None = None
    #: The source that waits for the file: the path did not exist when logview started, it becomes this source.
    waiting: LoadedSource | None = None
    #: The last problem reported for this path, so that a poll does not repeat it.
    problem: str | None = None


@dataclass
class _ReadFile:
    """A file whose records are in the index: its rotated copies are not read again.

    A renamed copy is the same inode with the same size and modification
    time; the inode alone is not enough, since a deleted file's inode number
    is soon given to a new file. A compressed copy is a new file: it is known
    by its first bytes.
    """

    identity: Identity | None
    stamp: Stamp | None = None
    head: bytes = b""


@dataclass
class Follower:
    """Follows the growing files of a pipeline that has loaded its inputs, and the globs they came from."""

    pipeline: Pipeline
    patterns: Sequence[str] = ()
    followed: dict[str, FollowedPath] = field(default_factory=dict)
    #: What was noticed while following (rotations missed, text lost), for the status line or stderr.
    messages: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.archive = Archive()
        self._pool = ThreadPoolExecutor(PARSE_THREADS, thread_name_prefix="logview-follow")
        #: The heads of the files read, by their first line: two files of a log never start with the same record.
        self._heads_by_first_line: dict[bytes, list[bytes]] = {}
        #: (identity, stamp) of the files read, for a look-up without opening them.
        self._known: set[tuple[Identity, Stamp]] = set()
        self._heads: dict[tuple[Identity, Stamp], bytes] = {}
        self._lock = threading.Lock()
        self.patterns = [pattern for pattern in self.patterns if pattern != "-" and _GLOB_CHARS & set(pattern)]
        for loaded in self.pipeline.loaded:
            if loaded.state.state == "waiting":
                # A path given that does not exist yet: followed like a file deleted, until it is created.
                self.followed[loaded.state.name] = FollowedPath(loaded.state.name, waiting=loaded)
                continue
            opened = loaded.opened
            if not isinstance(opened, OpenedInput) or loaded.state.name == "-":
                continue
            self._remember_read(_ReadFile(opened.identity, _stamp_of(opened.store_fd) if not opened.streamed else None))
            name = loaded.state.name
            if not opened.streamed and opened.identity is not None and _is_current(name):
                loaded.state.state = "following"
                live = LiveFile(loaded, opened.identity)
                self._remember_head(live)
                self.followed[name] = FollowedPath(name, live)
        for name in list(self.followed):
            self._know_existing_copies(name)

    # -- polling ----------------------------------------------------------------

    def poll(self) -> int:
        """Read whatever was written since the last poll; return the records added or grown (a traceback continued)."""
        with self._lock:
            added = self._discover()
            for followed in list(self.followed.values()):
                try:
                    added += self._poll_path(followed)
                except OSError as error:
                    self._report(followed, f"{followed.path}: {error.strerror or error}")
            return added

    def _poll_path(self, followed: FollowedPath) -> int:
        added = 0
        live = followed.live
        if live is not None:
            if self._was_truncated(live):
                self._retire_truncated(followed)
            else:
                added += self.pipeline.extend(live.loaded)
                self._remember_head(live)
        current = _identity_at(followed.path)
        if followed.live is not None and current != followed.live.identity:
            # Rotated away or deleted: the writer has finished with it, read it to its end.
            added += self.pipeline.extend(followed.live.loaded, complete=True)
            self._retire(followed)
        if followed.live is None and current is not None:
            try:
                loaded = self.pipeline.open_growing(followed.path, followed.waiting)
            except InputError as error:
                if _identity_at(followed.path) is not None:
                    self._report(followed, str(error))
                # else: rotated away between the look and the opening; the next poll opens its successor.
                return added
            opened = loaded.opened
            assert isinstance(opened, OpenedInput) and opened.identity is not None
            followed.problem = None
            if followed.waiting is not None:
                followed.waiting = None
                self.messages.append(f"{followed.path}: appeared; following it")
            # Copies that rotated away before this poll saw them were written before this file.
            added += self._read_missed(followed.path, opened)
            followed.live = LiveFile(loaded, opened.identity)
            added += self.pipeline.extend(loaded)
            self._remember_head(followed.live)
        return added

    def _was_truncated(self, live: LiveFile) -> bool:
        """Shorter than what was read, or no longer starting with the bytes it started with (copytruncate)."""
        opened = live.loaded.opened
        assert isinstance(opened, OpenedInput)
        if os.fstat(opened.store_fd).st_size < live.loaded.state.bytes_indexed:
            return True
        return bool(live.head) and opened.read(0, len(live.head)) != live.head

    def _retire(self, followed: FollowedPath) -> None:
        """The live file is complete: keep its bytes in the archive and let go of its descriptor."""
        live = followed.live
        assert live is not None
        self._remember_head(live)
        loaded = live.loaded
        opened = loaded.opened
        assert isinstance(opened, OpenedInput)
        self._remember_read(_ReadFile(live.identity, _stamp_of(opened.store_fd), live.head))
        loaded.opened = self.archive.keep(opened, loaded.state.bytes_indexed)
        opened.close()
        loaded.state.state = "done"
        followed.live = None

    def _retire_truncated(self, followed: FollowedPath) -> None:
        """The file was emptied in place: its old text is gone from it, unless a copy was made first."""
        live = followed.live
        assert live is not None
        loaded = live.loaded
        opened = loaded.opened
        assert isinstance(opened, OpenedInput)
        copy = self._find_copy(followed.path, live.head) if live.head else None
        loaded.opened = None
        if copy is not None:
            loaded.opened = self.archive.keep(copy, loaded.state.bytes_indexed)
            self._remember_read(_ReadFile(copy.identity, _stamp_of(copy.store_fd), live.head))
            copy.close()
        if loaded.opened is None:
            self.messages.append(
                f"{followed.path}: truncated; the text of the {loaded.state.records:,} records read before is no longer in it"
            )
        opened.close()
        loaded.state.state = "done"
        self._remember_read(_ReadFile(None, None, live.head))
        followed.live = None

    # -- rotated copies -----------------------------------------------------------

    def _read_missed(self, path: str, newest: OpenedInput) -> int:
        """Read the rotated copies of ``path`` that match no file read: they were written before ``newest``.

        A copy of ``newest`` itself may be half written already, when the
        writer is rotating it: it is told apart by its first bytes, read
        again for each copy since ``newest`` may still be growing.
        """
        added = 0
        for name, handle in self._unread_copies(path, newest):
            identity, stamp = _file_key(handle)
            try:
                opened = open_handle(name, handle)
            except InputError as error:
                self.messages.append(str(error))
                continue
            state = self.pipeline.timeline.add_source(name)
            loaded = self.pipeline.load_opened(state, opened, self._pool)
            self._remember_read(_ReadFile(identity, stamp, opened.read(0, FINGERPRINT)))
            # One descriptor for all the copies read, however many rotations there are.
            loaded.opened = self.archive.keep(opened, loaded.state.bytes_indexed)
            opened.close()
            added += loaded.state.records
        return added

    def _unread_copies(self, path: str, newest: OpenedInput | None) -> list[tuple[str, BinaryIO]]:
        """The rotated copies of ``path`` written before ``newest`` that are not files read, oldest first, opened.

        Copies after ``newest``'s own copy (the writer may be rotating it
        already) are of files written after it, and are read once it is done.
        """
        found = self._newer_copies(path)
        for index, (_name, handle) in enumerate(found):
            if newest is not None and (self._is_copy_of(handle, newest) or not self._has_a_whole_line(handle)):
                # ``newest``'s copy, or a copy still being written: ``newest``'s or a later file's.
                _close_all(found[index:])
                return found[:index]
        return found

    def _newer_copies(self, path: str) -> list[tuple[str, BinaryIO]]:
        """The copies newer than the newest copy already read, oldest first, each opened.

        The writer may be renaming every copy while they are looked at
        (RotatingFileHandler shifts ``app.log.N`` to ``app.log.N+1``, from the
        oldest to the newest). Looking from the newest to the oldest, the
        other way, no copy can be passed over: a copy that moves on is met
        again at its new name, and is then recognised by its inode. So the
        order found is the order of writing, without a lock or a retry; the
        look stops at the first copy already read. Numbered names are tried
        one by one rather than taken from a listing, which may have been made
        in the middle of the renames and miss a name.
        """
        seen: set[Identity] = set()
        opened: list[tuple[str, BinaryIO]] = []
        for name in _copy_names_newest_first(path):
            try:
                handle: BinaryIO = open(name, "rb")  # noqa: SIM115 - returned to the caller, or closed here
            except FileNotFoundError:
                continue  # between two renames: the copy that was here is met at its next name
            except OSError as error:
                self.messages.append(f"{name}: {error.strerror or error}")
                continue
            identity, _stamp = _file_key(handle)
            if identity in seen:
                handle.close()
                continue
            seen.add(identity)
            if self._is_read(handle):
                handle.close()
                break
            opened.append((name, handle))
        opened.reverse()
        return opened

    def _know_existing_copies(self, path: str) -> None:
        """Copies that exist when following starts are the past the user did not ask for: never read as missed."""
        for _name, handle in self._unread_copies(path, None):
            self._remember_read(_ReadFile(*_file_key(handle)))
            handle.close()

    def _remember_read(self, item: _ReadFile) -> None:
        if item.head and b"\n" in item.head:
            self._heads_by_first_line.setdefault(_first_line(item.head), []).append(item.head)
        if item.identity is not None and item.stamp is not None:
            self._known.add((item.identity, item.stamp))

    def _is_read(self, handle: BinaryIO) -> bool:
        """Whether an opened copy is of a file already read (or not readable yet: its first line is not written)."""
        key = _file_key(handle)
        if key in self._known:
            return True
        head = self._head_of(handle)
        if b"\n" not in head:
            return False  # empty, or a compressed copy whose first line is not written yet: not known
        # Only the heads that start with the same line: a look-up, however many files were read.
        if any(_same_start(read, head) for read in self._heads_by_first_line.get(_first_line(head), ())):
            # A copy of a file read: known by its inode and stamp from now on, without opening it.
            self._known.add(key)
            return True
        return False

    def _has_a_whole_line(self, handle: BinaryIO) -> bool:
        return b"\n" in self._head_of(handle)

    def _is_copy_of(self, handle: BinaryIO, newest: OpenedInput) -> bool:
        """Whether an opened copy is ``newest`` renamed, or a copy of it (whole, or still being written)."""
        if _file_key(handle)[0] == newest.identity:
            return True
        # ``newest`` may still grow: its first bytes are read again each time.
        return _same_start(newest.read(0, FINGERPRINT), self._head_of(handle))

    def _find_copy(self, path: str, head: bytes) -> OpenedInput | None:
        """The copy of the file that started with ``head`` (copytruncate's), opened; None when there is none."""
        match: OpenedInput | None = None
        for name, handle in reversed(self._unread_copies(path, None)):
            if match is None and _same_start(head, self._head_of(handle)):
                with contextlib.suppress(InputError):
                    match = open_handle(name, handle)
                    continue
            handle.close()
        return match

    def _head_of(self, handle: BinaryIO) -> bytes:
        """A copy's first bytes, decompressed; cached by inode and stamp, since a rotation set is looked at on every rotation."""
        key = _file_key(handle)
        head = self._heads.get(key)
        if head is None:
            head = read_head(handle, FINGERPRINT)
            if len(self._heads) > 4096:
                self._heads.clear()
            self._heads[key] = head
        return head

    def _remember_head(self, live: LiveFile) -> None:
        opened = live.loaded.opened
        if len(live.head) < FINGERPRINT and isinstance(opened, OpenedInput):
            live.head = opened.read(0, min(FINGERPRINT, live.loaded.state.bytes_indexed))

    # -- new files ------------------------------------------------------------------

    def _discover(self) -> int:
        """Files that match a glob given on the command line and appeared since: read, and followed when written to."""
        added = 0
        for pattern in self.patterns:
            for name in order_rotation_sets(sorted(glob.glob(pattern))):
                if name in self.followed or parse_rotation_name(name).base in self.followed:
                    continue
                if _is_current(name):
                    self.followed[name] = FollowedPath(name)
                    self._know_existing_copies(name)
                    continue
                try:
                    handle = open(name, "rb")  # noqa: SIM115 - closed here, or owned by the input
                except OSError:
                    continue
                if self._is_read(handle):
                    handle.close()
                    continue
                try:
                    opened = open_handle(name, handle)
                except InputError as error:
                    self.messages.append(str(error))
                    continue
                loaded = self.pipeline.load_opened(self.pipeline.timeline.add_source(name), opened, self._pool)
                self._remember_read(_ReadFile(opened.identity, None, opened.read(0, FINGERPRINT)))
                added += loaded.state.records
        return added

    # -- watching ---------------------------------------------------------------------

    def directories(self) -> set[str]:
        """The directories to watch: those of the followed paths and of the globs."""
        found = {os.path.dirname(os.path.abspath(path)) for path in self.followed}
        for pattern in self.patterns:
            directory = os.path.dirname(os.path.abspath(pattern))
            if not _GLOB_CHARS & set(directory):
                found.add(directory)
        return {directory for directory in found if os.path.isdir(directory)}

    def watch(self, stop: threading.Event, on_poll: Callable[[int], None]) -> None:
        """Poll on every change watchfiles reports in the watched directories, and after each quiet spell.

        ``on_poll`` gets the records each poll added (0 after a quiet spell)
        until ``stop`` is set. Ctrl+C, on the main thread, raises
        KeyboardInterrupt here as any blocking call does, for the caller to
        end quietly; watchfiles' own way of swallowing it logs a warning
        ("KeyboardInterrupt caught, stopping watch") and returns as if
        ``stop`` had been set, so that the command could not exit with 130.
        """
        import watchfiles

        directories = sorted(self.directories())
        on_poll(self.poll())
        if not directories:
            stop.wait()
            return
        for _changes in watchfiles.watch(
            *directories,
            stop_event=stop,
            debounce=DEBOUNCE_MS,
            step=10,
            rust_timeout=QUIET_MS,
            yield_on_timeout=True,
            recursive=False,
            raise_interrupt=True,
        ):
            on_poll(self.poll())

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.archive.close()

    def _report(self, followed: FollowedPath, problem: str) -> None:
        if problem and problem != followed.problem:
            followed.problem = problem
            self.messages.append(problem)


def _is_current(name: str) -> bool:
    """Whether ``name`` is the file a handler writes (not a rotated copy, not compressed)."""
    return parse_rotation_name(name).rank[0] == 2 and name == parse_rotation_name(name).base


def _close_all(opened: Sequence[tuple[str, BinaryIO | None]]) -> None:
    for _name, handle in opened:
        if handle is not None:
            handle.close()


def _file_key(handle: BinaryIO) -> tuple[Identity, Stamp]:
    """An open file's (identity, stamp): what tells a renamed copy from a new file on a reused inode."""
    info = os.fstat(handle.fileno())
    return (info.st_dev, info.st_ino), (info.st_size, info.st_mtime_ns)


def _stamp_of(fd: int) -> Stamp:
    info = os.fstat(fd)
    return (info.st_size, info.st_mtime_ns)


def _identity_at(name: str) -> Identity | None:
    try:
        info = os.stat(name)
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


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


def _copy_names_newest_first(path: str) -> Iterator[str]:
    """The names of ``path``'s rotated copies, newest first: every number up to the highest seen, then dated names."""
    copies = [parse_rotation_name(name) for name in _rotated_copies(path)]
    numbered = [item for item in copies if item.rank[0] == 1]
    if numbered:
        highest = max(-int(item.rank[1]) for item in numbered)
        suffixes = sorted({item.name[len(f"{path}.{-int(item.rank[1])}") :] for item in numbered})
        for number in range(1, highest + 2):
            for suffix in suffixes:
                yield f"{path}.{number}{suffix}"
    yield from reversed([item.name for item in copies if item.rank[0] == 0])


def _first_line(head: bytes) -> bytes:
    """A head's first line, its newline included (a head looked up holds one)."""
    return head[: head.index(b"\n") + 1]


def _same_start(first: bytes, second: bytes) -> bool:
    """Whether two heads are of one content: equal over the shorter, which holds at least one whole line.

    The shorter may be a copy still being written, or a file still growing;
    two different files of a log never start with the same first record.
    """
    shorter = min(len(first), len(second))
    return b"\n" in first[:shorter] and first[:shorter] == second[:shorter]
