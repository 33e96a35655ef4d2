"""The one shape of every source of records: files, a logging queue, a socket listener.

A source is started by :meth:`logview.core.pipeline.Pipeline.start`, which
runs it on a thread of its own and hands it a :class:`Sink`: the only way it
adds to the index (``add_source``, ``append``) and tells whoever shows the
records what happened (``arrived``, ``tell``, ``changed``, ``caught_up``).
A source changes its own inputs' status (a ``SourceState``), and nothing
else does. Adding a kind of source is one module here and one line where
the command line lists the sources (``source_kinds.sources_for``).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from logview.core.index.parsed_chunk import ParsedChunk
    from logview.core.index.status import Problem, Status
    from logview.core.index.symbols import Symbols
    from logview.core.index.timeline import SourceState
    from logview.core.inputs.opened_input import ByteStore
    from logview.core.parse.detect import Format


class Sink(Protocol):
    """What a running source may do to the index, and whom it tells: given by Pipeline.start."""

    @property
    def symbols(self) -> Symbols:
        """The index's level, logger and process tables: a source that reads fields itself codes them here."""
        ...

    def add_source(self, name: str, store: ByteStore, log_format: Format, format_name: str) -> SourceState:
        """A new input whose text the source writes to ``store`` in ``log_format``: the index reads records back from it."""
        ...

    def append(self, source: SourceState, base: int, parsed: ParsedChunk) -> None:
        """Index one parsed chunk of ``source`` that starts at byte ``base`` of its store."""
        ...

    def expect(self, records: int) -> None:
        """About this many records are coming: the index sizes its columns once, as for a file of known size, not by doubling."""
        ...

    def arrived(self, count: int) -> None:
        """``count`` records were added or grew since the last call; 0 for a look that found nothing new."""
        ...

    def tell(self, problem: Problem) -> None:
        """Something the user should hear of now: a file rotated away unread, a sender's bad record, where a listener listens."""
        ...

    def changed(self, source: SourceState) -> None:
        """An input's status or progress changed (read further, waiting for a FIFO's writer)."""
        ...

    def caught_up(self, source: Source) -> None:
        """Everything written before the source started is indexed: what comes from now on comes live."""
        ...


class Source(Protocol):
    """A producer of records, run by Pipeline.start until ``stop`` is set."""

    #: What the user calls it: the paths, "logging queue", "listening on 127.0.0.1:9020".
    name: str
    #: The kind of source: "files", "queue", "socket".
    kind: str

    @property
    def status(self) -> Status:
        """Where the source is: READING until it caught up, then FOLLOWING or RECEIVING, DONE or ERROR once it ended."""
        ...

    @property
    def problems(self) -> list[Problem]:
        """The source's own problems, beyond its inputs' (each input's are in its SourceState): a glob that matches nothing."""
        ...

    def run(self, sink: Sink, stop: threading.Event) -> None:
        """Produce records into ``sink`` until ``stop`` is set or the source ends; its own errors become its problems.

        What is read before a stop is indexed before this returns. An
        exception raised here is not the source's input's fault: it is the
        sink's (the output failed) or a bug, and Pipeline.start raises it
        again where the sources were started.
        """
        ...

    def close(self) -> None:
        """Let go of what the source holds (descriptors, spools, sockets), once its records are no longer read."""
        ...
