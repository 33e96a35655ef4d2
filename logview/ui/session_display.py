"""What the session tells, shown on the widgets: each view's rows, and the active view's counts, status and histogram.

The session (logview.core.session) calls this as its listener; the app
calls it when the active view changes or its cursor moves. Only the active
view (the one the sidebar edits, the last focused) has the sidebar, the
status bar and the histogram.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from logview.core.first_match import FirstMatch
from logview.core.histogram import Histogram
from logview.core.selection import Selection
from logview.core.view_rows import ViewRows
from logview.ui.widgets.histogram import HistogramStrip
from logview.ui.widgets.log_view import LogView

if TYPE_CHECKING:
    from logview.ui.app import LogViewApp


class SessionDisplay:
    """The session's listener (core.session.SessionListener) in the app: its results go to the widgets."""

    def __init__(self, app: LogViewApp) -> None:
        self.app = app

    def selection_shown(self, view_id: str, selection: Selection) -> None:
        app = self.app
        session = app.session
        # What showing it costs the UI thread, up to the frame that draws it, is charged to the live refresh pacer.
        began = time.thread_time()
        app.call_after_refresh(lambda: session.pacer.spent(time.thread_time() - began))
        view = next(app.query(f"#{view_id}-view").results(LogView), None)
        if view is None:
            return  # the view was closed meanwhile
        view.show(selection)
        if len(selection.rows) and not app.first_paint.is_set():
            app.call_after_refresh(app.first_paint.set)
        if view_id == session.active:
            app.sidebar.show_counts(app.pipeline.timeline, selection.counts)
            app.update_status()

    def histogram_counted(self, histogram: Histogram | None) -> None:
        self.app.query_one(HistogramStrip).show(histogram, self.app.log_pane.cursor_time())

    def histogram_bins(self) -> int:
        return self.app.query_one(HistogramStrip).bins_wanted

    def first_match_found(self, view: ViewRows, found: FirstMatch) -> bool:
        return self.app.search_keys.first_match_found(view, found)

    def matches_found(self, jump: bool) -> None:
        self.app.search_keys.matches_found(jump)

    def activate(self, view_id: str) -> None:
        """Make ``view_id`` the view the sidebar, the status bar and the histogram tell of."""
        self.app.session.active = view_id
        self.show_active_state()
        self.app.update_status()
        self.app.session.request_histogram()

    def show_active_state(self) -> None:
        """Make the sidebar show the active view's filters and counts."""
        app = self.app
        app.sidebar.show_filters(app.session.filters)
        if (selection := app.session.selection) is not None:
            app.sidebar.show_counts(app.pipeline.timeline, selection.counts)

    def cursor_moved(self) -> None:
        """The active view's cursor moved: the status bar's time and the histogram's mark follow it."""
        self.app.update_status()
        self.app.query_one(HistogramStrip).move_cursor(self.app.log_pane.cursor_time())
