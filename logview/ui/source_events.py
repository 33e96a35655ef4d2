"""The viewer's side of running sources (core/running_sources.py): what they tell becomes the app's messages.

Sources call these on their own threads: each turns into a message posted
to the app (thread-safe), or into a flag the app's timers look at.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from logview.core.index.status import Problem, Severity
from logview.ui.messages import IndexDone, IndexGrew, SourcesChanged

if TYPE_CHECKING:
    from logview.core.index.timeline import SourceState
    from logview.core.sources.source import Source
    from logview.ui.app import LogViewApp

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
