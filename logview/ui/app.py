"""LogViewApp: owns the workers and wires the engine to the widgets.

Indexing runs in a thread worker and reports progress; the log pane shows
what is indexed so far and follows the index as it grows. Every filter change
is evaluated in another worker (exclusive, so a newer change replaces an older
one) and comes back as rows plus the panes' counts.
"""

from __future__ import annotations

import gc
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.await_complete import AwaitComplete
from textual.containers import Horizontal, Vertical
from textual.driver import Driver
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import get_current_worker

from logview.core.config import ViewerDefaults
from logview.core.filters import FilterError, Filters, TextFilter
from logview.core.first_match import FirstMatch, first_match
from logview.core.histogram import FacetHistogram, Histogram, facet_histogram, level_histogram
from logview.core.masks import allowed_facets
from logview.core.memory import release_free_memory
from logview.core.newest import SCREEN_RECORDS, Newest, newest_records
from logview.core.pipeline import VIEWER_CHUNK_SIZE, Pipeline, waiting_for_writer_line
from logview.core.printer import save_view
from logview.core.record import format_time
from logview.core.record_text import StoredRecord
from logview.core.records import RecordReader
from logview.core.refresh_pacer import RefreshPacer
from logview.core.running_sources import RunningSources
from logview.core.say import say
from logview.core.search_state import SearchState
from logview.core.seek import first_at_or_after, next_at_level
from logview.core.selection import Selection, Selector
from logview.core.sources.files import FileSource
from logview.core.sources.queue import LogQueue, QueueSource
from logview.core.sources.socket import SocketSource
from logview.core.sources.socket_listener import SocketListener
from logview.core.sources.source import Source
from logview.core.sources.status import Severity, Status
from logview.core.user_time import parse_moment
from logview.core.view_rows import ViewRows
from logview.crash import report_crash
from logview.ui.colors import css_variables
from logview.ui.commands import YIELDING_ACTIONS, bindings
from logview.ui.driver import driver_over
from logview.ui.first_frame import FirstFrame
from logview.ui.layout import BARS_HEIGHT, HISTOGRAM_HEIGHT, SIDEBAR_PANES, SIDEBAR_WIDTH, sidebar_heights, sidebar_shown
from logview.ui.messages import IndexDone, IndexGrew, SelectionReady, SourcesChanged
from logview.ui.palette import viewer_commands
from logview.ui.quit_signals import quit_on_signals
from logview.ui.screens.detail import DetailScreen
from logview.ui.screens.help import HelpScreen
from logview.ui.source_events import SourcesToApp
from logview.ui.status_line import StatusParts
from logview.ui.widgets.histogram import HistogramStrip
from logview.ui.widgets.key_bar import KeyBar
from logview.ui.widgets.level_pane import LevelPane
from logview.ui.widgets.log_pane import LogPane
from logview.ui.widgets.logger_tree import LoggerTree
from logview.ui.widgets.pid_pane import PidPane
from logview.ui.widgets.prompt_bar import PromptBar, regex_error, smart_case
from logview.ui.widgets.status_bar import StatusBar, describe_sources
from logview.ui.widgets.text_filters import TextFilterList

#: Seconds between view refreshes while the index grows.
REFRESH_INTERVAL = 1.0
#: Seconds between histogram counts while the index grows.
HISTOGRAM_INTERVAL_WHILE_LOADING = 5.0
#: Seconds between histogram counts while followed files grow (a count is a pass over the timeline).
HISTOGRAM_INTERVAL_WHILE_FOLLOWING = 2.0
#: Seconds between looks at whether live records are to be shown (the pacer decides when they are).
LIVE_TICK = 0.05
#: Timelines from this many records on have their heap trimmed after a filter's or a search's pass.
TRIM_AFTER_ROWS = 1_000_000
#: Up to this many bytes of log, a search runs on the UI thread (15 ms for the 1,212 records of sample_logs/):
#: a worker would wait for the GIL behind the frame being drawn, and answer a frame or two later.
SEARCH_HERE_BYTES = 4 << 20
#: In a larger log, the first match is looked for here among this many records each way from the cursor (about
#: 1 MB of the corpus: a millisecond when the pattern's literal is rare, 10 ms at worst), then in a worker.
NEAR_HERE_RECORDS = 8192


class LogViewApp(App[int]):
    """The viewer over the merged records of ``paths``."""

    TITLE = "logview"
    # Absolute: Textual resolves a relative path against the module of the class, which a subclass changes.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    BINDINGS = bindings("app")
    # The log pane from the start, not the first focusable widget (a sidebar pane): every focus is set at once, never
    # with Widget.focus(), which is applied only after the keys already queued (typed while the app loaded).
    AUTO_FOCUS = "#log"

    def __init__(
        self,
        paths: Sequence[str],
        filters: Filters | None = None,
        pipeline: Pipeline | None = None,
        queues: Sequence[LogQueue] = (),
        top: bool = False,
        newest: Newest | None = None,
        driver_class: type[Driver] | None = None,
        defaults: ViewerDefaults | None = None,
        config_problems: Sequence[str] = (),
        sources: Sequence[Source] | None = None,
    ) -> None:
        """``sources``: what the records come from (core/sources/source.py); by default the files of ``paths``, followed.

        ``queues``: logging queues drained beside them (see logview.api).
        """
        super().__init__(driver_class=driver_class)
        #: The config file's [viewer] table: the theme, and whether the sidebar is shown whatever the width.
        self.defaults = defaults or ViewerDefaults()
        #: Why the config file was not used (the command line said so on standard error too): shown once the app is up.
        self.config_problems = list(config_problems)
        #: The config's theme, when the installed Textual has no such theme: shown, and said on standard error at exit.
        self.theme_problem: str | None = None
        self.paths = list(paths)
        #: Open at the oldest record; by default the view opens at the newest and follows, like tail -f.
        self.top = top
        #: The newest records, read from the inputs' ends (by the command line's first frame, or at mount).
        self.newest = newest
        self.pipeline = pipeline or Pipeline(growing=True, chunk_size=VIEWER_CHUNK_SIZE)
        self.sources: list[Source] = list(sources) if sources is not None else [FileSource(self.pipeline, paths, follow=True)]
        self.sources += [
            QueueSource(log_queue, "logging queue" if len(queues) == 1 else f"logging queue {number}")
            for number, log_queue in enumerate(queues, 1)
        ]
        #: The sources running into the pipeline, once mounted.
        self.running: RunningSources | None = None
        self.reader = RecordReader(self.pipeline)
        self.selector = Selector(self.pipeline)
        filters = filters or Filters()
        if filters.grep:
            # --grep is a filter-in on the message: listed, switched off and removed like the others.
            filters = filters._replace(grep=None, text_filters=(TextFilter(filters.grep, keep=True), *filters.text_filters))
        self.views: dict[str, View] = {"log": View(filters)}
        self.active = "log"
        self.indexing = True
        self.search = SearchState()
        #: The search whose first match the cursor was moved to before the whole search ended.
        self._moved_early_for: str | None = None
        self._pending_refresh = False
        #: Set once the first records are on screen: the loader waits for it (FIRST_PAINT_WAIT at most) before it reads on.
        self.first_paint = threading.Event()
        self._histogram_running = False
        self._histogram_dirty = False
        self._histogram_at = 0.0
        #: Records per facet and time bin: the histogram of any level, logger and process filter.
        self._facet_table: FacetHistogram | None = None
        #: What the status bar says while the index grows.
        self._progress = "reading…"
        #: Set on quit: the sources end.
        self._stop_sources = threading.Event()
        #: Followed files grew since the histogram was last counted.
        self._histogram_stale = False
        #: Live sources grew since the views were last asked to refresh.
        self._live_pending = False
        #: When records that arrive live are shown.
        self._pacer = RefreshPacer()
        #: The status bar, once mounted; detached when the app closes.
        self._status_bar: StatusBar | None = None
        #: The user showed or hid the sidebar: the terminal's width no longer decides.
        self._sidebar_chosen = self.defaults.sidebar is not None
        #: Said in the status bar while the cursor stays on the row it was said at (the search wrapped around…).
        self._notice: tuple[str, int | None] = ("", None)
        #: When the C heap was last trimmed (_trim_after_pass).
        self._trimmed_at = 0.0
        #: Gives SIGTERM and SIGHUP back their handlers (set on mount: they quit the app meanwhile).
        self._give_back_signals: Callable[[], None] = _nothing_to_undo

    #: The exception that stopped the app: reported in one line, its traceback in a file (logview.crash).
    crash: BaseException | None = None

    def _handle_exception(self, error: Exception) -> None:
        # Textual's hook for an unhandled exception. It would print the whole traceback over the
        # user's shell once the app has stopped; run_viewer_app says where it was written instead.
        if self.crash is None:
            self.crash = error
        super()._handle_exception(error)

    def _print_error_renderables(self) -> None:
        if self.crash is None:
            super()._print_error_renderables()
        else:
            self._exit_renderables.clear()

    def get_css_variables(self) -> dict[str, str]:
        # The viewer's own colours ($lv-…), which the first frame drawn before Textual paints with too.
        return {**super().get_css_variables(), **css_variables()}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The app's keys are priority bindings (see commands.bindings): they give way where the user types
        # text (a prompt) and on other screens (details, help, the palette), whose keys are their own.
        elsewhere = self.screen is not self.screen_stack[0] or isinstance(self.focused, Input)
        return not (action in YIELDING_ACTIONS and elsewhere)

    def action_interrupt(self) -> None:
        """Ctrl+C: quit from anywhere, as less and lnav do."""
        self.exit()

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield LevelPane(id="levels")
                yield LoggerTree(id="loggers")
                yield PidPane(id="processes")
                yield TextFilterList(id="text-filters")
            with Vertical(id="main"):
                yield HistogramStrip(id="histogram")
                with Horizontal(id="panes"):
                    yield LogPane(self.reader, id="log")
        yield PromptBar(lambda: self.log_pane, id="prompt")
        yield StatusBar(id="status")
        yield KeyBar(id="keys")

    @property
    def closing(self) -> bool:
        """The app is quitting: results that workers still deliver have no widgets to go to."""
        return self._status_bar is None or not self._status_bar.is_attached

    @property
    def is_settled(self) -> bool:
        """Indexing is done and every pane shows its latest filters (tests and benchmarks wait on this)."""
        return not self.indexing and all(view.settled for view in self.views.values())

    @property
    def log_pane(self) -> LogPane:
        """The log pane the sidebar edits: the last one focused."""
        return self.query_one(f"#{self.active}", LogPane)

    @property
    def filters(self) -> Filters:
        return self.views[self.active].filters

    @property
    def selection(self) -> Selection | None:
        return self.views[self.active].selection

    def on_mount(self) -> None:
        # Kept to tell cheaply whether the app is closing: workers deliver results several times a second.
        self._status_bar = self.query_one(StatusBar)
        self._give_back_signals = quit_on_signals(self)
        for pane_id, title in SIDEBAR_PANES:
            self.query_one(f"#{pane_id}").border_title = title
        self._apply_defaults()
        self._fit_sidebar(self.size.width)
        self._fit_layout(self.size.height)
        # At once, not after a refresh: keys typed while the app was loading are queued behind this mount,
        # and a Widget.focus() would come after them: they would find no pane to act on.
        self.screen.set_focus(self.log_pane)
        self.log_pane.follow = not self.top
        # The newest records, unfiltered: with filters from the command line, the first screen is the index's.
        if not self.top and self.filters == Filters():
            if self.newest is None and self.paths:
                self.newest = newest_records(
                    self.paths, SCREEN_RECORDS, tuple(self.pipeline.user_formats), named_formats=self.pipeline.named_formats
                )
            if self.newest is not None and self.newest.records:
                self.log_pane.show_preview(self.newest.records)
            elif self.paths:
                self.find_newest_inflating()
        self._show_pane_state()
        self._update_status()
        self.running = self.pipeline.start(self.sources, SourcesToApp(self, len(self.sources)), stop=self._stop_sources)
        self.set_interval(REFRESH_INTERVAL, self._refresh_while_loading)
        self.set_interval(LIVE_TICK, self._refresh_live)

    # -- workers --------------------------------------------------------------------

    def evaluate(self, pane_id: str, filters: Filters, version: int) -> None:
        def select() -> None:
            began = time.thread_time()
            if not self.indexing:
                # Live rows join the timeline's order when a view is refreshed, not at each batch: a merge copies
                # the order (40 MB at 10M records). While files are read, their final merge orders these rows too.
                self.pipeline.timeline.merge_appended()
            selection = self.selector.select(filters)
            self._pacer.spent(time.thread_time() - began)
            self.post_message(SelectionReady(pane_id, selection, version))
            self._trim_after_pass()

        self.run_worker(select, thread=True, group=f"select-{pane_id}")

    @work(thread=True, group="histogram")
    def count_histogram(self, pane_id: str, rows: ViewRows, filters: Filters, bins: int) -> None:
        began = time.thread_time()
        timeline = self.pipeline.timeline
        table = self._facet_table
        if table is None or not table.is_current(timeline, bins):
            table = facet_histogram(timeline, bins)
        if table is None:
            histogram = level_histogram(timeline, rows, bins)
        elif filters.by_facet_only:
            histogram = table.of_facets(allowed_facets(filters, timeline))
        else:
            histogram = level_histogram(timeline, rows, bins, span=table.span)
        self._pacer.spent(time.thread_time() - began)
        self.call_from_thread(self._histogram_counted, pane_id, table, histogram)

    def _histogram_counted(self, pane_id: str, table: FacetHistogram | None, histogram: Histogram | None) -> None:
        if self.closing:
            return
        self._histogram_running = False
        self._facet_table = table
        if pane_id == self.active:
            self.query_one(HistogramStrip).show(histogram, self._cursor_time())
        if self._histogram_dirty:
            self._refresh_histogram()

    def _refresh_histogram(self) -> None:
        """Show the histogram of the active pane.

        A view filtered by level, logger and process sums rows of the
        per-facet table, at once; the table itself (a pass over the timeline,
        again whenever it grows) and the views with text or time filters are
        counted in a worker, one count at a time, the latest request winning.
        """
        selection = self.selection
        if selection is None:
            return
        strip = self.query_one(HistogramStrip)
        table, filters, bins = self._facet_table, self.filters, strip.bins_wanted
        if table is not None and table.is_current(self.pipeline.timeline, bins) and filters.by_facet_only:
            strip.show(table.of_facets(allowed_facets(filters, self.pipeline.timeline)), self._cursor_time())
            return
        if self._histogram_running:
            self._histogram_dirty = True
            return
        self._histogram_running, self._histogram_dirty = True, False
        self.count_histogram(self.active, selection.rows, filters, bins)

    def on_histogram_strip_bins_changed(self, message: HistogramStrip.BinsChanged) -> None:
        self._refresh_histogram()

    def _cursor_time(self) -> int | None:
        """The time (ms) of the record under the active pane's cursor, None without one."""
        return self.log_pane.cursor_time()

    @work(thread=True, exclusive=True, group="newest")
    def find_newest_inflating(self) -> None:
        """The newest records of inputs whose end is not at hand (a large compressed file), found beside the index.

        Inflating a whole file only for its end takes a fraction of the index's
        time (0.3 s for 250 MB of gzip'd text): the view then opens at the
        true end long before the index gets there.
        """
        newest = newest_records(
            self.paths, SCREEN_RECORDS, tuple(self.pipeline.user_formats), inflate_large=True, named_formats=self.pipeline.named_formats
        )
        if newest is not None and newest.records:
            self.call_from_thread(self._newest_found, newest)

    def _newest_found(self, newest: Newest) -> None:
        if self.closing or not self.indexing or self.filters != Filters():
            return  # the index has them by now, or the view shows what filters keep
        self.newest = newest
        self.log_pane.offer_newest(newest.records)

    @work(thread=True, exclusive=True, group="search")
    def find_matches(self, text: str, jump: bool = True, near: tuple[ViewRows, int] | None = None) -> None:
        """Find the records matching ``text``; ``jump`` to the first from the cursor (a new search, not a live refresh).

        With ``near`` (the view and its cursor when the search began), the
        first match is looked for near the cursor first, and the cursor moved
        to it at once; the count follows when the whole search ends.
        """
        began = time.thread_time()
        if near is not None:
            worker = get_current_worker()
            found = first_match(self.pipeline, text, near[0], near[1], cancelled=lambda: worker.is_cancelled)
            if found is not None and not worker.is_cancelled:
                self.call_from_thread(self._first_match_found, text, near[0], found)
        rows = self.selector.text_hits(text).rows()
        self._pacer.spent(time.thread_time() - began)
        self.call_from_thread(self._matches_found, text, rows, jump)
        self._trim_after_pass()

    def _trim_after_pass(self) -> None:
        """After a pass over a large timeline (a filter, a search), its freed pages go back: they would add to the next peak.

        Not after every live refresh of a small one: at most once a second, and only over a million records.
        """
        now = time.monotonic()
        if len(self.pipeline.timeline) >= TRIM_AFTER_ROWS and now - self._trimmed_at >= 1.0:
            self._trimmed_at = now
            release_free_memory()

    # -- index and selection ------------------------------------------------------------

    def request_selection(self, pane_id: str | None = None) -> None:
        """Evaluate a pane's filters again (every pane's when ``pane_id`` is None).

        One evaluation per pane at a time: a thread cannot be stopped, so
        starting another while one runs would only pile up work and memory
        (each holds row arrays of the whole timeline). A request made meanwhile
        runs, with the filters of that moment, when the current one is shown.
        """
        for target in [pane_id] if pane_id else list(self.views):
            view = self.views[target]
            view.requested += 1
            if view.running:
                continue
            view.running = True
            self.evaluate(target, view.filters, view.requested)

    def set_filters(self, filters: Filters) -> None:
        """New filters for the active pane (which leaves the preview: it cannot be filtered)."""
        self.log_pane.end_preview()
        self.views[self.active].filters = filters
        self.request_selection(self.active)

    def on_index_grew(self, message: IndexGrew) -> None:
        self._progress = f"reading… {message.records:,} records, {message.bytes_indexed / 1e6:,.0f} MB"
        if self.views["log"].requested == 0:
            self.request_selection()  # the first records: show them now, not at the next tick
        else:
            self._pending_refresh = True

    def _refresh_while_loading(self) -> None:
        if self._pending_refresh:
            self._pending_refresh = False
            self.request_selection()
        if self._histogram_stale and time.monotonic() - self._histogram_at > HISTOGRAM_INTERVAL_WHILE_FOLLOWING:
            self._histogram_stale = False
            self._histogram_at = time.monotonic()
            self._refresh_histogram()

    def records_arrived(self, added: int) -> None:
        """Live sources added records; called on their threads. The next tick shows them, when the pacer allows."""
        self._pacer.arrived(added)
        self._histogram_stale = True
        self._live_pending = True

    def on_sources_changed(self, message: SourcesChanged) -> None:
        if self.closing:
            return
        for note in message.notes:
            self.notify(note, title="following", severity="warning", timeout=8)
        self._update_status()

    def _refresh_live(self) -> None:
        if self._live_pending and not self.indexing and self._pacer.due():
            self._live_pending = False
            self._pacer.refreshed()
            self.request_selection()
            if self.search.ready:
                self.find_matches(self.search.text, jump=False)  # only the records added are searched

    def on_index_done(self, message: IndexDone) -> None:
        if self.closing:
            return
        self.indexing = False
        waiting = self._waiting_notes()
        for error in self.input_problems:
            if error in waiting:
                self.notify(error, title="waiting", severity="information", timeout=10)  # not an error: tail -F's wait
            else:
                self.notify(error, title="input error", severity="error", timeout=10)
        for warning in self.pipeline.warnings:
            self.notify(warning, title="warning", severity="warning", timeout=8)
        self.request_selection()
        if self.search.text:
            self.find_matches(self.search.text)
        # The objects made so far (the app's widgets, the index's tables) live as long as the app: the
        # collector need not go over them again. A full collection over them took up to 0.17 s during a
        # flood of queue records, in the middle of a page down. Undone when the app is unmounted.
        gc.freeze()
        release_free_memory()
        self._update_status()  # the files read are watched now

    def on_selection_ready(self, message: SelectionReady) -> None:
        if self.closing:
            return
        view = self.views.get(message.pane_id)
        if view is None or message.version < view.shown:
            return
        view.running = False
        if view.requested > message.version:
            view.running = True
            self.evaluate(message.pane_id, view.filters, view.requested)
        view.shown = message.version
        view.selection = message.selection
        # What showing it costs the UI thread, up to the frame that draws it, is charged to the live refresh pacer.
        began = time.thread_time()
        self.call_after_refresh(lambda: self._pacer.spent(time.thread_time() - began))
        panes = self.query(f"#{message.pane_id}").results(LogPane)
        pane = next(panes, None)
        if pane is None:
            return  # the app is closing, or the pane was closed meanwhile
        # While the inputs are read, the newest records read from their ends stay on screen (LogPane.show_preview).
        pane.show(message.selection.rows, final=not self.indexing)
        if len(message.selection.rows) and not self.first_paint.is_set():
            self.call_after_refresh(self.first_paint.set)
        if message.pane_id == self.active:
            self._show_counts()
            self._update_status()
            # While indexing, every few seconds: counting 10M records takes 0.1 s of the loader's time.
            # While followed files grow, the refresh timer counts it, every few seconds.
            now = time.monotonic()
            if not self._histogram_stale and (not self.indexing or now - self._histogram_at > HISTOGRAM_INTERVAL_WHILE_LOADING):
                self._histogram_at = now
                self._refresh_histogram()

    @property
    def input_problems(self) -> list[str]:
        """A line for each input that could not be read, or is waited for (a file or a glob not there yet)."""
        return [problem.text for source in self.sources for problem in source.problems] + self._fifos_waiting() + self.pipeline.errors

    def _waiting_notes(self) -> set[str]:
        """The lines of the inputs waited for (a file or a glob not there yet): said as notices, not as errors."""
        files = {line for item in self.pipeline.loaded if item.state.status == Status.WAITING for line in item.state.waiting}
        arguments = {problem.text for source in self.sources for problem in source.problems if problem.severity == Severity.WAITING}
        return files | arguments | set(self._fifos_waiting())

    def _fifos_waiting(self) -> list[str]:
        """The lines of the FIFOs that nothing was written to yet, whose writers the index waits for."""
        sources = list(self.pipeline.timeline.sources)
        return [waiting_for_writer_line(source.name) for source in sources if waiting_for_writer_line(source.name) in source.errors]

    def _show_counts(self) -> None:
        selection = self.selection
        if selection is None:
            return
        symbols = self.pipeline.timeline.symbols
        self.query_one(LevelPane).update_counts(symbols.levels, selection.counts.levels)
        self.query_one(LoggerTree).update_counts(symbols.loggers, selection.counts.loggers)
        self.query_one(PidPane).update_counts(symbols.processes, selection.counts.processes)

    def _show_pane_state(self) -> None:
        """Make the sidebar show the active pane's filters."""
        filters = self.filters
        self.query_one(LevelPane).set_state(filters.min_level, set(filters.hidden_levels))
        self.query_one(LoggerTree).set_state(set(filters.loggers), set(filters.exclude_loggers), set(filters.exclude_logger_names))
        self.query_one(PidPane).set_state(filters.pids, set(filters.hidden_processes))
        self.query_one(TextFilterList).set_filters(filters.text_filters)
        self._show_counts()

    def _update_status(self, notice: str = "") -> None:
        """Tell the status bar the active pane's state; ``notice`` is said until the cursor leaves the record it is on."""
        if self._status_bar is None:
            return
        timeline = self.pipeline.timeline
        pane = self.log_pane
        moment = self._cursor_time()
        if notice:
            self._notice = (notice, pane.cursor)
        said, cursor = self._notice
        note = said if said and cursor == pane.cursor else ""
        if not note:
            if self.indexing and (writers := self._fifos_waiting()):
                # The index waits for a FIFO's writer (read last, after the other inputs): "reading…" would never end.
                note = _errors_note(writers, set(writers))
            elif self.indexing:
                note = self._progress
            elif problems := self.input_problems:
                note = _errors_note(problems, self._waiting_notes())
            elif len(timeline) == 0:
                note = "no records"
        search = ""
        if self.search.text:
            search = (
                self.search.describe(self._matches(pane), pane.selection_cursor)
                if self.search.ready
                else f"/{self.search.label}: counting matches…"
                if self._moved_early_for == self.search.text
                else f"/{self.search.label}: searching…"
            )
        follow = "following" if pane.follow else "paused" if pane.follow_paused else ""
        self._status_bar.show(
            StatusParts(
                shown=len(pane.selection),
                total=len(timeline),
                follow=follow,
                search=search,
                note=note,
                sources=describe_sources(timeline.sources),
                time="" if moment is None else format_time(moment) or "",
                column=int(pane.scroll_x),
            )
        )

    @on(LogPane.CursorMoved)
    def _cursor_moved(self, message: LogPane.CursorMoved) -> None:
        if self.closing:
            return
        if message.pane.id == self.active:
            self._update_status()
            strip = self.query_one(HistogramStrip)
            strip.move_cursor(self._cursor_time())

    @on(LogPane.ScrolledSideways)
    def _scrolled_sideways(self, message: LogPane.ScrolledSideways) -> None:
        if not self.closing and message.pane.id == self.active:
            self._update_status()

    @on(LogPane.Focused)
    def _pane_focused(self, message: LogPane.Focused) -> None:
        pane_id = message.pane.id
        if pane_id and pane_id != self.active and pane_id in self.views:
            self.active = pane_id
            self._show_pane_state()
            self._update_status()
            self._refresh_histogram()

    # -- panes --------------------------------------------------------------------------

    @on(LevelPane.Changed)
    def _levels_changed(self, message: LevelPane.Changed) -> None:
        self.set_filters(self.filters._replace(min_level=message.floor, hidden_levels=message.hidden))

    @on(LoggerTree.Changed)
    def _loggers_changed(self, message: LoggerTree.Changed) -> None:
        self.set_filters(
            self.filters._replace(loggers=message.shown, exclude_loggers=message.hidden, exclude_logger_names=message.hidden_names)
        )

    @on(PidPane.Changed)
    def _processes_changed(self, message: PidPane.Changed) -> None:
        self.set_filters(self.filters._replace(pids=message.pids, hidden_processes=message.hidden_codes))

    @on(LogPane.RecordChosen)
    def _record_chosen(self, message: LogPane.RecordChosen) -> None:
        stored = None
        if message.row is not None:
            sources, offsets, lengths = self.pipeline.timeline.spans(np.array([message.row]))
            stored = StoredRecord(partial(self.pipeline.read_bytes, int(sources[0])), int(offsets[0]), int(lengths[0]))
        self.push_screen(DetailScreen(message.record, stored))

    # -- search -------------------------------------------------------------------------

    @property
    def prompt(self) -> PromptBar:
        return self.query_one(PromptBar)

    def action_search(self) -> None:
        self.prompt.ask("Search: a regex or text, any case unless it has a capital", self.search_for, check=regex_error)

    def search_for(self, text: str) -> None:
        """Search every pane for ``text`` (smart case), and go to the first match from the cursor."""
        pattern = smart_case(text)
        self.search.start(pattern, text)
        self._notice = ("", None)  # what the last search said ("wrapped to the top") is not about this one
        compiled = re.compile(pattern)
        for pane in self.query(LogPane):
            pane.set_search(compiled)
        self._moved_early_for = None
        timeline = self.pipeline.timeline
        if not self.indexing and sum(source.bytes_indexed for source in timeline.sources) <= SEARCH_HERE_BYTES:
            # A small log is searched at once, here: the answer is drawn with the frame that closes the bar.
            self._matches_found(pattern, self.selector.text_hits(pattern).rows(), jump=True)
            return
        pane = self.log_pane
        near = None if self.indexing else (pane.selection, pane.selection_cursor)
        found = first_match(self.pipeline, pattern, *near, budget=NEAR_HERE_RECORDS) if near is not None else None
        if found is not None and near is not None:
            # Found here, the match is on the frame that closes the bar; the count follows.
            self._first_match_found(pattern, near[0], found)
            near = None
        self._update_status()
        # After the frame that closes the bar (and shows the match): the count's thread would slow that frame down,
        # holding the GIL for most of its 5 ms turns.
        self.call_after_refresh(self.find_matches, pattern, near=near)

    def _first_match_found(self, text: str, view: ViewRows, found: FirstMatch) -> None:
        """The cursor to the first match, before the count: unless the search, or the view searched, has changed since."""
        pane = self.log_pane
        if self.closing or self.search.text != text or self.search.rows is not None or pane.selection is not view:
            return
        self._moved_early_for = text
        self._move_cursor(pane, found.position)
        if not found.below:
            self._update_status("none below: the nearest match above")

    def _matches_found(self, text: str, rows: np.ndarray, jump: bool) -> None:
        if self.closing:
            return
        if self.search.found(text, rows):
            if jump and self._moved_early_for != text:
                self._first_match()
            else:
                self._update_status()

    def _first_match(self) -> None:
        """A new search goes to the first match from the cursor down; with none below, to the nearest above.

        The viewer opens on the newest record: a search from there means the
        latest match, not the oldest one at the far end of a wrap.
        """
        pane = self.log_pane
        positions = self._matches(pane)
        if len(positions) == 0 or len(pane.selection) == 0:
            self._update_status()  # "no match"
            return
        below = int(np.searchsorted(positions, pane.selection_cursor))
        self._move_cursor(pane, int(positions[min(below, len(positions) - 1)]))
        if below == len(positions):
            self._update_status("none below: the nearest match above")

    def _matches(self, pane: LogPane) -> np.ndarray:
        return self.search.positions(pane.id or "", pane.selection)

    def action_next_match(self, step: int) -> None:
        pane = self.log_pane
        if not self.search.text:
            self.action_search()
            return
        if not self.search.ready or len(pane.selection) == 0:
            return
        cursor = pane.selection_cursor
        target = SearchState.next_position(self._matches(pane), cursor, step)
        if target is None:
            self._update_status()  # "no match"
            return
        wrapped = target < cursor if step > 0 else target > cursor
        self._move_cursor(pane, target)
        if wrapped:
            self._update_status("the search wrapped to the top" if step > 0 else "the search wrapped to the bottom")

    def action_next_at_level(self, level: int, step: int) -> None:
        """The next (``step`` 1) or previous record at ``level`` or above, as lnav's e/E and w/W."""
        pane = self.log_pane
        target = next_at_level(self.pipeline.timeline, pane.selection, pane.selection_cursor, step, level)
        if target is None:
            name = "error" if level >= 40 else "warning"
            self._update_status(f"no {name} {'below' if step > 0 else 'above'}")
            return
        self._move_cursor(pane, target)

    def _move_cursor(self, pane: LogPane, index: int) -> None:
        """A jump to a record of the selection: following pauses (G resumes it), and the record is centred."""
        pane.pause_follow()
        pane.end_preview()
        pane.move_to(index, center=True)
        self._update_status()

    # -- other actions --------------------------------------------------------------------

    def action_toggle_follow(self) -> None:
        pane = self.log_pane
        pane.follow_paused = False
        pane.follow = not pane.follow
        self._update_status()

    def action_add_text_filter(self, keep: bool) -> None:
        def added(pattern: str) -> None:
            filters = self.filters
            self.set_filters(filters._replace(text_filters=(*filters.text_filters, TextFilter(pattern, keep))))
            self.query_one(TextFilterList).set_filters(self.filters.text_filters)

        title = "Keep records matching (regex; any filter-in keeps)" if keep else "Hide records matching (regex)"
        self.prompt.ask(title, added, check=regex_error)

    @on(TextFilterList.Changed)
    def _text_filters_changed(self, message: TextFilterList.Changed) -> None:
        self.set_filters(self.filters._replace(text_filters=message.filters))
        self.query_one(TextFilterList).set_filters(message.filters)

    def action_jump_to_time(self) -> None:
        pane = self.log_pane
        reference = self._cursor_time()

        def check(text: str) -> str | None:
            try:
                parse_moment(text, reference)
            except FilterError as error:
                return str(error)
            return None

        def jump(text: str) -> None:
            index = first_at_or_after(self.pipeline.timeline, pane.selection, parse_moment(text, reference))
            self._move_cursor(pane, min(index, len(pane.selection) - 1))

        # The forms in the placeholder, not the title: the title is cut to the bar's width (80 columns).
        self.prompt.ask(
            "Jump to time", jump, placeholder="2024-03-01T12:00, 12:00 on the cursor's day, -5m or +1h from the cursor", check=check
        )

    def action_save_view(self, output: str) -> None:
        """Write the focused pane's records to a file, as text (the original lines) or JSONL; asks before overwriting."""
        rows = self.log_pane.selection
        suffix = "jsonl" if output == "jsonl" else "log"

        self.prompt.ask_path(
            f"Save {len(rows):,} records as {output} to",
            f"logview-view.{suffix}",
            lambda target: self.save_rows(rows, target, output),
            lambda: self._update_status("not saved"),
        )

    @work(thread=True, group="save")
    def save_rows(self, rows: ViewRows, path: str, output: str) -> None:
        try:
            written = save_view(self.pipeline, rows, path, output)
        except OSError as error:
            self.call_from_thread(self.notify, f"cannot save to {path}: {error.strerror or error}", severity="error")
            return
        self.call_from_thread(self.notify, f"saved {written:,} records to {path}")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        ours = list(viewer_commands(self)) if screen is self.screen_stack[0] else []  # they act on the main screen's panes
        titles = {command.title for command in ours}
        # Textual's own, but those the viewer has a command of its own for (Quit, Keys): each once.
        yield from (command for command in super().get_system_commands(screen) if command.title not in titles)
        yield from ours

    def action_toggle_wrap(self) -> None:
        pane = self.log_pane
        pane.wrap = not pane.wrap

    async def action_split(self) -> None:
        """Open a second log pane beside the first, with a copy of its filters; again to close it."""
        if "log2" in self.views:
            pane = self.query_one("#log2", LogPane)
            del self.views["log2"]
            await pane.remove()
            self.active = "log"
            self.screen.set_focus(self.query_one("#log", LogPane))
            # The pane left is the one the status bar and the histogram tell of now, as when it is focused.
            self._show_pane_state()
            self._update_status()
            self._refresh_histogram()
            return
        source, view = self.log_pane, self.views[self.active]
        # The same filters select the same rows: the split pane opens with the pane's own, at its place.
        self.views["log2"] = View(self.filters, selection=view.selection, shown=0 if view.selection is not None else -1)
        pane = LogPane(self.reader, id="log2")
        await self.query_one("#panes").mount(pane)
        pane.set_search(source.search)
        pane.open_as(source)
        if not view.settled:
            self.request_selection("log2")
        self.screen.set_focus(pane)

    def action_focus_pane(self, pane_id: str) -> None:
        if pane_id == "log":
            if self.prompt.is_open:
                self.prompt.close()
            self.screen.set_focus(self.log_pane)
            return
        self._show_sidebar(True)
        # At once, as the prompt does: keys typed right after l, o or p are the pane's.
        self.screen.set_focus(self.query_one(f"#{pane_id}"))

    def action_toggle_sidebar(self) -> None:
        self._sidebar_chosen = True
        self._show_sidebar(not self.query_one("#sidebar").display)

    def _show_sidebar(self, shown: bool) -> None:
        sidebar = self.query_one("#sidebar")
        if sidebar.display == shown:
            return
        if not shown and self.screen.focused is not None and self.screen.focused in sidebar.query("*"):
            self.screen.set_focus(self.log_pane)
        sidebar.display = shown

    def _apply_defaults(self) -> None:
        """The config file's viewer defaults; a theme the installed Textual does not have is named, and the default kept."""
        theme = self.defaults.theme
        if theme is not None and theme in self.available_themes:
            self.theme = theme
        elif theme is not None:
            known = ", ".join(sorted(self.available_themes))
            self.theme_problem = f"{self.defaults.theme_at}: unknown theme {theme!r} (known: {known}); the default theme is used"
        if self.defaults.sidebar is not None:
            self._show_sidebar(self.defaults.sidebar)
        for problem in [*self.config_problems, *filter(None, [self.theme_problem])]:
            self.notify(problem, title="config", severity="warning", timeout=15)

    def _fit_sidebar(self, width: int) -> None:
        """The sidebar on wide terminals, hidden on narrow ones, until the user decides."""
        if not self._sidebar_chosen:
            self._show_sidebar(sidebar_shown(width))

    def _fit_layout(self, height: int) -> None:
        """The parts' sizes, in cells, as ui/layout.py gives them (and the first frame drew them)."""
        self.query_one("#sidebar").styles.width = SIDEBAR_WIDTH
        self.query_one(HistogramStrip).styles.height = HISTOGRAM_HEIGHT
        for (pane_id, _), pane_height in zip(SIDEBAR_PANES, sidebar_heights(height - BARS_HEIGHT), strict=True):
            self.query_one(f"#{pane_id}").styles.height = pane_height

    def on_resize(self, event: events.Resize) -> None:
        self._fit_sidebar(event.size.width)
        self._fit_layout(event.size.height)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def pop_screen(self) -> AwaitComplete:
        """Close a dialog (keys, details, the palette) onto the log pane, whatever had the focus before it opened.

        Here, as the dialog leaves the stack, not when the main screen resumes: the key typed after the
        Esc that closed it is read before then, and must find the log pane (a space pages down the log,
        where the levels pane would hide DEBUG). A bar still open (Ctrl+P from a search) has it back.
        """
        popped = super().pop_screen()
        if self.screen is self.screen_stack[0] and not self.closing:
            self.screen.set_focus(self.prompt if self.prompt.is_open else self.log_pane)
        return popped

    def on_unmount(self) -> None:
        self._give_back_signals()
        gc.unfreeze()  # the objects frozen when indexing was done: collected as usual again
        self._stop_sources.set()
        self.pipeline.close()
        if self.running is not None:
            self.running.close()


@dataclass
class View:
    """What one log pane shows: its filters, and the latest rows and counts computed for them."""

    filters: Filters
    selection: Selection | None = None
    requested: int = 0
    shown: int = -1
    running: bool = False

    @property
    def settled(self) -> bool:
        return self.selection is not None and self.shown == self.requested


def _nothing_to_undo() -> None:
    """The app was never mounted: no signal handler to give back."""


def _errors_note(errors: list[str], waiting: set[str]) -> str:
    """The inputs' errors in the status bar's one line: one error whole, several by the names of their inputs.

    Inputs that are only ``waiting`` (not there yet) are not called errors.
    """
    named = [error.partition(": ") for error in errors]
    if len(errors) == 1:
        name, separator, cause = named[0]
        return f"{os.path.basename(name)}{separator}{cause}" if separator else errors[0]
    what = "inputs waited for" if waiting.issuperset(errors) else "input errors"
    return f"{len(errors)} {what}: " + ", ".join(os.path.basename(name) for name, _, _ in named)


def listening_app(paths: Sequence[str], filters: Filters | None, pipeline: Pipeline | None, listener: SocketListener) -> LogViewApp:
    """The viewer over ``paths`` and the records senders send to ``listener``, whose problems it shows."""
    pipeline = pipeline or Pipeline(growing=True, chunk_size=VIEWER_CHUNK_SIZE)
    return LogViewApp(paths, filters, pipeline, sources=[FileSource(pipeline, paths, follow=True), SocketSource(listener)])


def run_app(
    paths: Sequence[str],
    filters: Filters,
    pipeline: Pipeline,
    sources: Sequence[Source],
    top: bool = False,
    frame: FirstFrame | None = None,
    defaults: ViewerDefaults | None = None,
    config_problems: Sequence[str] = (),
) -> int:
    """The viewer in this terminal on ``sources``; over ``frame`` (drawn before Textual was loaded) when there is one."""
    newest = Newest(frame.records, list(paths)) if frame is not None else None
    driver_class = driver_over(frame) if frame is not None else None
    return run_viewer_app(
        LogViewApp(
            paths,
            filters,
            pipeline,
            top=top,
            newest=newest,
            driver_class=driver_class,
            defaults=defaults,
            config_problems=config_problems,
            sources=sources,
        )
    )


def run_viewer_app(app: LogViewApp) -> int:
    """Run the app in the terminal; the exit status: 0, 1 when an input could not be read, 70 when the app failed."""
    app.run()
    if app.theme_problem is not None:
        say(app.theme_problem)
    if app.crash is not None:
        return report_crash(app.crash)
    if app.return_code:
        return app.return_code
    return 1 if app.input_problems else 0
