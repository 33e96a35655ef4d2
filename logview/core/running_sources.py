"""Sources running into one pipeline: the one place they are wired to the index, for the printer and the viewer alike.

Each source runs on a thread of its own (a file's follower waits on the
filesystem's notifier, a queue on its ``get``) and writes through a sink
that adds to the pipeline's timeline and tells the ``SourceEvents`` of
whoever shows the records. The printer and the viewer differ only in those
events: the printer prints and says lines on standard error, the viewer
posts messages to its widgets.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from logview.core.index.parsed_chunk import ParsedChunk
    from logview.core.index.status import Problem
    from logview.core.index.symbols import Symbols
    from logview.core.index.timeline import SourceState
    from logview.core.inputs.opened_input import ByteStore
    from logview.core.parse.detect import Format
    from logview.core.pipeline import Pipeline
    from logview.core.sources.source import Source

#: Seconds between a waiting main thread's looks at the signals (see :meth:`RunningSources.wait`).
JOIN_STEP = 0.1
#: Seconds :meth:`RunningSources.close` waits for each source to stop before it closes them anyway.
STOP_WAIT = 10.0


class SourceEvents(Protocol):
    """What whoever shows the records hears of the running sources (see Sink, which forwards them)."""

    def arrived(self, count: int) -> None: ...

    def tell(self, problem: Problem) -> None: ...

    def changed(self, source: SourceState) -> None: ...

    def caught_up(self, source: Source) -> None: ...


class NoEvents:
    """Nobody listens: the sources are run for their records alone (tests, a batch read)."""

    def arrived(self, count: int) -> None:
        pass

    def tell(self, problem: Problem) -> None:
        pass

    def changed(self, source: SourceState) -> None:
        pass

    def caught_up(self, source: Source) -> None:
        pass


class _Sink:
    """The pipeline's side of the Sink protocol (core/sources/source.py), with the events passed on."""

    def __init__(self, pipeline: Pipeline, events: SourceEvents, caught_up: threading.Event) -> None:
        self._pipeline = pipeline
        self._events = events
        self._caught_up = caught_up
        self.arrived = events.arrived
        self.tell = events.tell
        self.changed = events.changed

    @property
    def symbols(self) -> Symbols:
        return self._pipeline.timeline.symbols

    def add_source(self, name: str, store: ByteStore, log_format: Format, format_name: str) -> SourceState:
        state = self._pipeline.add_growing(name, store, log_format).state
        state.format_name = format_name
        return state

    def append(self, source: SourceState, base: int, parsed: ParsedChunk) -> None:
        self._pipeline.timeline.append(source, base, parsed)

    def expect(self, records: int) -> None:
        timeline = self._pipeline.timeline
        timeline.reserve(len(timeline) + records)

    def caught_up(self, source: Source) -> None:
        """Told once: by the source, or for it when it ends without saying so (it failed, or was stopped first)."""
        if not self._caught_up.is_set():
            try:
                self._events.caught_up(source)
            finally:
                self._caught_up.set()


class RunningSources:
    """The sources started by :meth:`Pipeline.start`: each on its thread, until ``stop`` is set or it ends.

    With ``in_turn``, each source starts once the one before it has caught
    up: the printer prints what the files held before it prints what a
    listener receives.
    """

    def __init__(
        self, pipeline: Pipeline, sources: Sequence[Source], events: SourceEvents, stop: threading.Event | None, in_turn: bool
    ) -> None:
        self.sources = list(sources)
        self.stop = stop or threading.Event()
        #: What a source's run raised: not its input's fault (it reports those itself), but the output's or a bug.
        self.failures: list[BaseException] = []
        self._caught_up = [threading.Event() for _ in self.sources]
        self._threads = [
            threading.Thread(
                target=self._run,
                args=(source, _Sink(pipeline, events, caught_up), self._caught_up[number - 1] if in_turn and number else None),
                name=f"logview-{source.kind}",
                daemon=True,
            )
            for number, (source, caught_up) in enumerate(zip(self.sources, self._caught_up, strict=True))
        ]
        for thread in self._threads:
            thread.start()

    def _run(self, source: Source, sink: _Sink, after: threading.Event | None) -> None:
        try:
            while after is not None and not after.wait(0.1):
                if self.stop.is_set():
                    return
            source.run(sink, self.stop)
        except BaseException as failure:  # noqa: BLE001 - raised again by wait(), on the thread that started the sources
            self.failures.append(failure)
            self.stop.set()
        finally:
            sink.caught_up(source)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for every source to end (a stop, or nothing more to come); whether they all have.

        What a source's run raised is raised here, the first of them. The
        threads are joined in steps: a stop signal delivered to another
        thread (a source's, polars') is handled on the main thread only when
        it wakes, and a wait without a timeout never would.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in self._threads:
            while thread.is_alive() and (deadline is None or time.monotonic() < deadline):
                thread.join(JOIN_STEP if deadline is None else max(0.0, min(JOIN_STEP, deadline - time.monotonic())))
        if self.failures:
            raise self.failures[0]
        return self.ended

    @property
    def ended(self) -> bool:
        """Every source's run has returned."""
        return not any(thread.is_alive() for thread in self._threads)

    def close(self) -> None:
        """Stop the sources, wait for them (STOP_WAIT each at most), then let go of what they hold."""
        self.stop.set()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(STOP_WAIT)
        for source in self.sources:
            source.close()
