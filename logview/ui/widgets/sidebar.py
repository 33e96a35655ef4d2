"""The sidebar: the panes that filter the active log pane, shown on wide terminals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget

from logview.core.filters import Filters, TextFilter
from logview.core.index.timeline import Timeline
from logview.core.selection import PaneCounts
from logview.ui.layout import SIDEBAR_PANES, SIDEBAR_WIDTH, sidebar_heights, sidebar_shown
from logview.ui.widgets.host_pane import HostPane
from logview.ui.widgets.level_pane import LevelPane
from logview.ui.widgets.logger_tree import LoggerTree
from logview.ui.widgets.pid_pane import PidPane
from logview.ui.widgets.text_filters import TextFilterList


class Sidebar(Vertical):
    """The levels, loggers, hosts, processes and text filters of the active log pane, with its counts.

    The terminal's width decides whether it is shown until the user (or the
    config file) decides: then ``chosen`` holds. Whichever of its panes the
    user changes, it tells the app in one message.
    """

    @dataclass
    class FiltersEdited(Message):
        """The user changed a filter: ``edit`` makes the active log pane's new filters from its current ones."""

        edit: Callable[[Filters], Filters]

    def __init__(self, chosen: bool, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: The user showed or hid the sidebar: the terminal's width no longer decides.
        self.chosen = chosen
        #: Hosts the records name: the hosts pane has a row each (none: no pane).
        self._hosts = 0
        #: The rows the sidebar has (fit's ``height``).
        self._height = 0

    def compose(self) -> ComposeResult:
        yield LevelPane(id="levels")
        yield LoggerTree(id="loggers")
        yield HostPane(id="hosts")
        yield PidPane(id="processes")
        yield TextFilterList(id="text-filters")

    def on_mount(self) -> None:
        for pane_id, title in SIDEBAR_PANES:
            self.query_one(f"#{pane_id}").border_title = title

    @on(LevelPane.Changed)
    def _levels_changed(self, message: LevelPane.Changed) -> None:
        message.stop()
        self.post_message(self.FiltersEdited(lambda filters: filters._replace(min_level=message.floor, hidden_levels=message.hidden)))

    @on(LoggerTree.Changed)
    def _loggers_changed(self, message: LoggerTree.Changed) -> None:
        message.stop()
        self.post_message(
            self.FiltersEdited(
                lambda filters: filters._replace(
                    loggers=message.shown, exclude_loggers=message.hidden, exclude_logger_names=message.hidden_names
                )
            )
        )

    @on(HostPane.Changed)
    def _hosts_changed(self, message: HostPane.Changed) -> None:
        message.stop()
        self.post_message(self.FiltersEdited(lambda filters: filters._replace(hosts=message.hosts, hidden_hosts=message.hidden)))

    @on(PidPane.Changed)
    def _processes_changed(self, message: PidPane.Changed) -> None:
        message.stop()
        self.post_message(self.FiltersEdited(lambda filters: filters._replace(pids=message.pids, hidden_processes=message.hidden_codes)))

    @on(TextFilterList.Changed)
    def _text_filters_changed(self, message: TextFilterList.Changed) -> None:
        message.stop()
        self.post_message(self.FiltersEdited(lambda filters: filters._replace(text_filters=message.filters)))
        self.show_text_filters(message.filters)

    def show_text_filters(self, text_filters: tuple[TextFilter, ...]) -> None:
        self.query_one(TextFilterList).set_filters(text_filters)

    def show_filters(self, filters: Filters) -> None:
        """Make the panes show a log pane's filters."""
        self.query_one(LevelPane).set_state(filters.min_level, set(filters.hidden_levels))
        self.query_one(LoggerTree).set_state(set(filters.loggers), set(filters.exclude_loggers), set(filters.exclude_logger_names))
        self.query_one(HostPane).set_state(filters.hosts, set(filters.hidden_hosts))
        self.query_one(PidPane).set_state(filters.pids, set(filters.hidden_processes))
        self.show_text_filters(filters.text_filters)

    def show_counts(self, timeline: Timeline, counts: PaneCounts) -> None:
        symbols = timeline.symbols
        self.query_one(LevelPane).update_counts(symbols.levels, counts.levels)
        self.query_one(LoggerTree).update_counts(symbols.loggers, counts.loggers)
        self.query_one(PidPane).update_counts(symbols.processes, counts.processes)
        hosts = self.query_one(HostPane).update_counts(symbols.processes, counts.hosts, symbols.clocks)
        if hosts != self._hosts:
            self._hosts = hosts
            self._fit_panes()

    def show(self, shown: bool, focus_instead: Widget) -> None:
        """Show or hide the sidebar; hidden, the focus it had goes to ``focus_instead``."""
        if self.display == shown:
            return
        if not shown and self.screen.focused is not None and self.screen.focused in self.query("*"):
            self.screen.set_focus(focus_instead)
        self.display = shown

    def fit(self, width: int, height: int, focus_instead: Widget) -> None:
        """Shown on wide terminals, hidden on narrow ones, until the user decides; the panes' heights as layout.py gives them."""
        if not self.chosen:
            self.show(sidebar_shown(width), focus_instead)
        self.styles.width = SIDEBAR_WIDTH
        self._height = height
        self._fit_panes()

    def _fit_panes(self) -> None:
        for (pane_id, _), pane_height in zip(SIDEBAR_PANES, sidebar_heights(self._height, self._hosts), strict=True):
            pane = self.query_one(f"#{pane_id}")
            pane.styles.height = pane_height
            pane.display = pane_height > 0
