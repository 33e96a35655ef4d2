"""The viewer's state and requests, without its widgets: what the app shows, and the work behind it.

The session owns the pipeline, the record reader, the selector and each
view's requests (rows and counts for its filters, the histogram, the
search), and paces the refreshes of live records. Its passes over the
timeline run on threads through a ``Runner``; their results come back on the
runner's owner thread and go to a ``SessionListener`` (the app), which turns
them into widgets. Nothing here imports Textual, so a plain test drives it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from logview.core.filters import Filters, TextFilter
from logview.core.first_match import FirstMatch, first_match
from logview.core.histogram import Histogram
from logview.core.histogram_requests import HistogramRequests
from logview.core.input_problems import InputProblems, errors_note
from logview.core.memory import release_free_memory
from logview.core.pipeline import Pipeline
from logview.core.records import RecordReader
from logview.core.refresh_pacer import RefreshPacer
from logview.core.running_sources import RunningSources, SourceEvents
from logview.core.search_state import SearchState
from logview.core.selection import Selection, Selector
from logview.core.sources.source import Source
from logview.core.view_requests import View
from logview.core.view_rows import ViewRows
from logview.core.workers import Runner

#: Timelines from this many records on have their heap trimmed after a filter's or a search's pass.
TRIM_AFTER_ROWS = 1_000_000
#: Up to this many bytes of log, a search runs on the UI thread (15 ms for the 1,212 records of sample_logs/):
#: a worker would wait for the GIL behind the frame being drawn, and answer a frame or two later.
SEARCH_HERE_BYTES = 4 << 20
#: In a larger log, the first match is looked for here among this many records each way from the cursor (about
#: 1 MB of the corpus: a millisecond when the pattern's literal is rare, 10 ms at worst), then in a worker.
NEAR_HERE_RECORDS = 8192


class SessionListener(Protocol):
    """What the session tells the app, on the runner's owner thread."""

    def selection_shown(self, view_id: str, selection: Selection) -> None:
        """A view has new rows and counts."""

    def histogram_counted(self, histogram: Histogram | None) -> None:
        """The active view's histogram."""

    def histogram_bins(self) -> int:
        """How many time bins the histogram is drawn in."""

    def first_match_found(self, view: ViewRows, found: FirstMatch) -> bool:
        """The search's first match near the cursor of ``view``: True when the cursor was moved to it."""

    def matches_found(self, jump: bool) -> None:
        """The search's matches are all known; ``jump`` to the first from the cursor."""


class Session:
    """The pipeline and the views' requests of one viewer."""

    def __init__(
        self, pipeline: Pipeline, filters: Filters | None, runner: Runner, listener: SessionListener, sources: Sequence[Source] = ()
    ) -> None:
        self.pipeline = pipeline
        #: What the records come from; started by :meth:`start`, stopped and let go by :meth:`close`.
        self.sources = list(sources)
        self.running: RunningSources | None = None
        self.reader = RecordReader(pipeline)
        self.selector = Selector(pipeline)
        self.runner = runner
        self.listener = listener
        filters = filters or Filters()
        if filters.grep:
            # --grep is a filter-in on the message: listed, switched off and removed like the others.
            filters = filters._replace(grep=None, text_filters=(TextFilter(filters.grep, keep=True), *filters.text_filters))
        self.views: dict[str, View] = {"log": View(filters)}
        #: The view the sidebar, the status bar and the histogram tell of: the last one focused.
        self.active = "log"
        #: The inputs are being read: the timeline is not complete.
        self.indexing = True
        #: What the status bar says while the index grows.
        self.progress = "reading…"
        #: When records that arrive live are shown.
        self.pacer = RefreshPacer()
        self.search = SearchState()
        #: The search whose first match the cursor was moved to before the whole search ended.
        self.moved_early_for: str | None = None
        self.histograms = HistogramRequests(pipeline, self.views, runner, self.pacer, self._histogram_counted)
        self.inputs = InputProblems(pipeline, self.sources)
        self._pending_refresh = False
        #: Live sources grew since the views were last asked to refresh.
        self._live_pending = False
        #: When the C heap was last trimmed (_trim_after_pass).
        self._trimmed_at = 0.0
        #: Counts the searches started: a search's worker stops looking near the cursor once a newer one started.
        self._searches = 0

    @property
    def filters(self) -> Filters:
        return self.views[self.active].filters

    @property
    def selection(self) -> Selection | None:
        return self.views[self.active].selection

    @property
    def settled(self) -> bool:
        """Indexing is done and every view shows its latest filters."""
        return not self.indexing and all(view.settled for view in self.views.values())

    # -- views ----------------------------------------------------------------------------

    def request_selection(self, view_id: str | None = None) -> None:
        """Evaluate a view's filters again (every view's when ``view_id`` is None).

        One evaluation per view at a time: a thread cannot be stopped, so
        starting another while one runs would only pile up work and memory
        (each holds row arrays of the whole timeline). A request made meanwhile
        runs, with the filters of that moment, when the current one is shown.
        """
        for target in [view_id] if view_id else list(self.views):
            view = self.views[target]
            view.requested += 1
            if view.running:
                continue
            view.running = True
            self._evaluate(target, view.filters, view.requested)

    def set_filters(self, filters: Filters) -> None:
        """New filters for the active view."""
        self.views[self.active].filters = filters
        self.request_selection(self.active)

    def add_view(self, view_id: str) -> bool:
        """A view with the active one's filters and rows; True when those rows are not current (evaluate it once shown)."""
        view = self.views[self.active]
        self.views[view_id] = View(view.filters, selection=view.selection, shown=0 if view.selection is not None else -1)
        return not view.settled

    def _evaluate(self, view_id: str, filters: Filters, version: int) -> None:
        def select() -> None:
            began = time.thread_time()
            if not self.indexing:
                # Live rows join the timeline's order when a view is refreshed, not at each batch: a merge copies
                # the order (40 MB at 10M records). While files are read, their final merge orders these rows too.
                self.pipeline.timeline.merge_appended()
            selection = self.selector.select(filters)
            self.pacer.spent(time.thread_time() - began)
            self.runner.deliver(self._selection_ready, view_id, selection, version)
            self._trim_after_pass()

        self.runner.run_in_thread(select, group=f"select-{view_id}")

    def _selection_ready(self, view_id: str, selection: Selection, version: int) -> None:
        view = self.views.get(view_id)
        if view is None or version < view.shown:
            return  # the view was closed, or shows newer filters already
        view.running = False
        if view.requested > version:
            view.running = True
            self._evaluate(view_id, view.filters, view.requested)
        view.shown = version
        view.selection = selection
        self.listener.selection_shown(view_id, selection)
        if view_id == self.active and self.histograms.due_after_selection(self.indexing):
            self.request_histogram()

    # -- histogram ------------------------------------------------------------------------

    def request_histogram(self) -> None:
        """The active view's histogram, given to the listener at once or after a count."""
        self.histograms.request(self.active, self.listener.histogram_bins())

    def _histogram_counted(self, view_id: str, histogram: Histogram | None) -> None:
        if view_id == self.active:
            self.listener.histogram_counted(histogram)

    # -- the index and live records -----------------------------------------------------------

    def start(self, events: SourceEvents) -> None:
        """Run the sources into the pipeline, telling ``events`` (the viewer's messages) what they do."""
        self.running = self.pipeline.start(self.sources, events)

    def close(self) -> None:
        """Stop the sources and the reads in progress, then let go of the inputs."""
        if self.running is not None:
            self.running.stop.set()
        self.pipeline.close()
        if self.running is not None:
            self.running.close()

    def index_grew(self, records: int, bytes_indexed: int) -> None:
        self.progress = f"reading… {records:,} records, {bytes_indexed / 1e6:,.0f} MB"
        if self.views["log"].requested == 0:
            self.request_selection()  # the first records: show them now, not at the next tick
        else:
            self._pending_refresh = True

    def index_done(self) -> None:
        self.indexing = False
        self.request_selection()
        if self.search.text:
            self.find_matches(self.search.text)

    def refresh_while_loading(self) -> None:
        """A timer's tick: the views show what the index has now; a histogram behind live records is counted."""
        if self._pending_refresh:
            self._pending_refresh = False
            self.request_selection()
        if self.histograms.due_while_following():
            self.request_histogram()

    def records_arrived(self, added: int) -> None:
        """Live sources added records; called on their threads. The next tick shows them, when the pacer allows."""
        self.pacer.arrived(added)
        self.histograms.stale = True
        self._live_pending = True

    def refresh_live(self) -> None:
        """A timer's tick: the records that arrived live are shown when the pacer says a refresh is due."""
        if self._live_pending and not self.indexing and self.pacer.due():
            self._live_pending = False
            self.pacer.refreshed()
            self.request_selection()
            if self.search.ready:
                self.find_matches(self.search.text, jump=False)  # only the records added are searched

    def _trim_after_pass(self) -> None:
        """After a pass over a large timeline (a filter, a search), its freed pages go back: they would add to the next peak.

        Not after every live refresh of a small one: at most once a second, and only over a million records.
        """
        now = time.monotonic()
        if len(self.pipeline.timeline) >= TRIM_AFTER_ROWS and now - self._trimmed_at >= 1.0:
            self._trimmed_at = now
            release_free_memory()

    # -- search ---------------------------------------------------------------------------

    def start_search(self, pattern: str, label: str) -> bool:
        """A new search; True when it was answered here (a small log): the listener has its matches."""
        self.search.start(pattern, label)
        self.moved_early_for = None
        timeline = self.pipeline.timeline
        if not self.indexing and sum(source.bytes_indexed for source in timeline.sources) <= SEARCH_HERE_BYTES:
            # A small log is searched at once, here: the answer is drawn with the frame that closes the bar.
            self._matches_found(pattern, self.selector.text_hits(pattern).rows(), jump=True)
            return True
        return False

    def first_match_near(self, pattern: str, view: ViewRows, cursor: int) -> FirstMatch | None:
        """The match nearest ``cursor`` among a few thousand records each way, or None (then the worker looks further)."""
        return first_match(self.pipeline, pattern, view, cursor, budget=NEAR_HERE_RECORDS)

    def find_matches(self, text: str, jump: bool = True, near: tuple[ViewRows, int] | None = None) -> None:
        """Find the records matching ``text``; ``jump`` to the first from the cursor (a new search, not a live refresh).

        With ``near`` (the view and its cursor when the search began), the
        first match is looked for near the cursor first, and the cursor moved
        to it at once; the count follows when the whole search ends.
        """
        self._searches += 1
        number = self._searches

        def cancelled() -> bool:
            return self._searches != number

        def search() -> None:
            began = time.thread_time()
            if near is not None:
                found = first_match(self.pipeline, text, near[0], near[1], cancelled=cancelled)
                if found is not None and not cancelled():
                    self.runner.deliver(self.first_match_found, text, near[0], found)
            rows = self.selector.text_hits(text).rows()
            self.pacer.spent(time.thread_time() - began)
            self.runner.deliver(self._matches_found, text, rows, jump)
            self._trim_after_pass()

        self.runner.run_in_thread(search, group="search", exclusive=True)

    def first_match_found(self, text: str, view: ViewRows, found: FirstMatch) -> None:
        """The cursor to the first match, before the count: unless the search has changed since."""
        if self.search.text != text or self.search.rows is not None:
            return
        if self.listener.first_match_found(view, found):
            self.moved_early_for = text

    def _matches_found(self, text: str, rows: np.ndarray, jump: bool) -> None:
        if self.search.found(text, rows):
            self.listener.matches_found(jump and self.moved_early_for != text)

    def matches(self, view_id: str, rows: ViewRows) -> np.ndarray:
        """The positions in ``rows`` of the search's matches."""
        return self.search.positions(view_id, rows)

    def search_note(self, view_id: str, rows: ViewRows, cursor: int) -> str:
        """The status bar's account of the search."""
        if not self.search.text:
            return ""
        if self.search.ready:
            return self.search.describe(self.matches(view_id, rows), cursor)
        if self.moved_early_for == self.search.text:
            return f"/{self.search.label}: counting matches…"
        return f"/{self.search.label}: searching…"

    def status_note(self) -> str:
        """What the status bar says of the inputs: the reading's progress, their problems, or that there is nothing."""
        if self.indexing and (writers := self.inputs.fifos_waiting()):
            # The index waits for a FIFO's writer (read last, after the other inputs): "reading…" would never end.
            return errors_note(writers, set(writers))
        if self.indexing:
            return self.progress
        if problems := self.inputs.problems:
            return errors_note(problems, self.inputs.waiting_notes())
        if len(self.pipeline.timeline) == 0:
            return "no records"
        return ""
