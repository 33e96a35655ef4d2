"""LogViewApp: composes the screen, and routes messages and keys to the session and to the widgets.

The session (logview.core.session) owns the pipeline and the views' requests, run as the app's thread
workers (AppRunner); SessionDisplay shows its results. What is not routing lives beside the app: the keys'
actions (search_keys, view_keys, prompted_actions), the sources' events (source_events), the first screen's
newest records (newest_preview), the config's defaults (viewer_defaults), where keys go (key_focus) and the
crash hooks (crash_hooks). Each view is a LogView (widgets/log_view.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.driver import Driver
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget

from logview.core.config import ViewerDefaults
from logview.core.filters import Filters
from logview.core.newest import Newest
from logview.core.pipeline import VIEWER_CHUNK_SIZE, Pipeline
from logview.core.session import Session
from logview.core.sources.queue import LogQueue
from logview.core.sources.source import Source
from logview.ui.app_runner import AppRunner
from logview.ui.colors import css_variables
from logview.ui.commands import bindings
from logview.ui.crash_hooks import CrashHooks
from logview.ui.key_focus import KeyFocus
from logview.ui.layout import BARS_HEIGHT, HISTOGRAM_HEIGHT
from logview.ui.messages import Delivered, IndexDone, IndexGrew, SourcesChanged
from logview.ui.newest_preview import NewestPreview
from logview.ui.palette import system_commands
from logview.ui.prompted_actions import PromptedActions
from logview.ui.quit_signals import quit_on_signals
from logview.ui.screens.detail import DetailScreen
from logview.ui.screens.help import HelpScreen
from logview.ui.search_keys import SearchKeys
from logview.ui.session_display import SessionDisplay
from logview.ui.source_events import sources_caught_up, sources_changed, start_sources, stop_sources, viewer_sources
from logview.ui.status_report import StatusReport
from logview.ui.view_keys import ViewKeys
from logview.ui.viewer_defaults import apply_viewer_defaults
from logview.ui.widgets.histogram import HistogramStrip
from logview.ui.widgets.key_bar import KeyBar
from logview.ui.widgets.log_pane import LogPane
from logview.ui.widgets.log_view import LogView
from logview.ui.widgets.prompt_bar import PromptBar
from logview.ui.widgets.sidebar import Sidebar
from logview.ui.widgets.status_bar import StatusBar


class LogViewApp(KeyFocus, CrashHooks):
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
        #: Shows what the session tells (its listener) on the widgets.
        self.session_display = SessionDisplay(self)
        self.session = Session(
            self.pipeline, filters, AppRunner(self), self.session_display, viewer_sources(self.pipeline, paths, queues, sources)
        )
        self.reader = self.session.reader
        self.search_keys = SearchKeys(self)
        self.status = StatusReport(self.session)
        self.newest_preview = NewestPreview(self)
        self.prompted = PromptedActions(self)
        self.view_keys = ViewKeys(self)
        #: Set once the first records are on screen: the loader waits for it (FIRST_PAINT_WAIT at most) before it reads on.
        self.first_paint = threading.Event()
        #: The status bar, once mounted; detached when the app closes.
        self._status_bar: StatusBar | None = None
        #: Gives SIGTERM and SIGHUP back their handlers (set on mount: they quit the app meanwhile).
        self._give_back_signals: Callable[[], None] = _nothing_to_undo

    @property
    def input_problems(self) -> list[str]:
        return self.session.inputs.problems

    def get_css_variables(self) -> dict[str, str]:
        # The viewer's own colours ($lv-…), which the first frame drawn before Textual paints with too.
        return {**super().get_css_variables(), **css_variables()}

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield Sidebar(self.defaults.sidebar is not None, id="sidebar")
            with Vertical(id="main"):
                yield HistogramStrip(id="histogram")
                with Horizontal(id="panes"):
                    yield LogView(self.session, "log")
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
        return self.session.settled

    @property
    def log_pane(self) -> LogPane:
        """The log pane the sidebar edits: the last one focused."""
        return self.query_one(f"#{self.session.active}", LogPane)

    @property
    def prompt(self) -> PromptBar:
        return self.query_one(PromptBar)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    def on_mount(self) -> None:
        # Kept to tell cheaply whether the app is closing: workers deliver results several times a second.
        self._status_bar = self.query_one(StatusBar)
        self._give_back_signals = quit_on_signals(self)
        apply_viewer_defaults(self)
        self._fit_layout(self.size)
        # At once, not after a refresh: keys typed while the app was loading are queued behind this mount,
        # and a Widget.focus() would come after them: they would find no pane to act on.
        self.screen.set_focus(self.log_pane)
        self.log_pane.follow = not self.top
        self.newest_preview.open()
        self.session_display.show_active_state()
        self.update_status()
        start_sources(self)

    # -- workers --------------------------------------------------------------------

    def on_delivered(self, message: Delivered) -> None:
        if not self.closing:  # else the widgets the result was for are gone
            message.callback()

    def update_status(self, notice: str = "") -> None:
        """Tell the status bar the active pane's state; ``notice`` is said until the cursor leaves the record it is on."""
        if self._status_bar is not None:
            self.status.show(self._status_bar, self.log_pane, notice)

    # -- index and selection ------------------------------------------------------------

    def set_filters(self, filters: Filters) -> None:
        """New filters for the active pane (which leaves the preview: it cannot be filtered)."""
        self.log_pane.end_preview()
        self.session.set_filters(filters)

    def on_index_grew(self, message: IndexGrew) -> None:
        self.session.index_grew(message.records, message.bytes_indexed)

    def on_sources_changed(self, message: SourcesChanged) -> None:
        if self.closing:
            return
        sources_changed(self, message.notes)

    def on_index_done(self, message: IndexDone) -> None:
        if self.closing:
            return
        sources_caught_up(self)

    def on_histogram_strip_bins_changed(self, message: HistogramStrip.BinsChanged) -> None:
        self.session.request_histogram()

    @on(LogPane.CursorMoved)
    def _cursor_moved(self, message: LogPane.CursorMoved) -> None:
        if self.closing:
            return
        if message.pane.id == self.session.active:
            self.session_display.cursor_moved()

    @on(LogPane.ScrolledSideways)
    def _scrolled_sideways(self, message: LogPane.ScrolledSideways) -> None:
        if not self.closing and message.pane.id == self.session.active:
            self.update_status()

    @on(LogPane.Focused)
    def _pane_focused(self, message: LogPane.Focused) -> None:
        pane_id = message.pane.id
        if pane_id and pane_id != self.session.active and pane_id in self.session.views:
            self.session_display.activate(pane_id)

    # -- panes --------------------------------------------------------------------------

    def on_sidebar_filters_edited(self, message: Sidebar.FiltersEdited) -> None:
        self.set_filters(message.edit(self.session.filters))

    @on(LogPane.RecordChosen)
    def _record_chosen(self, message: LogPane.RecordChosen) -> None:
        self.push_screen(DetailScreen.of_row(message.record, message.row, self.pipeline))

    # -- search -------------------------------------------------------------------------

    def action_search(self) -> None:
        self.search_keys.ask()

    def action_next_match(self, step: int) -> None:
        self.search_keys.next_match(step)

    def action_next_at_level(self, level: int, step: int) -> None:
        self.search_keys.next_at_level(level, step)

    # -- other actions --------------------------------------------------------------------

    def action_toggle_follow(self) -> None:
        self.view_keys.toggle_follow()

    def action_add_text_filter(self, keep: bool) -> None:
        self.prompted.add_text_filter(keep)

    def action_jump_to_time(self) -> None:
        self.prompted.jump_to_time()

    def action_save_view(self, output: str) -> None:
        self.prompted.save_view(output)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        return system_commands(self, screen, super().get_system_commands(screen))

    def action_toggle_wrap(self) -> None:
        self.view_keys.toggle_wrap()

    async def action_split(self) -> None:
        await self.view_keys.split()

    def action_focus_pane(self, pane_id: str) -> None:
        self.view_keys.focus_pane(pane_id)

    def action_toggle_sidebar(self) -> None:
        self.view_keys.toggle_sidebar()

    def _fit_layout(self, size: Size) -> None:
        """The parts' sizes, in cells, as ui/layout.py gives them (and the first frame drew them)."""
        self.sidebar.fit(size.width, size.height - BARS_HEIGHT, self.log_pane)
        self.query_one(HistogramStrip).styles.height = HISTOGRAM_HEIGHT

    def on_resize(self, event: events.Resize) -> None:
        self._fit_layout(event.size)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def focus_after_dialog(self) -> Widget | None:
        if self.closing:
            return None
        return self.prompt if self.prompt.is_open else self.log_pane

    def on_unmount(self) -> None:
        self._give_back_signals()
        stop_sources(self)


def _nothing_to_undo() -> None:
    """The app was never mounted: no signal handler to give back."""
