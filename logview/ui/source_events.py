"""The viewer's side of running sources (core/running_sources.py): which it runs, what they tell, and what the app does then.

Sources call SourcesToApp on their own threads: each call turns into a
message posted to the app (thread-safe), or into a flag the app's timers
look at. The functions below run on the app's thread.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from logview.core.index.status import Problem, Severity
from logview.core.memory import release_free_memory
from logview.core.pipeline import Pipeline
from logview.core.sources.files import FileSource
from logview.core.sources.queue import LogQueue, QueueSource
from logview.core.sources.source import Source
from logview.ui.input_notices import notify_following, notify_inputs_read
from logview.ui.messages import IndexDone, IndexGrew, SourcesChanged

if TYPE_CHECKING:
    from logview.core.index.timeline import SourceState
    from logview.ui.app import LogViewApp

#: Seconds between view refreshes while the index grows.
REFRESH_INTERVAL = 1.0
#: Seconds between looks at whether live records are to be shown (the pacer decides when they are).
LIVE_TICK = 0.05
#: The longest the loader waits for the first records to be drawn before it reads on.
FIRST_PAINT_WAIT = 0.5


class SourcesToApp:
    """Tells ``app`` of its ``count`` sources: records arrived, progress, problems, and once all of them caught up."""

    def __init__(self, app: LogViewApp, count: int) -> None:
        self.app = app
        self._waiting_for = count
        self._lock = threading.Lock()

    def arrived(self, count: int) -> None:
        if count:
            self.app.session.records_arrived(count)

    def tell(self, problem: Problem) -> None:
        # A notice ("listening on …") is in the status bar already, as the source's name.
        if problem.severity >= Severity.WARNING:
            self.app.post_message(SourcesChanged([problem.text]))

    def changed(self, source: SourceState) -> None:
        if self._waiting_for == 0:
            # Every source caught up: a status changed (files read are watched now), not the reading's progress.
            self.app.post_message(SourcesChanged([]))
            return
        timeline = self.app.pipeline.timeline
        self.app.post_message(IndexGrew(len(timeline), sum(state.bytes_indexed for state in timeline.sources)))
        if len(timeline) and not self.app.first_paint.is_set():
            # First screen first: the UI thread needs the GIL to draw the first records.
            self.app.first_paint.wait(FIRST_PAINT_WAIT)

    def caught_up(self, source: Source) -> None:
        with self._lock:
            self._waiting_for -= 1
            done = self._waiting_for == 0
        if done:
            self.app.post_message(IndexDone())


def start_sources(app: LogViewApp) -> None:
    """Run the session's sources, and the timers that show what they add."""
    session = app.session
    session.start(SourcesToApp(app, len(session.sources)))
    app.set_interval(REFRESH_INTERVAL, session.refresh_while_loading)
    app.set_interval(LIVE_TICK, session.refresh_live)


def sources_changed(app: LogViewApp, notes: list[str]) -> None:
    """A source's status changed (the status bar says it), or it met something the user is told of."""
    notify_following(app, notes)
    app.update_status()


def sources_caught_up(app: LogViewApp) -> None:
    """Every input is read: its problems said, and the views evaluated over the whole timeline."""
    inputs = app.session.inputs
    notify_inputs_read(app, inputs.problems, inputs.waiting_notes(), app.pipeline.warnings)
    app.session.index_done()
    # The objects made so far (the app's widgets, the index's tables) live as long as the app: the
    # collector need not go over them again. A full collection over them took up to 0.17 s during a
    # flood of queue records, in the middle of a page down. Undone when the app is unmounted (stop_sources).
    gc.freeze()
    release_free_memory()
    app.update_status()  # the files read are watched now


def stop_sources(app: LogViewApp) -> None:
    """The app closes: the sources stop, and the objects frozen when indexing was done are collected as usual again."""
    gc.unfreeze()
    app.session.close()


def viewer_sources(pipeline: Pipeline, paths: Sequence[str], queues: Sequence[LogQueue], sources: Sequence[Source] | None) -> list[Source]:
    """``sources``, by default the files of ``paths`` followed; and a source for each logging queue drained beside them."""
    chosen = list(sources) if sources is not None else [FileSource(pipeline, paths, follow=True)]
    names = ["logging queue"] if len(queues) == 1 else [f"logging queue {number}" for number in range(1, len(queues) + 1)]
    return chosen + [QueueSource(log_queue, name) for log_queue, name in zip(queues, names, strict=True)]
