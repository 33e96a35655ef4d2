"""The keys screen (``?``) at 80×24: its table is taller than the screen, and scrolls with the log pane's keys."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from textual.pilot import Pilot

from logview.ui.app import LogViewApp
from logview.ui.commands import COMMANDS
from logview.ui.screens.help import HelpScreen, help_rows
from tests.functional.driving import screen_lines, settled, type_ahead, wait_for

FIRST = "Previous record: move up one record"
LAST = "Command palette: every command by name"


def shown(app: LogViewApp) -> str:
    return "\n".join(screen_lines(app))


async def open_keys(pilot: Pilot, app: LogViewApp) -> VerticalScroll:
    """Type ``?`` and wait for the table's first row; the table's scroll."""
    await type_ahead(pilot, "?")
    await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen) and FIRST in shown(app))
    return app.screen.query_one(VerticalScroll)


async def test_the_last_key_is_brought_on_screen_by_end_and_g(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await open_keys(pilot, app)
        assert LAST not in shown(app)
        for bottom, top in (("<end>", "<home>"), ("G", "g")):
            await type_ahead(pilot, bottom)
            await wait_for(pilot, lambda: LAST in shown(app))
            assert FIRST not in shown(app)
            await type_ahead(pilot, top)
            await wait_for(pilot, lambda: FIRST in shown(app))
            assert LAST not in shown(app)


async def test_paging_down_shows_every_key(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        scroll = await open_keys(pilot, app)
        seen = shown(app)
        for page in ("<pagedown>", " ", " ", " "):
            if LAST in seen:
                break
            at = scroll.scroll_y
            await type_ahead(pilot, page)
            await wait_for(pilot, lambda at=at: scroll.scroll_y > at)
            await wait_for(pilot, lambda at=at: FIRST not in shown(app))
            seen += shown(app)
        assert LAST in seen
        assert [command.title for command in COMMANDS if f"{command.title}: " not in seen] == []
        await type_ahead(pilot, "<pageup>b")
        await wait_for(pilot, lambda: scroll.scroll_y == 0)


async def test_lines_up_and_down(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        scroll = await open_keys(pilot, app)
        await type_ahead(pilot, "jj<down>")
        await wait_for(pilot, lambda: scroll.scroll_y == 3)
        await type_ahead(pilot, "k<up>")
        await wait_for(pilot, lambda: scroll.scroll_y == 1)
        await type_ahead(pilot, "<escape>k")  # the keys screen closes; the k is the log pane's again (a move up pauses following)
        await wait_for(pilot, lambda: app.screen is app.screen_stack[0] and not app.log_pane.follow)


def test_a_sidebar_key_says_where_it_works_once() -> None:
    rows = dict(help_rows())
    assert rows["a"] == "This level and above: keep the highlighted level and those above it (in the levels pane)"
    for keys, text in help_rows():
        for where in ("levels pane", "logger pane", "text filters"):
            assert text.count(where) <= 1, f"{keys}: {text}"
