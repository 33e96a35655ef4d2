"""Records from a logging queue, drained as QueueListener drains it, into the timeline.

A program's processes log through ``logging.handlers.QueueHandler`` into a
``queue.Queue`` or ``multiprocessing.Queue``; this source takes the records
off it, off the UI thread, writes them as text to a spool file (so that
search, read-back and the detail view treat them like a file's records) and
indexes them from the fields already in hand: no text is parsed.

One thread does it all, like QueueListener: a blocking ``get`` per record,
and every ``BATCH_SECONDS`` the records taken so far are written and indexed
as one batch. A second thread doing the batches would only take the GIL
from the taking thread. A batch's work is done a column at a time with
C-level loops (``map``, ``zip``, ``str.join``), so that the Python work
per record is little more than QueueListener's own. Only the fields are
kept until the batch is done, not the records, so the garbage collector has
little more to look at than it has under QueueListener.

Records keep their real fields: created, levelname, name, process,
processName, thread and threadName. ``QueueHandler.prepare`` has already put
the formatted message, traceback included, into ``msg``; a record put on the
queue without it gets its message and traceback formatted here.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from itertools import repeat
from operator import add, attrgetter, is_not
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from logview.core.index.parsed_chunk import known_chunk
from logview.core.index.status import Problem, Status
from logview.core.inputs.opened_input import OpenedInput
from logview.core.sources.queue_fields import text_of, usable_fields
from logview.core.sources.queue_pipe import pipe_reader
from logview.core.sources.spool_format import spool_format
from logview.core.zones import shown_in_utc

if TYPE_CHECKING:
    from logview.core.index.timeline import SourceState
    from logview.core.sources.source import Sink

#: Seconds between batches: new records are indexed this soon.
BATCH_SECONDS = 0.05
#: Seconds a stop waits for the records already on the queue to be taken (a flood's backlog, as a rule well under one).
STOP_SECONDS = 5.0
#: What QueueListener takes as "stop" (``QueueListener._sentinel``).
SENTINEL = None
#: The fields kept of each record until its batch is written.
RECORD_FIELD_NAMES = (
    "created",
    "levelno",
    "levelname",
    "name",
    "process",
    "processName",
    "threadName",
    "msg",
    "args",
    "exc_info",
    "exc_text",
    "stack_info",
)
RECORD_FIELDS = attrgetter(*RECORD_FIELD_NAMES)
#: ",000" … ",999": the milliseconds of asctime.
_MILLISECONDS = [f",{millis:03d}" for millis in range(1000)]


class LogQueue(Protocol):
    """What is used of ``queue.Queue`` and ``multiprocessing.Queue``."""

    def get(self, block: bool = True, timeout: float | None = None) -> Any: ...

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None: ...


#: How a queue's records are written to its spool, to be read back like a file's (tabs: names may hold spaces).
SPOOL_FORMAT = "%(asctime)s\t%(levelname)s\t%(name)s\t%(process)s\t%(processName)s\t%(threadName)s\t%(message)s"
#: The same for records that say which host they come from (a listener's: socket_listener.py sets ``hostname``).
HOSTS_SPOOL_FORMAT = SPOOL_FORMAT.replace("\t%(message)s", "\t%(hostname)s\t%(message)s")


class QueueSource:
    """One queue as a source of records (core/sources/source.py).

    ``stop_writers``: how a stop ends the thread waiting on the queue when
    something else puts records on it (a SocketListener's close, which puts
    the sentinel after the last record it received); by default the
    sentinel is put on the queue, as ``QueueListener.stop`` does.
    """

    kind = "queue"

    def __init__(
        self, log_queue: LogQueue, name: str = "logging queue", stop_writers: Callable[[], None] | None = None, with_hosts: bool = False
    ) -> None:
        """``with_hosts``: every record has a ``hostname`` (a listener's), which is kept as its host (symbols.ProcessTable)."""
        self.queue = log_queue
        self.name = name
        self.stop_writers = stop_writers
        self.with_hosts = with_hosts
        self._fields = attrgetter(*RECORD_FIELD_NAMES, "hostname") if with_hosts else RECORD_FIELDS
        self.records = 0
        #: The queue said stop (QueueListener's sentinel), or taking records failed.
        self.ended = False
        #: Why taking records failed: something on the queue that is not a record, as a rule.
        self.error: Exception | None = None
        self._spool = tempfile.TemporaryFile(prefix="logview-queue-")  # noqa: SIM115 - closed by close()
        self._written = 0
        #: The spool's times are written as the viewer shows times, so that its text and its time column agree.
        self._converter = time.gmtime if shown_in_utc() else time.localtime
        #: The index, and the queue's input in it: given when the source is run.
        self._sink: Sink | None = None
        #: What telling the sink of a batch raised (the printer's output closed): not a problem of the queue.
        self._sink_failure: BaseException | None = None
        self.state: SourceState | None = None
        self._formatter = logging.Formatter()
        #: Facet codes by (levelno, levelname, logger, pid, process name, host): a dict look-up per record.
        self._facets: dict[tuple[int, str, str, int | None, str | None, str | None], int] = {}
        #: asctime's text up to the second, by second: a batch's records share a few seconds.
        self._seconds: dict[int, str] = {}
        #: The fields (``RECORD_FIELDS``) of the records taken off the queue and not indexed yet.
        self._taken: list[tuple[Any, ...]] = []
        #: Held while a batch is indexed: by the taking thread in a flood, by :meth:`run` when records trickle in.
        self._indexing = threading.Lock()
        self._indexed_at = time.monotonic()
        #: The spool is closed (the viewer quit): records taken from now on are not indexed.
        self._closed = False

    @property
    def status(self) -> Status:
        return self.state.status if self.state is not None else Status.READING

    @property
    def problems(self) -> list[Problem]:
        """None of its own: a queue's problems are its input's (``state``), as a file's are."""
        return []

    def take(self) -> None:
        """Take records off the queue as they come, until QueueListener's sentinel; run by a thread of its own.

        Like QueueListener, a blocking ``get`` per record; a multiprocessing
        queue's pipe is read many records at a time (:mod:`queue_pipe`), so
        that the UI thread cannot starve this one. While records keep
        coming, this thread indexes them itself every ``BATCH_SECONDS``.
        Records read after the sentinel in the same read are indexed too:
        they are out of the pipe.
        """
        reader = pipe_reader(self.queue)
        get = self.queue.get
        take_some = reader.records if reader is not None else lambda: [get()]
        taken, fields, clock = self._taken, self._fields, time.monotonic
        due = clock() + BATCH_SECONDS
        try:
            ended = False
            while not ended:
                for record in take_some():
                    if record is SENTINEL:
                        ended = True
                    else:
                        taken.append(fields(record))
                if clock() >= due:
                    self.index_taken()
                    due = clock() + BATCH_SECONDS
        except Exception as error:  # noqa: BLE001 - raised again by run(), on the thread that reports it
            if error is not self._sink_failure:
                self.error = error
        self.ended = True

    def index_taken(self) -> int:
        """Index the records taken off the queue so far; return how many."""
        with self._indexing:
            count = len(self._taken)
            if count == 0 or self._closed:
                return 0
            batch = self._taken[:count]
            del self._taken[:count]  # the taking thread may have appended more meanwhile: they stay
            self._index(batch)
            self._indexed_at = time.monotonic()
        if self._sink is not None:
            try:
                self._sink.arrived(count)
            except BaseException as failure:
                self._sink_failure = failure  # the output's, not the queue's: run() raises it again
                raise
        return count

    def _index(self, batch: list[tuple[Any, ...]]) -> None:
        count = len(batch)
        columns = list(zip(*batch, strict=True))
        hosts: tuple[Any, ...] = columns.pop() if self.with_hosts else (None,) * count
        *as_given, msg, args, exc_info, exc_text, stack_info = columns
        # A record put on the queue in-process can hold anything: odd fields are made usable (queue_fields.py).
        moments, levelno, levelname, name, process, process_name, thread_name = usable_fields(*as_given)
        # "is None", not tuple.count(None): that compares with ==, which an odd argument may answer with an error.
        prepared = not any(any(map(is_not, column, repeat(None))) for column in (args, exc_info, exc_text, stack_info))
        messages: Any = msg if prepared and set(map(type, msg)) == {str} else list(map(self._message, batch))
        # ``created`` is UTC already: the index's unit. The spool's text shows it in the zone times are shown in.
        times = np.round(moments * 1000).astype(np.int64)
        seconds, millis = (times // 1000).tolist(), (times % 1000).tolist()
        for second in set(seconds).difference(self._seconds):
            self._seconds[second] = time.strftime("%Y-%m-%d %H:%M:%S", self._converter(second))
        stamps = map(add, map(self._seconds.__getitem__, seconds), map(_MILLISECONDS.__getitem__, millis))
        # str(): a process or thread name is None when logging.logMultiprocessing or logThreads is off.
        texts = (levelname, name, process, process_name, thread_name, *((hosts,) if self.with_hosts else ()))
        lines = zip(stamps, *(map(str, column) for column in texts), messages, strict=True)
        data = ("\n".join(map("\t".join, lines)) + "\n").encode("utf-8", "replace")
        lines_per_record = np.fromiter(map(str.count, messages, repeat("\n")), dtype=np.int64, count=count) + 1
        keys = list(zip(levelno, levelname, name, process, process_name, hosts, strict=True))
        facets = list(map(self._facets.get, keys))
        if None in facets:
            facets = [self._new_facet(key) if facet is None else facet for key, facet in zip(keys, facets, strict=True)]
        parsed = known_chunk(data, lines_per_record, times, np.array(facets, dtype=np.uint32))
        os.pwrite(self._spool.fileno(), data, self._written)
        base, self._written = self._written, self._written + len(data)
        assert self._sink is not None and self.state is not None  # run() registered the queue before it took records
        self._sink.append(self.state, base, parsed)
        if self.with_hosts:
            # Each record received now: how far its host's clock is from this machine's (index/host_clocks.py).
            self._sink.symbols.received(parsed.facet, times)
        self.records += count

    def run(self, sink: Sink, stop: threading.Event) -> None:
        """Drain until ``stop`` is set or the queue says stop; each batch's records are told to ``sink`` as they are indexed.

        The taking thread indexes while records keep coming; this one indexes
        what it left when they stop coming. When ``stop`` comes first, the
        thread waiting on the queue is ended (``stop_writers``, else the
        sentinel). The records before the sentinel are still taken and
        indexed (for ``STOP_SECONDS`` at most): none that was received is
        lost. Something on the queue that is not a record stops the source:
        its status is then ERROR, and its problem says why.
        """
        spool = OpenedInput(
            name=self.name, compression=None, _stream=None, _store_fd=os.dup(self._spool.fileno()), _spool=None, growing=True
        )
        state = sink.add_source(
            self.name,
            spool,
            spool_format(HOSTS_SPOOL_FORMAT if self.with_hosts else SPOOL_FORMAT, written_in_utc=shown_in_utc()),
            "logging queue",
        )
        # Not FOLLOWING: a queue's records come whole, none is extended by lines read later (Status.may_grow).
        state.status = Status.RECEIVING
        self._sink, self.state = sink, state
        sink.caught_up(self)  # a queue has no past: what is on it comes now
        taker = threading.Thread(target=self.take, name="logview-queue", daemon=True)
        taker.start()
        while True:
            done = self.ended
            # Twice the interval: until then the taking thread, if records keep coming, indexes them itself.
            if done or time.monotonic() - self._indexed_at >= 2 * BATCH_SECONDS:
                self.index_taken()
            if done and not self._taken:
                break
            if stop.wait(BATCH_SECONDS):
                break
        if not self.ended:
            if self.stop_writers is not None:
                self.stop_writers()
            else:
                self.queue.put(SENTINEL)
            taker.join(STOP_SECONDS)
            self.index_taken()
        if self._sink_failure is not None:
            raise self._sink_failure
        if self.error is None:
            state.status = Status.DONE
            return
        state.status = Status.ERROR
        line = f"{self.name}: stopped: {type(self.error).__name__}: {self.error}"
        state.report(line)
        sink.tell(Problem(self.name, line))

    def _new_facet(self, key: tuple[int, str, str, int | None, str | None, str | None]) -> int:
        """The facet code of a (level, logger, process) seen for the first time; kept for the next records."""
        levelno, levelname, logger, pid, process_name, host = key
        assert self._sink is not None
        symbols = self._sink.symbols
        level = symbols.levels.code(levelname)
        symbols.levels.set_number(level, levelno)
        facet = self._facets[key] = symbols.facets.code(
            level, symbols.loggers.code(logger), symbols.processes.code(pid, process_name, host)
        )
        return facet

    def _message(self, fields: tuple[Any, ...]) -> str:
        """The message of a record that QueueHandler.prepare did not format: as ``LogRecord.getMessage`` and a Formatter make it.

        What the program put there is shown, not raised: arguments that do
        not fit the message, an ``exc_info`` that is not one.
        """
        *_, msg, args, exc_info, exc_text, stack_info = fields
        message = text_of(msg)
        try:
            if args:
                message = message % args
        except Exception as error:  # noqa: BLE001 - the program's mistake
            message = f"{message} (arguments {text_of(args)} not formatted: {error})"
        try:
            if exc_info and not exc_text:
                exc_text = self._formatter.formatException(exc_info)
        except Exception:  # noqa: BLE001 - not an exc_info tuple
            exc_text = f"(exc_info {text_of(exc_info)} is not an exception)"
        for more in (exc_text, stack_info):
            if more is not None and more is not False and not (isinstance(more, str) and not more):
                message = f"{message}\n{text_of(more)}"
        return message

    def close(self) -> None:
        """Close the spool; a batch being indexed is finished first, and none is indexed after."""
        with self._indexing:
            self._closed = True
            self._spool.close()
