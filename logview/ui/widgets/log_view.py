"""One view of the records: a log pane over the rows its filters select, as the session keeps them.

A split pane, or any other view, is one more of these mounted: the session
holds its filters and requests under its view id (``Session.views``), and the
view shows what they select.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

from logview.core.selection import Selection
from logview.core.session import Session
from logview.ui.widgets.log_pane import LogPane


class LogView(Vertical):
    """The log pane of the session's view ``view_id``; its id is ``{view_id}-view``, its pane's ``view_id``.

    A view opened beside another has the class ``beside`` (app.tcss draws the line between them).
    """

    def __init__(self, session: Session, view_id: str, *, classes: str | None = None) -> None:
        super().__init__(id=f"{view_id}-view", classes=classes)
        self.session = session
        #: The view's key in ``Session.views``, and its pane's id (which messages from the pane carry).
        self.view_id = view_id
        self.pane = LogPane(session.reader, id=view_id)

    def compose(self) -> ComposeResult:
        yield self.pane

    def show(self, selection: Selection) -> None:
        """The rows and counts of the view's latest filters, from the session."""
        # While the inputs are read, the newest records read from their ends stay on screen (LogPane.show_preview).
        self.pane.show(selection.rows, final=not self.session.indexing)

    async def open_beside(self, other: LogView, container: Widget) -> None:
        """Mount in ``container`` with a copy of ``other``'s filters (the active view's), showing what it shows, where.

        The same filters select the same rows: the view opens with ``other``'s
        at once, and has them evaluated again only when they were not current.
        """
        stale = self.session.add_view(self.view_id)
        await container.mount(self)
        self.pane.set_search(other.pane.search)
        self.pane.open_as(other.pane)
        if stale:
            self.session.request_selection(self.view_id)

    async def close(self) -> None:
        """Forget the view's filters and requests (results still coming are dropped), and unmount it."""
        del self.session.views[self.view_id]
        await self.remove()
