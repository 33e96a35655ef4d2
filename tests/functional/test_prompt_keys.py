"""The prompt bar takes keys in the order they are typed, and hands the keys after Enter or Esc to the log pane.

The keys of each test go to the driver at once (``type_ahead``), as a terminal
delivers a fast typist's keys or a paste: the app reads the next key before
the widget it gave the last one to has done with it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

from logview.core.filters import TextFilter
from logview.ui.app import LogViewApp
from tests.functional.driving import SIZE, screen_lines, settled, type_ahead, wait_for


def message_at_cursor(app: LogViewApp) -> str:
    return app.reader.record(app.log_pane.current_row).message


async def test_keys_after_enter_are_the_log_panes(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, "g/event 1<enter>nn")
        await wait_for(pilot, lambda: app.session.search.ready and message_at_cursor(app) == "event 11")
        assert app.session.search.label == "event 1" and app.log_pane.has_focus


async def test_each_enter_ends_its_own_filter(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, "+event 1<enter>-event 1[01]<enter>")
        await settled(pilot)
        assert app.session.filters.text_filters == (TextFilter("event 1", keep=True), TextFilter("event 1[01]", keep=False))
        assert len(app.log_pane.selection) == 9


async def test_a_filter_then_a_move(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, "+event<enter>j")
        await settled(pilot)
        assert app.session.filters.text_filters == (TextFilter("event", keep=True),)
        assert app.log_pane.has_focus and app.log_pane.cursor == 1


async def test_editing_keys_apply_where_they_were_typed(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        for keys, searched in [
            ("/abc<left>x<enter>", "abxc"),
            ("/abc<ctrl+u>job<enter>", "job"),
            ("/event 1x<backspace><enter>", "event 1"),
            ("/vent 11<home>e<enter>", "event 11"),
        ]:
            await type_ahead(pilot, keys)
            await wait_for(pilot, lambda: app.session.search.ready and not app.prompt.is_open)
            assert app.session.search.label == searched, keys


async def test_escape_drops_the_answer_and_the_next_keys_move(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, "/event 3<escape>jj")
        await wait_for(pilot, lambda: app.log_pane.cursor == 2)
        assert app.session.search.text == "" and not app.prompt.is_open and app.log_pane.has_focus


async def test_a_paste_lands_before_the_enter_typed_after_it(small_log: Path) -> None:
    # A paste is applied at once too, as keys are: queued, it would come after the Enter.
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        driver = app._driver
        assert driver is not None
        for event in (events.Key("slash", "/"), events.Paste("event 11\nignored"), events.Key("enter", "\r")):
            event.set_sender(app)
            driver.send_message(event)
        await wait_for(pilot, lambda: app.session.search.ready)
        assert app.session.search.label == "event 11" and message_at_cursor(app) == "event 11"


async def test_every_prompt_is_read_whole_at_80_columns(small_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        bar = app.prompt

        async def asked(what: str) -> None:
            await wait_for(pilot, lambda: bar.is_open and bar.region.height > 0)
            await pilot.pause()
            lines = screen_lines(app)
            top, inside = lines[bar.region.y], lines[bar.region.y + 1]
            assert str(bar.border_title) in top, f"{what}: the title is cut: {top!r}"
            assert str(bar.placeholder) in inside, f"{what}: the placeholder is cut: {inside!r}"

        for opening in "/+-t":
            await type_ahead(pilot, opening)
            await asked(opening)
            await type_ahead(pilot, "<escape>")
        (tmp_path / "logview-view.log").write_text("kept\n")
        app.action_save_view("text")
        await asked("save")
        await type_ahead(pilot, "<enter>")
        await asked("overwrite")
        assert bar.placeholder == "logview-view.log"


async def test_keys_typed_in_two_bursts_add_up(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await type_ahead(pilot, "/event")
        await wait_for(pilot, lambda: app.prompt.region.height > 0)  # drawn, its Focus event handled
        await type_ahead(pilot, " 5<enter>")
        await wait_for(pilot, lambda: app.session.search.ready)
        assert app.session.search.label == "event 5"


async def test_a_name_typed_replaces_the_proposed_one(small_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.action_save_view("text")
        await type_ahead(pilot, "mine.log<enter>")
        await wait_for(pilot, lambda: (tmp_path / "mine.log").exists())
        app.action_save_view("text")
        await type_ahead(pilot, "<enter>")  # the name proposed
        await wait_for(pilot, lambda: (tmp_path / "logview-view.log").exists())
        assert sorted(path.name for path in tmp_path.iterdir()) == ["app.log", "logview-view.log", "mine.log"]


async def test_the_bar_opens_over_the_bottom_rows_and_resizes_nothing(small_log: Path) -> None:
    """The bar lies over the status and key bars: opening and closing it lays nothing out again, so the frame that closes it is cheap."""
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        pane_region = app.log_pane.region
        await type_ahead(pilot, "/event")
        await wait_for(pilot, lambda: app.prompt.is_open and app.prompt.value == "event")
        bar = app.prompt.region
        assert app.log_pane.region == pane_region
        assert bar.bottom == SIZE[1] and bar.height == 3  # over the key bar, the status bar and the pane's last row
        await type_ahead(pilot, "<escape>")
        await wait_for(pilot, lambda: not app.prompt.is_open and app.log_pane.has_focus)
        assert app.log_pane.region == pane_region


async def test_closing_the_bar_restyles_only_what_the_focus_left_and_reached(small_log: Path) -> None:
    """A rule that any widget could match with ``:focus-within`` made every Enter and Esc re-apply the whole screen's styles."""
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        restyled: set[object] = set()
        update_nodes = app.stylesheet.update_nodes

        def noted(nodes, animate=False):  # type: ignore[no-untyped-def]
            nodes = list(nodes)
            restyled.update(nodes)
            return update_nodes(nodes, animate=animate)

        app.stylesheet.update_nodes = noted  # type: ignore[method-assign]
        await type_ahead(pilot, "/event<escape>")
        await wait_for(pilot, lambda: not app.prompt.is_open and app.log_pane.has_focus)
        assert restyled <= {app.prompt, app.log_pane}, sorted(str(node) for node in restyled)
