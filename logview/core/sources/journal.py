"""The systemd journal as a source: the local journal, a systemd-journal-remote directory, or journal files.

The journal is read by ``journalctl -o export`` (the fastest of its
outputs, journal_export.py), never by a parser of the binary files of our
own: of a file, only a few numbers of its header are read (how many
entries, which sequence numbers: journal_files.py). The first read takes a
collector's files together, so that the entries come in time order
(journal_together.py); each file is then followed by itself, read again
after its own last entry when its header moves, so that nothing written in
between is lost or read twice. The filters the journal indexes (priority,
time, unit, identifier, host, pid) are handed to journalctl as matches
(:class:`JournalQuery`), so only the entries asked for are read; the
index's own filters still apply.

Entries are written to a spool as a queue's records are (spool_format.py),
with the host as one more column, and indexed from their fields. A record
whose traceback lines may still come (a service's standard error, one
entry a line) is held back until they cannot (journal_stream.py).
"""

from __future__ import annotations

import itertools
import math
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from logview.core.index.field_sets import FieldSets
from logview.core.index.parsed_chunk import known_chunk
from logview.core.index.status import Problem, Severity, Status
from logview.core.inputs.opened_input import OpenedInput
from logview.core.sources.journal_details import EntryDetails
from logview.core.sources.journal_entries import ENTRY_FIELDS, SPOOL_FORMAT, EntryCoder, JournalBatch, highest_priority
from logview.core.sources.journal_export import ExportReader
from logview.core.sources.journal_files import JournalFile, JournalFiles
from logview.core.sources.journal_stream import EntryStream
from logview.core.sources.journal_together import Waves, readable_chains
from logview.core.sources.journal_writers import WriterWatch
from logview.core.sources.spool_format import spool_format
from logview.core.zones import shown_in_utc

if TYPE_CHECKING:
    from logview.core.index.timeline import SourceState
    from logview.core.sources.source import Sink

__all__ = ["JOURNALCTL_MISSING", "JournalQuery", "JournalSource", "JournalTarget", "journalctl_command"]

#: What is said when journalctl is not installed.
JOURNALCTL_MISSING = "journalctl not found: install systemd's journalctl (Debian and Ubuntu: apt-get install systemd)"
#: Where journald keeps the local journal: persistent, and volatile (systemd.journal-fields(7), journald.conf(5)).
LOCAL_JOURNALS = ("/var/log/journal", "/run/log/journal")
#: Bytes read from journalctl and not yet indexed, at most: journalctl waits while the index catches up. A block's
#: parse holds many times its bytes at its peak (polars' intermediate columns): 1M entries peaked at 147-153 MiB with
#: 1 MiB, 171-178 with 2 and 199-200 with 4, for 10-25% more time than with 4 (BENCHMARKS.md).
BACKLOG_BYTES = 1 << 20
#: Bytes taken off journalctl's pipe at a time.
READ_BYTES = 1 << 20
#: Seconds between looks at ``stop`` while journalctl is quiet.
POLL_SECONDS = 0.05
#: Seconds between two looks at the files while following (journal_files.py says why journalctl --follow is not used).
FOLLOW_SECONDS = 0.25
#: Seconds journalctl is given to end after it is told to.
END_SECONDS = 5.0


class JournalTarget(NamedTuple):
    """Which journal: a directory (the local journal's, or one systemd-journal-remote writes), files, or the local journal."""

    directory: str | None = None
    files: tuple[str, ...] = ()

    @property
    def directories(self) -> tuple[str, ...]:
        """The directories whose journal files are read: the local journal's, when neither a directory nor files are named."""
        if self.directory is not None:
            return (self.directory,)
        return () if self.files else tuple(directory for directory in LOCAL_JOURNALS if os.path.isdir(directory))

    @property
    def name(self) -> str:
        if self.directory is not None:
            return f"journal {self.directory}"
        if self.files:
            return "journal " + ", ".join(self.files)
        return "journal"


class JournalQuery(NamedTuple):
    """The filters journalctl applies itself, from the journal's field index: each narrows what is read.

    What journalctl keeps is never less than what logview's own filters
    keep (they still apply): a level is a priority, or a line a service
    wrote to its standard error (``_TRANSPORT=stdout``: its level is in its
    text, journal_entries.py); a pid is ``_PID`` or ``SYSLOG_PID``, as the
    record reads it. ``--until`` is not handed over: journalctl stops at
    the first entry past it, and a file's times may go back after that.
    """

    #: The lowest level kept (a logging level number).
    min_level: int | None = None
    #: UTC milliseconds.
    since: int | None = None
    units: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    pids: tuple[int, ...] = ()

    def arguments(self) -> list[str]:
        """journalctl's options and matches.

        Matches of one field are or-ed, of different fields and-ed, and
        groups joined by ``+`` or-ed: each criterion with alternatives (a
        level, a pid, a unit) multiplies the groups, each group holding
        every criterion once.
        """
        arguments = [f"--since=@{math.floor(self.since / 1000)}"] if self.since is not None else []
        criteria: list[list[list[str]]] = []  # per criterion, its alternatives, each a list of matches
        if self.min_level is not None:
            priorities = [f"PRIORITY={priority}" for priority in range(highest_priority(self.min_level) + 1)]
            criteria.append([priorities, ["_TRANSPORT=stdout"]])
        if self.pids:
            criteria.append([[f"_PID={pid}" for pid in self.pids], [f"SYSLOG_PID={pid}" for pid in self.pids]])
        if self.units:
            criteria.append([[f"_SYSTEMD_UNIT={unit}" for unit in self.units], [f"UNIT={unit}" for unit in self.units]])
        if self.identifiers:
            criteria.append([[f"SYSLOG_IDENTIFIER={identifier}" for identifier in self.identifiers]])
        if self.hosts:
            criteria.append([[f"_HOSTNAME={host}" for host in self.hosts]])
        groups = [[match for alternative in chosen for match in alternative] for chosen in itertools.product(*criteria)] if criteria else []
        for number, group in enumerate(groups):
            arguments += (["+"] if number else []) + group
        return arguments


def journalctl_command(files: list[str], query_arguments: list[str], after_cursor: str | None = None) -> list[str]:
    """The journalctl command that writes the entries asked for in the export format; ``files``: its ``--file`` options.

    ``query_arguments``: JournalQuery.arguments(), made once. A batch's
    command is made again when its details are read (journal_details.py).
    """
    command = ["journalctl", "--no-pager", "--output=export", *files]
    if after_cursor is not None:
        command.append(f"--after-cursor={after_cursor}")
    return command + query_arguments


class _Reading(NamedTuple):
    """What one journalctl run reads: its files (options and the descriptors they name), and after which entry."""

    files: list[str]
    passed: tuple[int, ...]
    after: str | None
    #: What its complaints are said of: one file's path, or None for the source (files read together).
    input_name: str | None

    @classmethod
    def of(cls, journal: JournalFile) -> _Reading:
        """One file, after its own last entry read."""
        return cls([journal.argument], _descriptors(journal), journal.cursor, journal.path)


class JournalSource:
    """A journal read to its end, then followed as it grows when ``follow`` is set (core/sources/source.py)."""

    kind = "journal"

    def __init__(self, target: JournalTarget, query: JournalQuery | None = None, follow: bool = False) -> None:
        self.target = target
        #: The processes writing the journal followed: their exit is told (journal_writers.py).
        self._writers = WriterWatch()
        #: Whether the followed directory was there at the last look (or at the start).
        self._directory_present = False
        self.query = query or JournalQuery()
        self._query_arguments = self.query.arguments()
        self.follow = follow
        self.name = target.name
        self.records = 0
        self._problems: list[Problem] = []
        self._spool = tempfile.TemporaryFile(prefix="logview-journal-")  # noqa: SIM115 - closed by close()
        self._written = 0
        self._closed = False
        self._lock = threading.Lock()
        self.state: SourceState | None = None
        #: The journal files, held open while the records are shown (their details are read through them).
        self._files: JournalFiles | None = None
        #: Each batch's way back to its entries' other fields (journal_details.py).
        self._details = EntryDetails(self._read_spool, lambda files, after: journalctl_command(files, self._query_arguments, after))
        #: The sets of those fields each record has, for search (journal_fields.py).
        self._field_sets = FieldSets()
        self._told_unsearched: set[str] = set()
        #: The last entry read from the journalctl running now (a file's: journal_files.py).
        self._last_cursor: str | None = None
        #: The files whose last records may still grow, and their entries kept until they can no longer (journal_stream.py).
        self._streams: dict[JournalFile, EntryStream] = {}
        self._caught_up = False

    @property
    def status(self) -> Status:
        if self.state is not None:
            return self.state.status
        return Status.ERROR if self._problems else Status.READING

    @property
    def problems(self) -> list[Problem]:
        """journalctl missing: the source could not start, so it has no input of its own to hold the problem."""
        return self._problems

    def run(self, sink: Sink, stop: threading.Event) -> None:
        """Read the journal to its end; then, when following, what comes after the last entry read, until ``stop``."""
        if shutil.which("journalctl") is None:
            problem = Problem(self.name, JOURNALCTL_MISSING)
            self._problems.append(problem)
            sink.tell(problem)
            sink.caught_up(self)
            return
        spool = OpenedInput(
            name=self.name, compression=None, _stream=None, _store_fd=os.dup(self._spool.fileno()), _spool=None, growing=True
        )
        state = sink.add_source(self.name, spool, spool_format(SPOOL_FORMAT, written_in_utc=shown_in_utc()), "systemd journal")
        state.details = self._details
        state.field_sets = self._field_sets
        # Not READING: a record is indexed whole, so the index holds none back for lines still to come (Status.may_grow):
        # the records whose lines may still come are held back here (journal_stream.py).
        state.status = Status.RECEIVING
        self.state = state
        local = self.target.directory is None and not self.target.files
        files = JournalFiles(self.target.directories, self.target.files)
        self._directory_present = self.target.directory is not None and os.path.isdir(self.target.directory)
        if self.target.directory is not None and not self._directory_present:
            if self.follow:
                self._warn(sink, "no such directory yet: its journal files are read once it is made")
            else:
                self._fail(sink, state, "no such directory")
        elif not self.target.files and not files.present():
            places = " or ".join(LOCAL_JOURNALS) if local else "it"
            if self.follow:
                self._warn(sink, f"no journal files in {places} yet: they are read as they come")
            else:
                self._fail(sink, state, f"no journal files in {places}")
        try:
            self._read_files(files, sink, state, EntryCoder(sink.symbols), stop)
        finally:
            self._files = files  # closed with the source: the details of its records are read through them
        if state.status != Status.ERROR:
            state.status = Status.DONE
        sink.changed(state)

    def _read_files(self, files: JournalFiles, sink: Sink, state: SourceState, coder: EntryCoder, stop: threading.Event) -> None:
        """Each file by itself after its own last entry (journal_files.py); again every ``FOLLOW_SECONDS`` while following."""
        said: set[str] = set()
        try:
            while True:
                wanted = files.to_read()
                if self.follow:  # before the first read too: a writer that exits as soon as its records are read is known
                    self._look_at_writer(sink, state, files, bool(wanted))
                grown: set[JournalFile] = set()
                if not self._caught_up:
                    # Sized once: doubling copies a column while the old one is held (10M entries: +45 MiB at the peak).
                    expected = sum(journal.entries for journal in wanted)
                    sink.expect(expected)
                    self._field_sets.reserve(expected)
                    wanted = self._read_together(files, wanted, sink, state, coder, stop)
                for journal in wanted:
                    if stop.is_set():
                        break
                    self._last_cursor = None
                    stream = self._streams.get(journal) or EntryStream(coder, journal.cursor)
                    self._read(_Reading.of(journal), stream, sink, state, stop, said)
                    # What was read counts as read, even when journalctl then failed: it is not read twice.
                    files.read(journal, self._last_cursor)
                    self._streams[journal] = stream
                    # Records are held back for lines still to come only while following, from a file that grew at this look.
                    if self._caught_up and self._last_cursor is not None:
                        grown.add(journal)
                    else:
                        self._index(stream.flush(), sink, state, _Reading.of(journal))
                self._hand_over(sink, state, keep=grown)
                if not self._caught_up:
                    self._caught_up = True
                    sink.caught_up(self)
                if not self.follow or stop.wait(FOLLOW_SECONDS):
                    return
        finally:
            self._hand_over(sink, state, keep=set())

    def _read_together(
        self, files: JournalFiles, wanted: list[JournalFile], sink: Sink, state: SourceState, coder: EntryCoder, stop: threading.Event
    ) -> list[JournalFile]:
        """Read those of ``wanted`` that can be, together, in time order (journal_together.py); return those left to read.

        Each file read together is then known to be read on to its own last
        entry taken, as if read alone. When journalctl fails, or a wave
        breaks, every file is left to be read alone after that entry: that
        read says which file failed, and reads the others on.
        """
        checked = not self._query_arguments
        chains = readable_chains(wanted, checked)
        if not chains:
            return wanted
        waves = Waves(chains, checked)
        read = True
        while read and not stop.is_set() and (wave := waves.next_files()):
            reading = _Reading([journal.argument for journal in wave], tuple(journal.fd for journal in wave), waves.after, None)
            stream = EntryStream(coder, waves.after)
            read = self._read(reading, stream, sink, state, stop, None, waves)
            self._index(stream.flush(), sink, state, reading)
        for journal in waves.files:
            files.read(journal, waves.owners.cursor_of(journal))
        if read and waves.complete:
            return [journal for journal in wanted if journal not in waves.files]
        return wanted

    def _hand_over(self, sink: Sink, state: SourceState, keep: set[JournalFile]) -> None:
        """Index the records held back of the files but ``keep``: no more lines of theirs are coming, or none are waited for."""
        for journal, stream in list(self._streams.items()):
            if journal not in keep:
                self._index(stream.flush(), sink, state, _Reading.of(journal))
            if not stream.kept:
                del self._streams[journal]

    def _look_at_writer(self, sink: Sink, state: SourceState, files: JournalFiles, changed: bool) -> None:
        """Tell, once each, that the followed directory went away or came back, and that its writer exited or came back."""
        directory = self.target.directory
        if directory is not None:
            present, before = os.path.isdir(directory), self._directory_present
            self._directory_present = present
            if present != before:  # how it was at the start was said then
                self._warn(sink, "is there now: followed" if present else "is gone: what was read stays shown, and it is looked for")
        for line in self._writers.look(files.directories, files.present, changed):
            self._warn(sink, line)
        # Nothing comes until a writer does: the status bar says the journal is waited for, not received.
        status = Status.WAITING if self._writers.stopped else Status.RECEIVING
        if state.status in (Status.WAITING, Status.RECEIVING) and state.status != status:
            state.status = status
            sink.changed(state)

    def _read(
        self,
        reading: _Reading,
        stream: EntryStream,
        sink: Sink,
        state: SourceState,
        stop: threading.Event,
        said: set[str] | None,
        waves: Waves | None = None,
    ) -> bool:
        """Index what journalctl writes of ``reading`` until it ends or ``stop``; False when it failed.

        A file's failure is said, and leaves the other files read; ``said``:
        what was said already, not said again (a file that fails at every
        look while following). The failure of files read together is not
        said (``waves``, which takes the entries it gives): the caller
        reads them again one by one; nor is journalctl's end when the wave
        takes no more of its entries.
        """
        command = journalctl_command(reading.files, self._query_arguments, after_cursor=reading.after)
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, pass_fds=reading.passed
            )
        except OSError as error:
            self._fail(sink, state, f"journalctl could not start: {error.strerror or error}")
            return False
        assert process.stdout is not None and process.stderr is not None
        pipe = _Pipe(process.stdout.fileno())
        complaints: list[str] = []
        errors = threading.Thread(target=_collect_lines, args=(process.stderr, complaints), name="logview-journalctl-stderr", daemon=True)
        pipe.start()
        errors.start()
        reader = ExportReader(ENTRY_FIELDS, self._field_sets)
        try:
            while True:
                data, ended = pipe.take(POLL_SECONDS)
                entries = reader.feed(data) if data else None
                if entries is not None and entries.height and waves is not None:
                    entries = entries.head(waves.take(entries["__CURSOR"]))
                    if waves.ended:
                        ended = True  # what journalctl wrote after is read by the next wave, or alone
                if entries is not None and entries.height:
                    self._last_cursor = entries["__CURSOR"][-1] or self._last_cursor
                    self._index(stream.feed(entries, time.monotonic()), sink, state, reading)
                if ended:
                    break
                if stop.is_set():
                    process.terminate()  # what it wrote before is still taken off the pipe and indexed
        finally:
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(END_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            pipe.close()  # journalctl has exited: its output ends, or the thread is waiting for room
            errors.join(END_SECONDS)
            process.stdout.close()
            process.stderr.close()
        cut_short = waves is not None and waves.ended
        failed = process.returncode not in (0, None) and not stop.is_set() and not cut_short
        if reader.pending and not stop.is_set() and not cut_short:
            complaints.insert(0, f"journalctl's output ended inside an entry ({reader.pending:,} bytes left unread)")
        if failed and waves is not None:
            return False
        # A failure is said once, with journalctl's last words as its cause; what it said before are warnings.
        for line in complaints[:-1] if failed else complaints:
            if _first_time(said, line):
                self._warn(sink, line, reading.input_name)
        if failed:
            line = complaints[-1] if complaints else f"journalctl failed (exit status {process.returncode})"
            if _first_time(said, line):
                self._fail(sink, state, line, reading.input_name)
            return False
        return True

    def _index(self, batch: JournalBatch | None, sink: Sink, state: SourceState, reading: _Reading) -> None:
        """Index a batch of the records ``reading`` gave (None: none were complete)."""
        if batch is None:
            return
        with self._lock:
            if self._closed:
                return
            os.pwrite(self._spool.fileno(), batch.text, self._written)
            base, self._written = self._written, self._written + len(batch.text)
        # Before the records can be shown: their details are asked for by their offsets.
        self._details.add(
            base,
            reading.files,
            reading.passed,
            batch.after,
            (batch.first_cursor, batch.cursor),
            batch.lines_per_record,
            batch.entries,
            batch.continued,
        )
        self._add_field_sets(batch, sink)
        sink.append(state, base, known_chunk(batch.text, batch.lines_per_record, batch.times, batch.facets))
        if not self._caught_up:
            sink.changed(state)  # read further: the viewer shows the first records while the rest is read, as a file's
        if self._caught_up:
            # Received as they came: how far each host's clock is from this machine's (host_clocks.py).
            sink.symbols.received(batch.facets, batch.times)
        records = len(batch.lines_per_record)
        self.records += records
        sink.arrived(records)

    def _add_field_sets(self, batch: JournalBatch, sink: Sink) -> None:
        """Each record's set of other fields, its first entry's; a field left out of the sets is said once.

        A batch read without them gives its records the empty set: the codes
        are the records' by their order, so none may be skipped.
        """
        records = len(batch.lines_per_record)
        unsearched = set(self._field_sets.unsearched)
        self._field_sets.append(batch.field_sets if batch.field_sets is not None else np.zeros(records, dtype=np.uint8))
        for name in sorted(unsearched - self._told_unsearched):
            self._told_unsearched.add(name)
            # A warning, so that the viewer says it too: a search for such a value would find nothing, and not say why.
            self._warn(sink, f"{name} is not searched from here on: nearly every entry has a value of its own (the details show it)")

    def _warn(self, sink: Sink, line: str, input_name: str | None = None) -> None:
        """Told as it happens, as the files' source tells a file rotated away unread: what was read is all shown."""
        name = input_name or self.name
        sink.tell(Problem(name, f"{name}: {line}", Severity.WARNING))

    def _fail(self, sink: Sink, state: SourceState, line: str, input_name: str | None = None) -> None:
        """An error: of the whole source, or of one of its files (``input_name``), which leaves the others read."""
        name = input_name or self.name
        text = f"{name}: {line}"
        if input_name is None:
            state.status = Status.ERROR
        state.report(text)
        sink.tell(Problem(name, text))
        sink.changed(state)

    def _read_spool(self, offset: int, size: int) -> bytes:
        with self._lock:
            return b"" if self._closed else os.pread(self._spool.fileno(), size, offset)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._spool.close()
            if self._files is not None:
                self._files.close()


class _Pipe:
    """journalctl's output, taken off its pipe by a thread of its own: journalctl writes on while a batch is indexed."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._chunks: deque[bytes] = deque()
        self._size = 0
        self._ended = False
        #: Nobody takes from it any more (the read ended or failed): the thread stops waiting for room.
        self._closing = False
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._drain, name="logview-journalctl", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _drain(self) -> None:
        while True:
            with self._ready:
                self._ready.wait_for(lambda: self._size < BACKLOG_BYTES or self._closing)
                if self._closing:
                    return
            try:
                data = os.read(self.fd, READ_BYTES)
            except OSError:
                data = b""
            with self._ready:
                if data:
                    self._chunks.append(data)
                    self._size += len(data)
                else:
                    self._ended = True
                self._ready.notify_all()
            if not data:
                return

    def close(self) -> None:
        """Let the thread end, and wait for it: its descriptor is closed after this."""
        with self._ready:
            self._closing = True
            self._ready.notify_all()
        self._thread.join()

    def take(self, timeout: float) -> tuple[bytes, bool]:
        """What was read so far (waiting up to ``timeout`` for some), and whether the output ended."""
        with self._ready:
            self._ready.wait_for(lambda: self._chunks or self._ended, timeout)
            data = b"".join(self._chunks)
            self._chunks.clear()
            self._size = 0
            self._ready.notify_all()
            return data, self._ended and not data


def _descriptors(journal: JournalFile) -> tuple[int, ...]:
    """The descriptors journalctl reads ``journal`` through (``/proc/self/fd/N``): none when it could not be opened."""
    return (journal.fd,) if journal.fd >= 0 else ()


def _first_time(said: set[str] | None, line: str) -> bool:
    """Whether ``line`` is to be said: not said before (``said`` None: nothing is remembered)."""
    if said is None:
        return True
    if line in said:
        return False
    said.add(line)
    return True


def _collect_lines(stream: object, lines: list[str]) -> None:
    for raw in stream:  # type: ignore[attr-defined]
        line = raw.decode("utf-8", "replace").strip()
        if line:
            lines.append(line)
