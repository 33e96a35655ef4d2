"""Snapshot tests: what the main screens look like on the bundled sample logs.

Update with ``pytest tests/snapshots --snapshot-update`` after a deliberate
change of the layout, and look at the SVGs in the report before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from logview.ui.app import LogViewApp
from logview.ui.widgets.histogram import HistogramStrip
from tests.functional.driving import wait_for

ROOT = Path(__file__).resolve().parent.parent.parent
# Relative paths, from the repository's root: the detail view shows the path as given.
SAMPLES = [f"sample_logs/{name}" for name in ("worker-1.log", "worker-2.log", "worker-3.log", "errors.log")]
SIZE = (140, 36)


@pytest.fixture(autouse=True)
def _from_the_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


async def _settled(pilot: Pilot) -> None:
    """Until the index is read, every pane shows its filters and the histogram is counted; fails otherwise.

    A snapshot taken of a screen still loading would pin a passing state, or
    fail later with a diff that hides why.
    """
    app = pilot.app
    assert isinstance(app, LogViewApp)

    def ready() -> bool:
        return app.is_settled and app.query_one(HistogramStrip).histogram is not None

    await wait_for(pilot, ready, timeout=20.0, what="the app settled and its histogram counted")
    await pilot.pause()


def test_main_screen(snap_compare) -> None:
    assert snap_compare(LogViewApp(SAMPLES), terminal_size=SIZE, run_before=_settled)


def test_levels_filtered(snap_compare) -> None:
    async def hide_debug_and_info(pilot: Pilot) -> None:
        await _settled(pilot)
        await pilot.press("l", "space", "down", "space")
        await _settled(pilot)

    assert snap_compare(LogViewApp(SAMPLES), terminal_size=SIZE, run_before=hide_debug_and_info)


def test_detail_view(snap_compare) -> None:
    async def open_traceback(pilot: Pilot) -> None:
        await _settled(pilot)
        await pilot.press("slash", *"Traceback", "enter")
        app = pilot.app
        assert isinstance(app, LogViewApp)
        await wait_for(pilot, lambda: app.session.search.rows is not None, timeout=10.0, what="the search's matches found")
        await pilot.press("n", "k", "enter")
        await pilot.pause()

    assert snap_compare(LogViewApp(SAMPLES), terminal_size=SIZE, run_before=open_traceback)


def test_help_screen(snap_compare) -> None:
    async def open_help(pilot: Pilot) -> None:
        await _settled(pilot)
        await pilot.press("question_mark")

    assert snap_compare(LogViewApp(SAMPLES), terminal_size=SIZE, run_before=open_help)


def test_split_panes(snap_compare) -> None:
    async def split(pilot: Pilot) -> None:
        await _settled(pilot)
        await pilot.press("s")
        await _settled(pilot)
        await pilot.press("p", "space")
        await _settled(pilot)

    assert snap_compare(LogViewApp(SAMPLES), terminal_size=SIZE, run_before=split)
