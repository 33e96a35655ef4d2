"""Wire sources → parsing → index, once, for both the printer and the app.

Each input is opened, its format detected on a sample of its first lines,
and its chunks parsed on a small thread pool (polars releases the GIL) while
the next chunk is being read or inflated; parsed chunks are appended to the
timeline strictly in file order.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from logview.core.config import NamedFormat, formats_for, previous_for
from logview.core.index.parsed_chunk import ParsedChunk
from logview.core.index.status import Severity, Status
from logview.core.index.timeline import SourceState, Timeline
from logview.core.index.written_time import written_time
from logview.core.inputs.archive import ArchivedBytes
from logview.core.inputs.errors import InputError
from logview.core.inputs.file_end import file_end
from logview.core.inputs.opened_input import CHUNK_SIZE, FIRST_CHUNK_SIZE, ByteStore, Chunk, OpenedInput, written_a_while_ago
from logview.core.inputs.opener import open_input
from logview.core.inputs.rotation import parse_rotation_name
from logview.core.parse.chunk_parser import ChunkParser
from logview.core.parse.detect import Format, detect_after, sample_lines
from logview.core.parse.format_set import FormatSet
from logview.core.parse.format_string import LogFormat
from logview.core.parse.json_lines import JsonLinesFormat
from logview.core.record import MAX_RECORD_BYTES
from logview.core.running_sources import NoEvents, RunningSources, SourceEvents

if TYPE_CHECKING:
    from logview.core.sources.source import Source

PARSE_THREADS = 2
#: The viewer's chunks: smaller than the printer's. Each parse thread holds about four times its chunk at its peak,
#: and the viewer stays in memory beside Textual: 4 MB chunks keep its peak on the 10M corpus near half of lnav's
#: (237 against 250 MiB with 6 MB chunks), for an index built about a tenth slower (BENCHMARKS.md).
VIEWER_CHUNK_SIZE = 3 << 20
#: Chunks parsed ahead of the one being appended: bounds memory to a few chunks.
READ_AHEAD = 2
#: Bytes asked of one read of an input: one read on Linux moves at most 0x7ffff000 bytes, and more comes short.
READ_PIECE = 1 << 30
#: Seconds :meth:`Pipeline.close` waits for a read in progress to stop (after the chunk in hand) before closing the inputs.
CLOSE_WAIT = 5.0


@dataclass
class LoadedSource:
    state: SourceState
    #: Where the source's bytes are read back from; None once they cannot be (a truncated file's old text).
    opened: ByteStore | None
    format: Format | None
    parser: ChunkParser | None = None


@dataclass
class Pipeline:
    """Loads inputs into one timeline and keeps what is needed to read records back."""

    user_formats: Sequence[LogFormat] = ()
    #: The config file's formats: each tried, after ``user_formats``, on the inputs whose names it applies to.
    named_formats: Sequence[NamedFormat] = ()
    timeline: Timeline = field(default_factory=Timeline)
    loaded: list[LoadedSource] = field(default_factory=list)
    chunk_size: int = CHUNK_SIZE
    first_chunk_size: int = FIRST_CHUNK_SIZE
    #: The files will be followed: an empty one is opened in place, to be read as it grows.
    growing: bool = False
    #: How whoever shows the records shows bytes that are not UTF-8, for the warning about them: the viewer
    #: replaces them, --print copies them to a pipe and escapes them on a terminal (printer.py).
    invalid_utf8_shown: str = "shown with replacement characters"

    def __post_init__(self) -> None:
        #: Set by :meth:`close`: a read in progress stops after the chunk in hand, and what fails then is no input error.
        self.closing = False
        #: Reads of inputs in progress (:meth:`load_opened`, :meth:`extend`), which :meth:`close` waits for.
        self._reads = 0
        self._reads_done = threading.Condition()
        #: Source id → the size its bytes were found to end at when a read came short: a file that shrank
        #: (truncated, or rewritten shorter) after it was indexed. Its records past that size are gone.
        self.shrunk: dict[int, int] = {}
        self._shrunk_lock = threading.Lock()
        #: Set by :meth:`close`: a FIFO waiting for its writer is read no further.
        self._stop = threading.Event()

    def read_bytes(self, source_id: int, offset: int, length: int) -> bytes:
        """A source's bytes at ``offset``: all ``length`` of them, fewer only when they are gone.

        Fewer when the file shrank since it was indexed (or its bytes could not
        be kept): then where they end is noted in :attr:`shrunk`, for whoever
        shows the records to leave out those whose bytes are gone.
        """
        opened = self.loaded[source_id].opened
        if opened is None:
            self._note_shrunk(source_id, 0)
            return b""
        data = opened.read(offset, min(length, READ_PIECE))
        if len(data) == length:
            return data
        parts = [data]
        got = len(data)
        while data and got < length:
            data = opened.read(offset + got, min(length - got, READ_PIECE))
            parts.append(data)
            got += len(data)
        if got < length:
            self._note_shrunk(source_id, _end_now(opened, offset + got))
        return b"".join(parts)

    def readable_end(self, source_id: int) -> int | None:
        """Where a source's bytes end now if it shrank while being read (its records past it are gone), else None."""
        return self.shrunk.get(source_id)

    def format_of(self, source_id: int) -> Format | None:
        """The format a source is read in (None for plain text, or not known yet): core/source_catalogue.py."""
        return self.loaded[source_id].format

    def source_states(self) -> list[SourceState]:
        """The sources loaded so far, in id order: core/source_catalogue.py."""
        return [loaded.state for loaded in self.loaded]

    def text_lost(self, source_id: int) -> bool:
        """A source's text cannot be read back any more (deleted or replaced since it was read): its error says so."""
        return getattr(self.loaded[source_id].opened, "lost", None) is not None

    def _note_shrunk(self, source_id: int, size: int) -> None:
        with self._shrunk_lock:
            self.shrunk[source_id] = min(size, self.shrunk.get(source_id, size))

    @property
    def errors(self) -> list[str]:
        """The inputs' errors: those of reading them, then why the text of some records could not be read back since."""
        lost = [item.opened.lost for item in self.loaded if isinstance(item.opened, OpenedInput) and item.opened.lost]
        return [error for item in self.loaded for error in item.state.errors] + lost

    @property
    def warnings(self) -> list[str]:
        return [warning for item in self.loaded for warning in item.state.warnings]

    def load(
        self,
        names: Sequence[str],
        on_progress: Callable[[SourceState], None] | None = None,
        on_wait: Callable[[SourceState], None] | None = None,
    ) -> Timeline:
        """Read every input in order, FIFOs last, then merge; the timeline is usable while this runs.

        A FIFO is read once its writer writes or goes, however long that
        takes: the other inputs are read before it, and ``on_wait`` is called
        (after ``on_progress``) when one has nothing written yet, its state
        then "waiting", so that they can be shown meanwhile.
        """
        with ThreadPoolExecutor(PARSE_THREADS, thread_name_prefix="logview-parse") as pool:
            for name in sorted(names, key=_is_fifo):
                if self.closing:
                    break
                self.load_one(name, pool, on_progress, on_wait)
        self.timeline.merge()
        return self.timeline

    def load_one(
        self,
        name: str,
        pool: ThreadPoolExecutor,
        on_progress: Callable[[SourceState], None] | None = None,
        on_wait: Callable[[SourceState], None] | None = None,
    ) -> LoadedSource:
        loaded = self.add_input(name)
        state = loaded.state

        def waiting() -> None:
            state.status = Status.WAITING
            state.report(waiting_for_writer_line(name), Severity.WAITING)
            if on_progress is not None:
                on_progress(state)
            if on_wait is not None:
                on_wait(state)

        try:
            with self._reading():
                opened = open_input(name, growing=self.growing, stop=self._stop, on_wait=waiting)
        except InputError as error:
            if self.growing and _may_appear(name):
                # As tail -F does: a follower opens it once it is created (see :meth:`open_growing`).
                return self._failed(loaded, f"{error} (waiting for it to appear)", Status.WAITING)
            return self._failed(loaded, str(error))
        finally:
            if state.status == Status.WAITING and state.waiting[-1:] == [waiting_for_writer_line(name)]:
                state.problems.pop()  # written to, or the viewer is closing: it is read, or is not waited for any longer
                state.status = Status.READING
        if self.closing:  # closed while the FIFO waited for its writer: its input is not among those closed
            opened.close()
            state.status = Status.DONE
            return loaded
        self.load_opened(loaded, opened, pool, on_progress)
        if not self.growing:
            opened.park()  # not followed: its descriptor is let go, and its path opened again when its text is read
        return loaded

    def add_input(self, name: str) -> LoadedSource:
        """A new input, with nothing read yet: its source id is its place in :attr:`loaded`, whichever source adds one meanwhile."""
        with self._reads_done:
            loaded = LoadedSource(self.timeline.add_source(name), None, None)
            self.loaded.append(loaded)
        return loaded

    def load_opened(
        self, loaded: LoadedSource, opened: OpenedInput, pool: ThreadPoolExecutor, on_progress: Callable[[SourceState], None] | None = None
    ) -> LoadedSource:
        """Read an opened input whole, as the input ``loaded`` (added by :meth:`add_input`)."""
        state = loaded.state
        name = state.name
        loaded.opened = opened
        state.written_at = written_time(_modified(name))
        try:
            with self._reading():
                self._read_chunks(loaded, opened, pool, on_progress)
        except Exception as error:  # noqa: BLE001 - a user's file must never end the program
            if not self.closing:  # else the viewer was closed in the middle: the input is fine
                state.report(f"{name}: cannot read past byte {state.bytes_indexed}: {type(error).__name__}: {error}")
        report_opened(state, opened)
        if state.invalid_utf8 and not opened.binary:
            state.report(f"{name}: invalid UTF-8, {self.invalid_utf8_shown}", Severity.WARNING)
        state.status = Status.ERROR if state.errors else Status.DONE
        if on_progress is not None:
            on_progress(state)
        return loaded

    def open_growing(self, name: str, waiting: LoadedSource | None = None, opened: OpenedInput | None = None) -> LoadedSource:
        """Add a plain file that is being written as a source, with nothing read yet: :meth:`extend` reads it.

        ``waiting`` is the source that waited for ``name`` to appear (a path
        given that did not exist yet): the file becomes that source, which is
        no longer an input error, rather than one more source of that name.

        Raises InputError when it cannot be opened, or is not a plain file;
        no source is added (or ``waiting`` waits on) then. ``opened``: the
        file already opened (a follower grabbed it before it was rotated away).
        """
        opened = opened or open_input(name, growing=True)
        if opened.compression is not None or opened.streamed:
            opened.close()
            raise InputError(f"{name}: cannot be followed (compressed, or not a regular file)")
        loaded = waiting or self.add_input(name)
        loaded.opened = opened
        loaded.state.problems.clear()
        loaded.state.status = Status.FOLLOWING
        return loaded

    def add_growing(self, name: str, store: ByteStore, log_format: Format) -> LoadedSource:
        """Add a source whose bytes another part of logview writes (a queue's spool), in a known format; its status is its own."""
        loaded = self.add_input(name)
        loaded.opened, loaded.format, loaded.parser = store, log_format, ChunkParser(log_format, self.timeline.symbols)
        loaded.state.format_name = format_name(log_format)
        return loaded

    def start(
        self,
        sources: Sequence[Source],
        events: SourceEvents | None = None,
        stop: threading.Event | None = None,
        in_turn: bool = False,
    ) -> RunningSources:
        """Run ``sources`` into this pipeline's timeline, each on its thread, until ``stop`` (see core/running_sources.py)."""
        return RunningSources(self, sources, events or NoEvents(), stop, in_turn)

    def extend(self, loaded: LoadedSource, complete: bool = False) -> int:
        """Index what was written to a plain file since it was last read; return the records added or grown.

        A record grows when lines written after it was read continue it (the
        rest of a traceback): a view must draw it again, so it counts.

        Only whole lines are read while the file may still be written: a line
        whose end has not been written yet is read with the next call. When
        ``complete`` (the writer has moved on to a new file), or when nothing
        was written for a while (a file that does not end with a newline), the
        rest is read; what is written after it then continues that line.
        """
        opened = loaded.opened
        if not isinstance(opened, OpenedInput) or self.closing:
            return 0
        with self._reading():
            return self._extend(loaded, opened, complete)

    def _extend(self, loaded: LoadedSource, opened: OpenedInput, complete: bool) -> int:
        state = loaded.state
        before, grown = len(self.timeline), 0
        status = os.fstat(opened.store_fd)
        size = status.st_size
        state.written_at = written_time(status.st_mtime)
        complete = complete or written_a_while_ago(status)
        start = state.bytes_indexed
        while start < size and not self.closing:
            data = opened.read(start, min(self.chunk_size, size - start))
            if not data:
                break
            rest, rest_ends_line = 0, False
            if start + len(data) < size or not complete:
                cut = data.rfind(b"\n") + 1
                if cut:
                    data = data[:cut]
                else:
                    # One line longer than a chunk: read to its end, if it has one yet, up to MAX_RECORD_BYTES.
                    end = opened.line_end_after(start + len(data), size)
                    if end is None and not complete:
                        break
                    length = (end or size) - start
                    rest, rest_ends_line = max(0, length - MAX_RECORD_BYTES), end is not None
                    data = opened.read(start, length - rest)
            if loaded.parser is None:
                loaded.format = self._detect(loaded, self._sample(opened, data) if start == 0 else sample_lines(data))
                state.format_name = format_name(loaded.format)
                loaded.parser = ChunkParser(loaded.format, self.timeline.symbols)
            parsed = loaded.parser.parse(data, rest, rest_ends_line)
            grown += 1 if parsed.lead and state.records else 0
            self.timeline.append(state, start, parsed)
            start += len(data) + rest
        return len(self.timeline) - before + grown

    def _failed(self, loaded: LoadedSource, error: str, now: Status = Status.ERROR) -> LoadedSource:
        """An input that could not be opened; ``now`` WAITING when a follower will open it once it exists."""
        loaded.state.report(error, Severity.WAITING if now == Status.WAITING else Severity.ERROR)
        loaded.state.status = now
        return loaded

    def _read_chunks(
        self, loaded: LoadedSource, opened: OpenedInput, pool: ThreadPoolExecutor, on_progress: Callable[[SourceState], None] | None
    ) -> None:
        state = loaded.state
        parser: ChunkParser | None = None
        pending: deque[tuple[int, Future[ParsedChunk]]] = deque()
        try:
            for chunk in opened.chunks(self.chunk_size, self.first_chunk_size):
                if self.closing:
                    break
                if parser is None:
                    first = chunk.load(opened)
                    loaded.format = self._detect(loaded, self._sample(opened, first))
                    state.format_name = format_name(loaded.format)
                    parser = loaded.parser = ChunkParser(loaded.format, self.timeline.symbols)
                    if opened.compression is None and chunk.offset == 0:
                        self._reserve_for(opened, first)
                    del first
                pending.append((chunk.offset, pool.submit(_parse, parser, opened, chunk)))
                first_of_timeline = len(self.timeline) == 0 and chunk.offset == 0
                del chunk
                # The very first chunk (a small one) is appended at once: a viewer shows it while the rest is read;
                # so is all that was read of a pipe whose writer is silent (tail -f app.log | logview).
                ahead = 0 if first_of_timeline or opened.writer_silent() else READ_AHEAD
                while len(pending) > ahead:
                    self._append(state, *pending.popleft(), on_progress)
        finally:
            # What was read before any failure is still indexed.
            while pending:
                self._append(state, *pending.popleft(), on_progress)

    def detect(self, loaded: LoadedSource, opened: OpenedInput, first_chunk: bytes) -> Format | None:
        """The format of an input just added to :attr:`loaded`, from its first chunk (and a plain file's end), as a read detects it."""
        return self._detect(loaded, self._sample(opened, first_chunk))

    @staticmethod
    def _sample(opened: OpenedInput, head: bytes) -> list[str]:
        """The lines an input's format is detected on: its first, and a plain file's last (a format changed since)."""
        if opened.streamed:
            return sample_lines(head)
        try:
            tail, tail_offset = file_end(opened.store_fd)
        except OSError:
            return sample_lines(head)
        return sample_lines(head, tail=tail, tail_offset=tail_offset)

    def _detect(self, loaded: LoadedSource, sample: list[str]) -> Format | None:
        """The format of a new input, the previous input's when it reads the sample as well."""
        name = loaded.state.name
        # The inputs added before this one (a source id is its place in ``loaded``).
        previous = next((item.format for item in reversed(self.loaded[: loaded.state.id]) if item.format is not None), None)
        previous = previous_for(name, previous, self.named_formats)
        return detect_after(sample, previous, formats_for(name, self.user_formats, self.named_formats))

    def _append(
        self, state: SourceState, base: int, future: Future[ParsedChunk], on_progress: Callable[[SourceState], None] | None
    ) -> None:
        self.timeline.append(state, base, future.result())
        if on_progress is not None:
            on_progress(state)

    def _reserve_for(self, opened: OpenedInput, first_chunk: bytes) -> None:
        """Size the columns from the file size and the first chunk's bytes per line."""
        if opened.streamed:
            return  # a pipe: its size is not known (its spool holds other inputs too)
        try:
            size = os.fstat(opened.store_fd).st_size
        except OSError:
            return
        lines = first_chunk.count(b"\n") or 1
        expected = int(size / (len(first_chunk) / lines) * 1.02) + 1024
        self.timeline.reserve(len(self.timeline) + expected)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """A read (or the opening) of an input, which :meth:`close` waits for."""
        with self._reads_done:
            self._reads += 1
        try:
            yield
        finally:
            with self._reads_done:
                self._reads -= 1
                self._reads_done.notify_all()

    def close(self) -> None:
        """Stop the reads in progress, then close the inputs.

        The viewer closes the pipeline when it quits, perhaps while a big
        file is still read on another thread. Closing the file under that read
        made it fail ("Bad file descriptor"), which was then reported as an
        input error, and the viewer exited with 1; and a descriptor closed
        under a reader may be given to a file opened meanwhile. So the read is
        told to stop, and waited for: it stops after the chunk in hand, within
        a fraction of a second (CLOSE_WAIT at most); a read of a pipe whose
        writer says nothing (``tail -f app.log | logview``) stops at once.
        """
        with self._reads_done:
            self.closing = True
            self._stop.set()
            loaded = [item.opened for item in self.loaded if item.opened is not None]
        for opened in loaded:
            if isinstance(opened, OpenedInput):
                opened.stop_reading()  # a pipe's read returns now, without waiting for its writer
        with self._reads_done:
            self._reads_done.wait_for(lambda: self._reads == 0, timeout=CLOSE_WAIT)
        for opened in loaded:
            opened.close()


def report_opened(state: SourceState, opened: OpenedInput) -> None:
    """Note what reading an opened input found wrong (a damaged archive, a cut record) as the source's problems."""
    for error in opened.errors:
        state.report(error)
    for warning in opened.warnings:
        state.report(warning, Severity.WARNING)


def waiting_for_writer_line(name: str) -> str:
    """What is said of a FIFO that nothing was written to yet, while its writer is waited for."""
    return f"{name}: FIFO with nothing written to it yet (waiting for a writer)"


def _is_fifo(name: str) -> bool:
    try:
        return name != "-" and stat.S_ISFIFO(os.stat(name).st_mode)
    except OSError:
        return False


def _may_appear(name: str) -> bool:
    """Whether ``name`` is a file a follower can wait for: one a handler writes, missing, in a directory or not (yet).

    As ``tail -F`` keeps retrying: a missing directory is waited for too, the
    follower watching its nearest ancestor that exists (see
    :meth:`Follower.directories`). Not a rotated copy or a compressed file,
    which is not followed once it exists, nor a path through a file, which
    can never be a directory: those stay plain errors.
    """
    if parse_rotation_name(name).base != name:
        return False
    try:
        os.stat(name)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    # There after all: created since it was looked for, or not readable for another cause (which is not waited out).
    return False


def _end_now(store: ByteStore, read_to: int) -> int:
    """Where a store's bytes end, after a read that stopped at ``read_to``: a read that begins past the end stops where it began."""
    if isinstance(store, OpenedInput):
        if store.lost is not None:
            return 0  # deleted or replaced since it was read: none of its bytes are there (its error says so)
        with contextlib.suppress(OSError, InputError):
            return min(read_to, os.fstat(store.store_fd).st_size)
    if isinstance(store, ArchivedBytes):
        return min(read_to, store.length)
    return read_to


def _parse(parser: ChunkParser, opened: OpenedInput, chunk: Chunk) -> ParsedChunk:
    return parser.parse(chunk.take(opened), chunk.rest, chunk.rest_ends_line)


def _modified(name: str) -> float:
    """When a file was last written; now for standard input (being read now) or a file gone since it was opened."""
    try:
        return os.stat(name).st_mtime if name != "-" else time.time()
    except OSError:
        return time.time()


def format_name(log_format: Format | None) -> str:
    if isinstance(log_format, LogFormat | FormatSet):
        return log_format.fmt
    if isinstance(log_format, JsonLinesFormat):
        return log_format.name
    return "plain text"
