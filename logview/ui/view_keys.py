"""The keys that change what the views look like: follow, wrap, split, the sidebar, and which part has the focus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from logview.ui.widgets.log_view import LogView

if TYPE_CHECKING:
    from logview.ui.app import LogViewApp


class ViewKeys:
    """Acts on the active log pane, the views beside it and the sidebar; each focus is set at once (see LogViewApp.AUTO_FOCUS)."""

    def __init__(self, app: LogViewApp) -> None:
        self.app = app

    def toggle_follow(self) -> None:
        pane = self.app.log_pane
        pane.follow_paused = False
        pane.follow = not pane.follow
        self.app.update_status()

    def toggle_wrap(self) -> None:
        pane = self.app.log_pane
        pane.wrap = not pane.wrap

    async def split(self) -> None:
        """Open a second view beside the first, with a copy of its filters; again to close it."""
        app = self.app
        second = next(app.query("#log2-view").results(LogView), None)
        if second is not None:
            await second.close()
            app.session.active = "log"
            app.screen.set_focus(app.log_pane)
            # The view left is the one the status bar and the histogram tell of now, as when it is focused.
            app.session_display.activate("log")
            return
        view = LogView(app.session, "log2", classes="beside")
        await view.open_beside(app.query_one(f"#{app.session.active}-view", LogView), app.query_one("#panes"))
        app.screen.set_focus(view.pane)

    def focus_pane(self, pane_id: str) -> None:
        app = self.app
        if pane_id == "log":
            if app.prompt.is_open:
                app.prompt.close()
            app.screen.set_focus(app.log_pane)
            return
        app.sidebar.show(True, app.log_pane)
        # At once, as the prompt does: keys typed right after l, o or p are the pane's.
        app.screen.set_focus(app.query_one(f"#{pane_id}"))

    def toggle_sidebar(self) -> None:
        sidebar = self.app.sidebar
        sidebar.chosen = True
        sidebar.show(not sidebar.display, self.app.log_pane)
