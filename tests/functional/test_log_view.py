"""The view widget: one log pane over a view of the session, mounted beside another for a split, and closed with its requests."""

from __future__ import annotations

from pathlib import Path

from logview.core.filters import Filters
from logview.ui.app import LogViewApp
from logview.ui.widgets.log_view import LogView
from tests.functional.driving import SIZE, settled, wait_for


async def test_a_view_opened_beside_another_shows_its_filters_and_its_records(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], Filters(min_level=30))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        first = app.query_one("#log-view", LogView)
        await pilot.press("s")
        await settled(pilot)
        second = app.query_one("#log2-view", LogView)
        assert [view.view_id for view in app.query(LogView)] == ["log", "log2"]
        assert second.has_class("beside") and not first.has_class("beside")
        assert app.session.views["log2"].filters == app.session.views["log"].filters
        assert second.pane.selection.to_array().tolist() == first.pane.selection.to_array().tolist()
        assert second.pane.cursor == first.pane.cursor


async def test_a_closed_view_leaves_the_session_and_its_late_rows_are_dropped(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("s")
        await settled(pilot)
        selection = app.session.views["log2"].selection
        assert selection is not None
        await pilot.press("s")
        await wait_for(pilot, lambda: not app.query("#log2-view"), what="the second view unmounted")
        assert list(app.session.views) == ["log"] and app.session.active == "log"
        # A result delivered for the closed view after it went (its evaluation was under way) finds no view to show it.
        app.session_display.selection_shown("log2", selection)
        await pilot.press("s")  # and it opens again
        await settled(pilot)
        assert [view.view_id for view in app.query(LogView)] == ["log", "log2"]
