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

The writer renames the copies while they are looked at, and makes new ones:
no single pass over their names sees them in the order they were written (a
copy made during the pass can be met anywhere in it). So the numbered copies
are read one at a time, from the newest copy read, by a look that is checked
to have seen one instant (numbered_copies.py); the file at the
path is read once the copies written before it are.
A path given that does not exist yet (the pipeline's source "waiting" for
it) is followed as a file deleted is: read from its start once it is created.
When its directory does not exist either, the nearest ancestor that does is
watched until the directories are made.

Files that appear at a followed path are taken as they appear by a grabber
thread (sources/grabber.py), held open in order, and read by the polls
from their descriptors, which stay readable after a rename and a deletion:
a writer rotating every few milliseconds no longer outruns the polls. Where
files were deleted before the grabber could open them, one message per gap
says how many (counted from when the file before them was deleted, or else
estimated), and when their records were written.

Polls are driven by watchfiles' notifier (:meth:`Follower.watch`), not by a
timer loop.
"""

from __future__ import annotations

import glob
import os
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import BinaryIO

from logview.core.index.status import Status
from logview.core.inputs.archive import Archive
from logview.core.inputs.errors import InputError
from logview.core.inputs.opened_input import OpenedInput
from logview.core.inputs.opener import open_handle
from logview.core.inputs.rotation import order_rotation_sets, parse_rotation_name
from logview.core.pipeline import PARSE_THREADS, LoadedSource, Pipeline
from logview.core.sources.grabber import Grabbed, Grabber, Identity, identity_at
from logview.core.sources.live_input import LiveInput
from logview.core.sources.loss_reports import emptied_report, gap_report, no_copy_report, text_gone_report
from logview.core.sources.numbered_copies import (
    COPY_SUFFIXES,
    Boundary,
    Look,
    NumberedCopies,
    copy_names_newest_first,
    rotation_set,
)
from logview.core.sources.rotated_copies import (
    FINGERPRINT,
    ReadFile,
    ReadFiles,
    close_all,
    file_key,
    is_copy_of,
    same_start,
    stamp,
    stamp_of,
)
from logview.core.sources.watched_directories import GLOB_CHARS, directories_to_watch

#: Milliseconds watchfiles groups changes over: new lines show within about this, plus a poll.
DEBOUNCE_MS = 60
#: Milliseconds without a change after which a poll runs anyway (held records are released).
QUIET_MS = 100
#: Passes of one poll over a path that the writer keeps rotating while it is read, before the next poll takes over.
CATCH_UP_PASSES = 50
#: Files of one path read by one poll at most: a writer faster than the reading still lets each poll print.
FILES_PER_POLL = 64
#: Files whose ends are kept, per path, to estimate how often the writer rotates when some were deleted unread.
ENDS_KEPT = 16


@dataclass
class LiveFile:
    """The file now at a followed path, and what identifies its content once it is rotated away."""

    loaded: LoadedSource
    identity: Identity
    #: The file, its text read back from a spool (an emptied file's offsets hold another text).
    input: LiveInput
    #: Copies written before it may not all be read yet (the writer kept moving them): nothing of it is read until they are.
    behind: bool = False

    @property
    def head(self) -> bytes:
        """The first bytes of the text read, as read: a copy made by copytruncate is found by them."""
        return self.input.head


@dataclass
class FollowedPath:
    path: str
    live: LiveFile | None = None
    #: The source that waits for the file: the path did not exist when logview started, it becomes this source.
    waiting: LoadedSource | None = None
    #: The last problem reported for this path, so that a poll does not repeat it.
    problem: str | None = None
    #: A file of this path was read: when no copy of a file read is left, copies were deleted before they could be read.
    read_any: bool = False
    #: The copy at ``PATH.1`` when last looked at while nothing of the live file was read (see :meth:`Follower._read_copies_of_unseen`).
    newest_copy: Identity | None = None
    #: Takes each file that appears at the path as it appears, for the polls to read in order.
    grabber: Grabber | None = None
    #: (modification time in ns, size) of the last files read to their end: how often the writer rotates, and how much.
    ends: deque[tuple[int, int]] = field(default_factory=lambda: deque(maxlen=ENDS_KEPT))


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
        #: The files read, by which their rotated copies are known.
        self._read_files = ReadFiles(self.messages.append)
        self._lock = threading.Lock()
        self.patterns = [pattern for pattern in self.patterns if pattern != "-" and GLOB_CHARS & set(pattern)]
        for loaded in self.pipeline.loaded:
            if loaded.state.status == Status.WAITING:
                # A path given that does not exist yet: followed like a file deleted, until it is created.
                self.followed[loaded.state.name] = FollowedPath(loaded.state.name, waiting=loaded)
                continue
            opened = loaded.opened
            if not isinstance(opened, OpenedInput) or loaded.state.name == "-":
                continue
            self._read_files.remember(ReadFile(opened.identity, stamp_of(opened.store_fd) if not opened.streamed else None))
            name = loaded.state.name
            if not opened.streamed and opened.identity is not None and _is_current(name):
                loaded.state.status = Status.FOLLOWING
                followed = self.followed[name] = FollowedPath(name, read_any=True)
                live_input = LiveInput.taking(opened, loaded.state.bytes_indexed, self._may_start(followed))
                loaded.opened = live_input
                followed.live = LiveFile(loaded, opened.identity, live_input)
        self._watching = False
        for name, followed in self.followed.items():
            self._know_existing_copies(name)
            self._add_grabber(followed)

    # -- polling ----------------------------------------------------------------

    def poll(self) -> int:
        """Read whatever was written since the last poll; return the records added or grown (a traceback continued)."""
        with self._lock:
            added = self._discover()
            for followed in list(self.followed.values()):
                try:
                    added += self._poll_path(followed)
                    # Rotated again while this poll read it: the copies made meanwhile are read now, before the writer deletes them.
                    for _pass in range(CATCH_UP_PASSES):
                        if not self._rotated_while_read(followed):
                            break
                        added += self._poll_path(followed)
                except OSError as error:
                    self._report(followed, f"{followed.path}: {error.strerror or error}")
            return added

    def _rotated_while_read(self, followed: FollowedPath) -> bool:
        live = followed.live
        return live is not None and not live.behind and identity_at(followed.path) != live.identity

    def _poll_path(self, followed: FollowedPath) -> int:
        added = 0
        live = followed.live
        if live is not None and live.behind:
            caught_up, added = self._read_missed(followed.path, live)
            if not caught_up:
                return added
        if live is not None:
            if self._was_truncated(live):
                added += self._retire_truncated(followed)
            else:
                if not live.head:
                    added += self._read_copies_of_unseen(followed, live)
                added += self._extend_live(live)
        return added + self._read_grabbed(followed)

    def _read_grabbed(self, followed: FollowedPath) -> int:
        """Read the files the grabber took from the path since, in order: each one before it is complete, the last as it grows."""
        grabber = followed.grabber
        assert grabber is not None
        grabber.look()
        added = 0
        for _file in range(FILES_PER_POLL):
            live = followed.live
            if live is not None:
                if live.behind or (not grabber.pending() and identity_at(followed.path) == live.identity):
                    break
                # Rotated away or deleted: the writer has finished with it, read it to its end.
                added += self.pipeline.extend(live.loaded, complete=True)
                self._retire(followed)
            grabbed = grabber.take()
            if grabbed is None:
                if grabber.problem is not None:
                    self._report(followed, grabber.problem)
                break
            added += self._start_live(followed, grabbed)
        return added

    def _start_live(self, followed: FollowedPath, grabbed: Grabbed) -> int:
        """Make a file the grabber took the live file, and read what it holds."""
        written_until = os.fstat(grabbed.handle.fileno()).st_mtime_ns  # before the input owns (and closes) the handle
        try:
            opened = open_handle(followed.path, grabbed.handle, growing=True)
            live_input = LiveInput.taking(opened, 0, self._may_start(followed)) if not opened.streamed else opened
            loaded = self.pipeline.open_growing(followed.path, followed.waiting, live_input)
        except InputError as error:
            self._report(followed, str(error))
            return 0
        followed.problem = None
        if followed.waiting is not None:
            followed.waiting = None
            self.messages.append(f"{followed.path}: appeared; following it")
        if grabbed.follows is False or grabbed.skipped:
            seen = max(grabbed.skipped, grabbed.deleted)
            self._report_gap(followed, written_until, seen, grabbed.copy_times, grabbed.deleted if grabbed.counted else None)
        # Copies that rotated away before the grabber saw them, when their names cannot say so, are read first.
        assert isinstance(live_input, LiveInput)
        followed.live = live = LiveFile(loaded, grabbed.identity, live_input, behind=grabbed.follows is None)
        added = 0
        if live.behind:
            caught_up, added = self._read_missed(followed.path, live)
            if not caught_up:
                return added
        return added + self._extend_live(live)

    def _read_copies_of_unseen(self, followed: FollowedPath, live: LiveFile) -> int:
        """Read the copies made of the file while nothing of it was read yet: copytruncate emptied it before a poll saw its text.

        Its inode and its start (nothing read) are unchanged, so no truncation
        shows: a new copy does. Its text was written before what the file holds now.
        Not when the grabber has taken a newer file from the path, nor when the
        file is no longer at the path (the next may not be made yet): it was
        renamed or compressed, not emptied, and the copies are of it and of the
        files after it, read after it.
        """
        grabber = followed.grabber
        if grabber is not None:
            grabber.look()
            if grabber.pending():
                return 0
        newest_copy = NumberedCopies(followed.path, COPY_SUFFIXES).identity(1)
        if newest_copy is None or newest_copy == followed.newest_copy:
            return 0
        unread = self._read_files.unread_copies(copy_names_newest_first(followed.path), live.input)
        if identity_at(followed.path) != live.identity:
            # Checked after the look: rotated away before or during it, the copies found may be its own and later files'.
            close_all(unread)
            return 0
        if unread:
            # Copies of the file, made before it was emptied: copytruncate's, each with its window.
            copied_at = os.fstat(unread[0][1].fileno()).st_mtime_ns
            self.messages.append(emptied_report(followed.path, len(unread), copied_at, os.fstat(live.input.store_fd).st_mtime_ns, 0))
        added = sum(self._read_copy(name, handle) for name, handle in unread)
        # Not looked at again while ``PATH.1`` stays a file read; a copy of the live file is, until the file is read or emptied.
        copy = NumberedCopies(followed.path, COPY_SUFFIXES).open_at(1)
        if copy is not None and copy.handle is not None:
            if self._read_files.is_read(self._read_files.look_at(copy.handle)):
                followed.newest_copy = copy.identity
            copy.handle.close()
        return added

    def _was_truncated(self, live: LiveFile) -> bool:
        """Shorter than what was read, or no longer starting with the bytes it started with (copytruncate)."""
        return live.input.emptied()

    def _retire(self, followed: FollowedPath) -> None:
        """The live file is complete: keep its bytes in the archive and let go of its descriptor."""
        live = followed.live
        assert live is not None
        loaded = live.loaded
        opened = loaded.opened
        assert isinstance(opened, OpenedInput)
        info = os.fstat(opened.store_fd)
        followed.ends.append((info.st_mtime_ns, info.st_size))
        self._read_files.remember(ReadFile(live.identity, stamp(opened.store_fd, info), live.head))
        loaded.opened = self.archive.keep(opened, loaded.state.bytes_indexed)
        opened.close()
        loaded.state.status = Status.DONE
        followed.live = None
        followed.read_any = True

    def _retire_truncated(self, followed: FollowedPath) -> int:
        """The file was emptied in place: its old text is gone from it, unless a copy was made first; return the records added.

        copytruncate copies the file, then empties it: what was written
        after the last read and before the copy is in the copy alone, and is
        read from it (the file's offsets are the copy's), before the file is
        read again from its top. What was read is in the live input's spool;
        what was written after the copy and before the emptying is nowhere,
        and is said to be lost (logrotate's own window), with when.
        """
        live = followed.live
        assert live is not None
        loaded = live.loaded
        emptied_at = os.fstat(live.input.store_fd).st_mtime_ns  # its last change: the emptying, or a write after it
        now = live.input.file_head(FINGERPRINT)  # the text the file holds since it was emptied
        copy, newer = self._read_files.find_copy(copy_names_newest_first(followed.path), live.head, now) if live.head else (None, [])
        added = 0
        if copy is not None:
            copied_at = os.fstat(copy.store_fd).st_mtime_ns
            _read_through(copy)
            live.input.freeze(copy)
            loaded.opened = copy
            added = self.pipeline.extend(loaded, complete=True)
            self._read_files.remember(ReadFile(copy.identity, stamp_of(copy.store_fd), live.head))
            lost = live.input.seen_size - max(live.input.spooled, os.fstat(copy.store_fd).st_size) if not copy.streamed else 0
            self.messages.append(emptied_report(followed.path, 1 + len(newer), copied_at, emptied_at, lost))
        if copy is not None or live.input.base == 0:
            # Read back from the spool, and from the copy for what was not read; without a copy, what was read.
            live.input.freeze(copy)
            loaded.opened = self.archive.keep(live.input, loaded.state.bytes_indexed)
            if copy is None:
                self.messages.append(no_copy_report(followed.path, live.input.looked_at))
        else:
            loaded.opened = None
            self.messages.append(text_gone_report(followed.path, loaded.state.records))
        if copy is not None:
            copy.close()
        live.input.close()
        loaded.state.status = Status.DONE
        self._read_files.remember(ReadFile(None, None, live.head))
        followed.live = None
        if followed.grabber is not None:
            followed.grabber.forget()  # the same file, emptied: read again from its top as a new one
        followed.newest_copy = None
        return added + sum(self._read_copy(name, handle) for name, handle in newer)

    # -- rotated copies -----------------------------------------------------------

    def _read_missed(self, path: str, live: LiveFile) -> tuple[bool, int]:
        """Read the rotated copies of ``path`` written after the last file read and before ``live``: whether all are, and the records added.

        When they are all read, ``live`` is no longer behind them, and is read
        next. When the writer moved the copies at every look, those read so
        far stay read, and the next poll goes on from there.
        """
        newest = live.loaded.opened
        assert isinstance(newest, OpenedInput)
        _suffixes, highest, dated = rotation_set(path)
        # Dated copies (TimedRotatingFileHandler's) are never renamed: a pass over their names sees them in order.
        added = sum(self._read_copy(name, handle) for name, handle in self._read_files.unread_copies(dated, newest))
        # Numbered ones are looked for by name whatever the listing saw: made during renames, it may have missed some.
        grabber = self.followed[path].grabber
        later = grabber.identities() if grabber is not None else set()
        caught_up, read = self._read_numbered(NumberedCopies(path, COPY_SUFFIXES), highest, newest, later)
        live.behind = not caught_up
        return caught_up, added + read

    def _read_numbered(self, copies: NumberedCopies, highest: int, newest: OpenedInput, later: set[Identity]) -> tuple[bool, int]:
        """Read the numbered copies after the newest one read, one by one, up to ``newest``'s (or its successors': ``later``)."""
        boundary, held = copies.boundary(highest, later, self._read_files)
        added = 0
        try:
            if boundary.identity is None and held and self.followed[copies.path].read_any:
                oldest = next(reversed(held.values()))[1]
                self._report_gap(self.followed[copies.path], os.fstat(oldest.fileno()).st_mtime_ns)
            while True:
                step = copies.next_after(boundary)
                if step is Look.UNSETTLED:
                    return False, added
                if step is Look.NOTHING:
                    return True, added
                if step is Look.GONE:
                    # The copies after it were deleted too, unread: they were found by the first look, and are held open.
                    added += self._read_deleted(held)
                    boundary = Boundary(copies.above(boundary.number), None)
                    continue
                found_first = step.identity in held
                if found_first:
                    held.pop(step.identity)[1].close()
                boundary = Boundary(step.number, step.identity)
                if step.handle is None:
                    self._report(self.followed[copies.path], step.name)  # unreadable: the name says why
                    continue
                content = self._read_files.look_at(step.handle)
                if step.identity in later or is_copy_of(content, newest) or (step.number == 1 and not content.has_a_whole_line):
                    # ``newest`` renamed or compressed (perhaps still being written): the copies before it are read.
                    step.handle.close()
                    return True, added
                if self._read_files.is_read(content):
                    step.handle.close()
                elif not found_first:
                    # Not there at the first look, which found every copy older than ``newest``: a copy of a later
                    # file (``newest``'s own was deleted before it was met). ``newest`` comes first.
                    step.handle.close()
                    return True, added
                else:
                    added += self._read_copy(step.name, step.handle)
        finally:
            close_all(list(held.values()))

    def _read_deleted(self, held: dict[Identity, tuple[str, BinaryIO]]) -> int:
        """Read the copies held open that the writer has deleted since, unread: the oldest ones, in the order found."""
        added = 0
        for identity, (name, handle) in reversed(list(held.items())):
            if os.fstat(handle.fileno()).st_nlink == 0:
                del held[identity]
                if self._read_files.is_read(self._read_files.look_at(handle)):
                    handle.close()
                else:
                    added += self._read_copy(name, handle)
        return added

    def _read_copy(self, name: str, handle: BinaryIO) -> int:
        """Read a rotated copy whole, as a source of its own; its bytes go to the archive. Return its records."""
        identity, stamp = file_key(handle)
        try:
            opened = open_handle(name, handle)
        except InputError as error:
            self.messages.append(str(error))
            return 0
        loaded = self.pipeline.load_opened(self.pipeline.add_input(name), opened, self._pool)
        self._read_files.remember(ReadFile(identity, stamp, opened.read(0, FINGERPRINT)))
        # One descriptor for all the copies read, however many rotations there are.
        loaded.opened = self.archive.keep(opened, loaded.state.bytes_indexed)
        opened.close()
        return loaded.state.records

    def _know_existing_copies(self, path: str) -> None:
        """Copies that exist when following starts are the past the user did not ask for: never read as missed."""
        for _name, handle in self._read_files.unread_copies(copy_names_newest_first(path), None):
            self._read_files.remember(ReadFile(*file_key(handle)))
            handle.close()

    def _extend_live(self, live: LiveFile) -> int:
        """Read what was appended to the live file (not a byte of another text: see LiveInput)."""
        return self.pipeline.extend(live.loaded)

    def _may_start(self, followed: FollowedPath) -> Callable[[bytes], bool]:
        """The check of a text's first bytes read (LiveInput): no unread copy of an older text at ``PATH.1``.

        copytruncate copies a file, then empties it: a text read before any
        of it was seen may be the one written after the emptying, whose
        predecessor is in the copy, unread, and comes first. Then nothing is
        read: the poll reads the copy (:meth:`_read_copies_of_unseen`), then the file.
        """

        def may_start(data: bytes) -> bool:
            live = followed.live
            if live is None or identity_at(followed.path) != live.identity:
                return True  # rotated away (renamed), not emptied: the files before it were read in order
            copy = NumberedCopies(followed.path, COPY_SUFFIXES).open_at(1)
            if copy is None or copy.handle is None:
                return True
            try:
                # A copy without a whole line is being made (the file is emptied once it is made) or holds no record.
                content = self._read_files.look_at(copy.handle)
                return not content.has_a_whole_line or self._read_files.is_read(content) or same_start(data, content.head)
            finally:
                copy.handle.close()

        return may_start

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
                    self._add_grabber(self.followed[name])
                    self.messages.append(f"{name}: matches {pattern}; following it")
                    continue
                try:
                    handle = open(name, "rb")  # noqa: SIM115 - closed here, or owned by the input
                except OSError:
                    continue
                if self._read_files.is_read(self._read_files.look_at(handle)):
                    handle.close()
                    continue
                try:
                    opened = open_handle(name, handle)
                except InputError as error:
                    self.messages.append(str(error))
                    continue
                loaded = self.pipeline.load_opened(self.pipeline.add_input(name), opened, self._pool)
                self._read_files.remember(ReadFile(opened.identity, None, opened.read(0, FINGERPRINT)))
                added += loaded.state.records
        return added

    # -- watching ---------------------------------------------------------------------

    def directories(self) -> set[str]:
        """The directories to watch (watched_directories.py): :meth:`watch` watches a directory waited for once it is made."""
        return directories_to_watch(self.followed, self.patterns)

    def watch(self, stop: threading.Event, on_poll: Callable[[int], None]) -> None:
        """Poll on every change watchfiles reports in the watched directories, and after each quiet spell.

        ``on_poll`` gets the records each poll added (0 after a quiet spell)
        until ``stop`` is set. When the directories to watch change (one
        waited for was created), the watch starts again over the new ones.

        Ctrl+C, on the main thread, raises KeyboardInterrupt here, for the
        caller to end quietly: watchfiles raises it (its own way of swallowing
        it logs a warning, "KeyboardInterrupt caught, stopping watch", and
        returns as if ``stop`` had been set, so that the command could not
        exit with 130), and ``stop`` is waited on in steps. A wait without a
        timeout is never woken by Ctrl+C when the signal is delivered to
        another thread (polars' and the parse pool's are as likely to get it).
        """
        import watchfiles

        self._watching = True
        for followed in self.followed.values():
            if followed.grabber is not None:
                followed.grabber.start()
        on_poll(self.poll())
        while not stop.is_set():
            directories = self.directories()
            if not directories:
                stop.wait(QUIET_MS / 1000)  # nothing followed, nothing to wait for but Ctrl+C or ``stop``
                continue
            try:
                for _changes in watchfiles.watch(
                    *sorted(directories),
                    stop_event=stop,
                    debounce=DEBOUNCE_MS,
                    step=10,
                    rust_timeout=QUIET_MS,
                    yield_on_timeout=True,
                    recursive=False,
                    raise_interrupt=True,
                ):
                    on_poll(self.poll())
                    if self.directories() != directories:
                        break
            except FileNotFoundError:
                if self.directories() == directories:
                    raise
                # A directory was removed between the look and the watch: the next look watches its ancestor.

    def _add_grabber(self, followed: FollowedPath) -> None:
        opened = followed.live.loaded.opened if followed.live is not None else None
        known = os.fdopen(os.dup(opened.store_fd), "rb") if isinstance(opened, OpenedInput) else None
        followed.grabber = Grabber(followed.path, known)
        if self._watching:
            followed.grabber.start()

    def close(self) -> None:
        for followed in self.followed.values():
            if followed.grabber is not None:
                followed.grabber.close()
        self._pool.shutdown(wait=True)
        self.archive.close()

    def _report_gap(
        self, followed: FollowedPath, oldest_time: int, seen: int = 0, copy_times: Sequence[int] = (), counted: int | None = None
    ) -> None:
        """Say that files were deleted unread before the file last written at ``oldest_time`` (ns): loss_reports.gap_report."""
        message = gap_report(followed.path, followed.ends, oldest_time, seen, copy_times, counted)
        if message is not None:
            self.messages.append(message)

    def _report(self, followed: FollowedPath, problem: str) -> None:
        if problem and problem != followed.problem:
            followed.problem = problem
            self.messages.append(problem)


def _is_current(name: str) -> bool:
    """Whether ``name`` is the file a handler writes (not a rotated copy, not compressed)."""
    return parse_rotation_name(name).rank[0] == 2 and name == parse_rotation_name(name).base


def _read_through(opened: OpenedInput) -> None:
    """Decompress a compressed copy whole into its spool, so that it can be read by offset (a plain file already is)."""
    if opened.streamed:
        for _chunk in opened.chunks():
            pass
