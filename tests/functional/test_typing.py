"""Keys as a user types them: fast, ahead of the screen, at 80×24.

A fast typist or a paste sends ``/`` and the text after it before the bar
has opened; Pilot's ``press`` waits for the app to go idle after each key,
which would hide that. Here the keys go to the driver all at once, as a
terminal delivers them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from logview.ui.app import LogViewApp
from logview.ui.widgets.level_pane import LevelPane
from tests.functional.driving import SIZE, screen_text, settled, type_ahead, wait_for


def status(app: LogViewApp) -> str:
    return str(app.query_one("#status").render())


async def test_keys_typed_right_after_slash_reach_the_search_bar(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        # A g, and a search whose letters (e: next error, n: next match, t: time) the log pane would take.
        await type_ahead(pilot, "g/event 11$<enter>")
        await wait_for(pilot, lambda: app.session.search.ready)
        pane = app.log_pane
        assert app.session.search.label == "event 11$" and pane.has_focus
        assert list(app.session.views) == ["log"]  # no split (s), no jump (n, g) was made by the search's letters
        assert app.reader.record(pane.current_row).message == "event 11"
        assert "match 1 of 1" in status(app)


async def test_keys_typed_right_after_plus_minus_and_t_reach_their_prompts(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, "+event 1<enter>")
        await settled(pilot)
        assert len(app.log_pane.selection) == 31
        await type_ahead(pilot, "-event 1[01]<enter>")
        await settled(pilot)
        assert len(app.log_pane.selection) == 9
        await type_ahead(pilot, "t00:00:15<enter>")  # event 15's time, on the cursor's day
        await pilot.pause()
        assert app.reader.record(app.log_pane.current_row).message == "event 15"
        assert app.log_pane.has_focus


async def test_escape_gives_the_focus_back_to_the_log_pane(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        for opening in ("/", "+", "-", "t"):
            await type_ahead(pilot, f"{opening}<escape>")
            assert app.log_pane.has_focus, f"{opening} then Esc left the focus on {app.focused}"
        await type_ahead(pilot, " ")  # a page down, not a level toggled in a pane that took the focus
        assert app.log_pane.cursor > 0 and len(app.log_pane.selection) == 120
        await type_ahead(pilot, "l<escape>")
        assert app.log_pane.has_focus


async def test_a_pane_key_then_space_toggles_in_that_pane(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, "l ")
        await settled(pilot)
        assert app.query_one(LevelPane).has_focus
        assert len(app.log_pane.selection) == 96  # DEBUG hidden


async def test_smart_case_and_the_match_count(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, "/EVENT 5<enter>")
        await wait_for(pilot, lambda: app.session.search.ready)
        assert "no match" in status(app)  # a capital: case matters
        await type_ahead(pilot, "/event 5[0-9]<enter>")
        await wait_for(pilot, lambda: app.session.search.ready)
        assert "match 10 of 10" in status(app)  # the newest, nearest the cursor on the newest record
        await type_ahead(pilot, "/Traceback<enter>")
        await wait_for(pilot, lambda: app.session.search.ready)
        assert "match 1 of 1" in status(app)
        await type_ahead(pilot, "/keyerror<enter>")  # lower case: any case
        await wait_for(pilot, lambda: app.session.search.ready)
        assert "match 1 of 1" in status(app)
        await type_ahead(pilot, "k")
        assert "/keyerror: 1 match" in status(app) and "matches" not in status(app)


async def test_e_and_w_jump_to_the_next_error_and_warning(small_log: Path) -> None:
    # Levels cycle DEBUG, INFO, INFO, WARNING, ERROR: errors at 4, 9, 14…; warnings or worse at 3, 4, 8, 9…
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        pane = app.log_pane
        await type_ahead(pilot, "e")
        assert pane.cursor == 4
        await type_ahead(pilot, "e")
        assert pane.cursor == 9
        await type_ahead(pilot, "E")
        assert pane.cursor == 4
        await type_ahead(pilot, "w")
        assert pane.cursor == 8
        await type_ahead(pilot, "WW")
        assert pane.cursor == 3
        await type_ahead(pilot, "Ge")
        assert pane.cursor == 119 and "no error below" in status(app)


async def test_follow_is_a_badge_in_the_status_bar(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert "FOLLOW" in status(app) and "watched" in status(app)
        await type_ahead(pilot, "k")
        assert "PAUSED" in status(app) and "FOLLOW" not in status(app)
        await type_ahead(pilot, "G")
        assert "FOLLOW" in status(app)
        await type_ahead(pilot, "f")
        assert "FOLLOW" not in status(app) and "PAUSED" not in status(app) and "watched" in status(app)


@pytest.mark.parametrize("keys", [("ctrl+c",), ("slash", "ctrl+c"), ("question_mark", "ctrl+c")])
async def test_ctrl_c_quits_from_the_log_pane_a_prompt_and_a_screen(small_log: Path, keys: tuple[str, ...]) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press(*keys)
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_code in (0, None)


async def test_at_80_by_24_the_sidebar_starts_hidden_and_the_bars_keep_what_matters(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        sidebar = app.query_one("#sidebar")
        assert not sidebar.display
        assert app.log_pane.size.width == 80
        await type_ahead(pilot, "/event 1<enter>")
        await wait_for(pilot, lambda: app.session.search.ready)
        line = status(app)  # from the newest record, the first match at or after it: event 119
        assert "120 / 120 records" in line and "FOLLOW" not in line and "/event 1: match 31 of 31" in line
        await type_ahead(pilot, "NG")
        line = status(app)
        assert "FOLLOW" in line and "/event 1: match 31 of 31" in line
        assert len(line) <= 78
        keys = str(app.query_one("#keys").render())
        assert "? keys" in keys and "q quit" in keys and len(keys) <= 80
        await type_ahead(pilot, "\\")
        assert sidebar.display and app.log_pane.size.width < 80
        await type_ahead(pilot, "\\")
        assert not sidebar.display
        await type_ahead(pilot, "p")  # a pane key shows the sidebar
        assert sidebar.display and app.focused is app.query_one("#processes")


async def test_wide_terminals_open_with_the_sidebar(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=(160, 40)) as pilot:
        await settled(pilot)
        assert app.query_one("#sidebar").display
        assert "event 119" in screen_text(app).splitlines()[-1]
