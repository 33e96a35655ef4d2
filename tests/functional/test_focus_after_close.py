"""Closing a bar or a dialog gives the focus to the log pane, whatever had it before.

The issue: ``l`` (the levels pane), ``/``, Esc, then space hid DEBUG instead
of paging down the log: the bar gave the focus back to the pane it was opened
from. Every bar and every modal screen (keys, details, the palette, saving)
now closes onto the log pane, the active one when the view is split.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from logview.ui.app import LogViewApp
from logview.ui.screens.detail import DetailScreen
from logview.ui.widgets.level_pane import LevelPane
from tests.functional.driving import SIZE, settled, type_ahead, wait_for


async def run_from_palette(pilot: Pilot, title: str) -> None:
    """Open the command palette, type ``title`` and run the command it finds."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*title)

    def found() -> bool:
        option = app.screen.query_one(CommandList).highlighted_option
        return option is not None and str(option.prompt).startswith(title)

    await wait_for(pilot, found)
    await pilot.press("enter")


@pytest.mark.parametrize("opening", ["/", "+", "-", "t"])
async def test_a_bar_opened_from_a_pane_closes_onto_the_log(small_log: Path, opening: str) -> None:
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, f"l{opening}<escape> ")  # the space: a page down, not DEBUG hidden
        await settled(pilot)
        assert app.log_pane.has_focus
        assert app.log_pane.cursor > 0 and len(app.log_pane.selection) == 120


async def test_an_answered_bar_closes_onto_the_log(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, "o/event 5<enter>j")
        await wait_for(pilot, lambda: app.session.search.ready)
        assert app.log_pane.has_focus and app.log_pane.cursor == 6


async def test_the_keys_screen_closes_onto_the_log(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, "l?")
        await wait_for(pilot, lambda: app.screen is not app.screen_stack[0])
        await type_ahead(pilot, "<escape> ")
        await settled(pilot)
        assert app.screen is app.screen_stack[0] and app.log_pane.has_focus
        assert app.log_pane.cursor > 0 and len(app.log_pane.selection) == 120


async def test_the_palette_closes_onto_the_log(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, "p")
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.screen_stack[0])
        assert app.log_pane.has_focus


async def test_the_details_close_onto_the_log(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, "l")
        await run_from_palette(pilot, "Record details")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.screen_stack[0])
        assert app.log_pane.has_focus


async def test_the_save_bar_closes_onto_the_log(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, "l")
        await run_from_palette(pilot, "Save view as text")
        await wait_for(pilot, lambda: app.prompt.is_open and app.prompt.has_focus)
        await pilot.press("escape")
        assert app.log_pane.has_focus


async def test_a_split_view_closes_onto_the_active_pane(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, "s")
        await settled(pilot)
        await wait_for(pilot, lambda: app.session.active == "log2")
        await type_ahead(pilot, "l/<escape>")
        assert app.focused is app.query_one("#log2")
        await type_ahead(pilot, "?")
        await wait_for(pilot, lambda: app.screen is not app.screen_stack[0])
        await type_ahead(pilot, "l")  # the keys screen's, not the app's: the sidebar stays as it was
        await type_ahead(pilot, "<escape>")
        await wait_for(pilot, lambda: app.screen is app.screen_stack[0])
        assert app.focused is app.query_one("#log2") and not app.query_one(LevelPane).has_focus


async def test_the_palette_opened_from_a_bar_gives_it_back(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, "l/event")
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.screen_stack[0])
        await type_ahead(pilot, " 5<enter>")
        await wait_for(pilot, lambda: app.session.search.ready)
        assert app.session.search.label == "event 5" and app.log_pane.has_focus
