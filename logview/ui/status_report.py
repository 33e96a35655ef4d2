"""The status bar's line for the active log pane: its counts, follow state, search, inputs and cursor time."""

from __future__ import annotations

from logview.core.record import format_time
from logview.core.session import Session
from logview.ui.status_line import StatusParts
from logview.ui.widgets.log_pane import LogPane
from logview.ui.widgets.status_bar import StatusBar, describe_sources


class StatusReport:
    """Composes the status line from the session and a pane; a notice is said until the cursor leaves its record."""

    def __init__(self, session: Session) -> None:
        self.session = session
        #: Said in the status bar while the cursor stays on the row it was said at (the search wrapped around…).
        self.notice: tuple[str, int | None] = ("", None)

    def show(self, bar: StatusBar, pane: LogPane, notice: str = "") -> None:
        """Tell ``bar`` the state of ``pane``; ``notice`` is said until the cursor leaves the record it is on."""
        session = self.session
        timeline = session.pipeline.timeline
        moment = pane.cursor_time()
        if notice:
            self.notice = (notice, pane.cursor)
        said, cursor = self.notice
        note = said if said and cursor == pane.cursor else ""
        follow = "following" if pane.follow else "paused" if pane.follow_paused else ""
        bar.show(
            StatusParts(
                shown=len(pane.selection),
                total=len(timeline),
                follow=follow,
                search=session.search_note(pane.id or "", pane.selection, pane.selection_cursor),
                note=note or session.status_note(),
                sources=describe_sources(timeline.sources),
                time="" if moment is None else format_time(moment) or "",
                column=int(pane.scroll_x),
            )
        )
