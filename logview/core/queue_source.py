"""Records from a logging queue, drained as QueueListener drains it, into the timeline.

A program's processes log through ``logging.handlers.QueueHandler`` into a
``queue.Queue`` or ``multiprocessing.Queue``; this source takes the records
off it in batches, off the UI thread, writes them as text to a spool file
(so that search, read-back and the detail view treat them like a file's
records) and indexes each batch from the fields already in hand: no text is
parsed. The Python work per record is the one QueueListener itself does
(taking it off the queue), plus one formatted line and a dict look-up of its
level, logger and process.

Records keep their real fields: created, levelname, name, process,
processName, thread and threadName. ``QueueHandler.prepare`` has already put
the formatted message, traceback included, into ``msg``; a record put on the
queue without it gets its traceback formatted here.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from logview.core.parse.chunk_parser import ChunkParser, known_chunk
from logview.core.parse.format_string import compile_format
from logview.core.pipeline import LoadedSource, Pipeline
from logview.core.sources.opener import OpenedInput

#: Records taken off the queue before they are handed to the index.
BATCH_RECORDS = 20_000
#: Seconds between batches: new records show this soon.
BATCH_SECONDS = 0.05
#: What QueueListener takes as "stop" (``QueueListener._sentinel``).
SENTINEL = None


class LogQueue(Protocol):
    """What is used of ``queue.Queue`` and ``multiprocessing.Queue``."""

    def get(self, block: bool = True, timeout: float | None = None) -> Any: ...

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None: ...


#: How a queue's records are written to its spool, to be read back like a file's (tabs: names may hold spaces).
SPOOL_FORMAT = "%(asctime)s\t%(levelname)s\t%(name)s\t%(process)s\t%(processName)s\t%(threadName)s\t%(message)s"


class QueueSource:
    """One queue as a source of the pipeline's timeline."""

    def __init__(self, log_queue: LogQueue, pipeline: Pipeline, name: str = "logging queue") -> None:
        self.queue = log_queue
        self.pipeline = pipeline
        self.records = 0
        #: The queue said stop (QueueListener's sentinel).
        self.ended = False
        self._spool = tempfile.TemporaryFile(prefix="logview-queue-")  # noqa: SIM115 - closed by close()
        self._written = 0
        opened = OpenedInput(name=name, compression=None, _stream=None, _store_fd=os.dup(self._spool.fileno()), _spool=None, growing=True)
        log_format = compile_format(SPOOL_FORMAT)
        # The parser reads the spool's text again only if the file is extended by its bytes (never, as a rule).
        self.loaded: LoadedSource = pipeline.add_growing(name, opened, log_format, ChunkParser(log_format, pipeline.timeline.symbols))
        self.loaded.state.format_name = "logging queue"
        self._formatter = logging.Formatter()
        #: Facet codes by (levelno, levelname, logger, pid, process name): a dict look-up per record.
        self._facets: dict[tuple[int, str, str, int | None, str | None], int] = {}
        #: Records taken off the queue and not indexed yet.
        self._arrived: deque[logging.LogRecord] = deque()

    def take(self) -> None:
        """Take records off the queue as they come, until QueueListener's sentinel; run by a thread of its own.

        Like QueueListener: a blocking ``get`` per record and nothing else,
        so that a flood of records is taken off as fast as the bare listener
        would; they are formatted and indexed in batches by :meth:`drain`.
        """
        get, arrived = self.queue.get, self._arrived
        while True:
            record = get()
            if record is SENTINEL:
                break
            arrived.append(record)
        self.ended = True

    def drain(self) -> int:
        """Index the records taken off the queue since the last call (up to a batch); return how many."""
        arrived = self._arrived
        count = min(len(arrived), BATCH_RECORDS)
        if count == 0:
            return 0
        records = [arrived.popleft() for _ in range(count)]
        created = np.fromiter((record.created for record in records), dtype=np.float64, count=count)
        # Wall-clock time, like asctime in a file written beside the queue; its text made for the whole batch at once.
        times = np.round((created + _utc_offset(float(created[0]))) * 1000).astype(np.int64)
        stamps = np.char.replace(np.char.replace(np.datetime_as_string(times.astype("datetime64[ms]")), "T", " "), ".", ",")
        facets: list[int] = []
        texts: list[str] = []
        facet_of, new_facet = self._facets.get, self._new_facet
        for record, stamp in zip(records, stamps.tolist(), strict=True):
            texts.append(
                f"{stamp}\t{record.levelname}\t{record.name}\t{record.process}\t{record.processName}\t"
                f"{record.threadName}\t{self._message(record)}\n"
            )
            key = (record.levelno, record.levelname, record.name, record.process, record.processName)
            facet = facet_of(key)
            facets.append(new_facet(key) if facet is None else facet)
        data = "".join(texts).encode("utf-8", "replace")
        lines_per_record = np.fromiter((text.count("\n") for text in texts), dtype=np.int64, count=count)
        parsed = known_chunk(data, lines_per_record, times, np.array(facets, dtype=np.uint32))
        os.pwrite(self._spool.fileno(), data, self._written)
        base, self._written = self._written, self._written + len(data)
        self.pipeline.timeline.append(self.loaded.state, base, parsed)
        self.records += count
        return count

    def run(self, stop: threading.Event, on_batch: Callable[[int], None]) -> None:
        """Drain until ``stop`` is set or the queue says stop; ``on_batch`` gets each batch's record count.

        When ``stop`` comes first, the sentinel is put on the queue, as
        ``QueueListener.stop`` does, to end the thread waiting on it.
        """
        taker = threading.Thread(target=self.take, name="logview-queue", daemon=True)
        taker.start()
        while True:
            done = self.ended
            added = self.drain()
            if added:
                on_batch(added)
            if done and not self._arrived:
                break
            # Batches of one interval's records: a batch's fixed cost is paid a few times a second, not per record.
            if len(self._arrived) < BATCH_RECORDS and stop.wait(BATCH_SECONDS):
                break
        if not self.ended:
            self.queue.put(SENTINEL)
            taker.join(1.0)
        self.loaded.state.state = "done"

    def _new_facet(self, key: tuple[int, str, str, int | None, str | None]) -> int:
        """The facet code of a (level, logger, process) seen for the first time; kept for the next records."""
        levelno, levelname, logger, pid, process_name = key
        symbols = self.pipeline.timeline.symbols
        level = symbols.levels.code(levelname)
        symbols.levels.set_number(level, levelno)
        facet = self._facets[key] = symbols.facets.code(level, symbols.loggers.code(logger), symbols.processes.code(pid, process_name))
        return facet

    def _message(self, record: logging.LogRecord) -> str:
        """The message, traceback included: QueueHandler.prepare has put it in ``msg`` already, as a rule."""
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            message = f"{message}\n{record.exc_text}"
        if record.stack_info:
            message = f"{message}\n{record.stack_info}"
        return message

    def close(self) -> None:
        self._spool.close()


_offsets: dict[int, int] = {}


def _utc_offset(created: float) -> int:
    """Seconds east of UTC at that moment (cached per hour: DST changes on the hour)."""
    hour = int(created) // 3600
    offset = _offsets.get(hour)
    if offset is None:
        offset = _offsets[hour] = time.localtime(created).tm_gmtoff
    return offset
