"""The sidebar's panes as they read: a subtree partly hidden, processes in a stable order, an entry switched off."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from logview.ui.app import LogViewApp
from logview.ui.colors import COLORS
from logview.ui.widgets.level_pane import LevelPane
from logview.ui.widgets.logger_tree import HIDDEN, MIXED, SHOWN, LoggerTree
from logview.ui.widgets.pid_pane import PidPane
from logview.ui.widgets.sidebar import Sidebar
from logview.ui.widgets.text_filters import TextFilterList
from tests.functional.driving import SIZE, settled, wait_for
from tests.unit.logfiles import record, write_records


def label(tree: LoggerTree, name: str) -> str:
    return str(tree.logger_nodes[name].label)


async def test_a_logger_whose_subtree_is_partly_hidden_shows_a_mixed_mark(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("o")
        tree = app.query_one(LoggerTree)
        tree.move_cursor(tree.logger_nodes["myapp.lib2.db"])
        await pilot.press("space")
        await settled(pilot)
        assert label(tree, "myapp.lib2.db").startswith(HIDDEN)
        assert label(tree, "myapp.lib2").startswith(MIXED) and label(tree, "myapp").startswith(MIXED)
        assert label(tree, "myapp.lib1").startswith(SHOWN)
        tree.move_cursor(tree.logger_nodes["myapp.lib2"])
        await pilot.press("space")  # lib2 and db hidden
        await settled(pilot)
        assert label(tree, "myapp.lib2").startswith(HIDDEN) and label(tree, "myapp").startswith(MIXED)


async def test_processes_are_listed_by_pid_whatever_order_the_files_were_read_in(tmp_path: Path) -> None:
    paths = []
    for pid in (300, 20, 1000, 4):
        path = tmp_path / f"worker-{pid}.log"
        write_records(path, [record(1709251200 + n, f"from {pid}", process=pid) for n in range(3)])
        paths.append(str(path))
    app = LogViewApp(paths)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        pids = app.query_one(PidPane)
        prompts = [str(pids.get_option_at_index(index).prompt) for index in range(pids.option_count)]
        assert prompts == ["4 (3)", "20 (3)", "300 (3)", "1000 (3)"]


async def test_a_level_switched_off_is_greyed_not_hidden(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("l", "space")
        await settled(pilot)
        levels = app.query_one(LevelPane)
        off = levels.get_option_at_index(0).prompt
        assert isinstance(off, Text) and str(off) == "DEBUG (24)" and off.style == COLORS["off"]
        assert not isinstance(levels.get_option_at_index(1).prompt, Text) or not levels.get_option_at_index(1).prompt.style
        # The box's mark is drawn in the same grey, not black on dark blue.
        line = levels.render_line(0)
        mark = next(segment for segment in line if segment.text == "X")
        assert mark.style is not None and mark.style.color is not None and mark.style.color.triplet is not None
        assert mark.style.color.triplet.hex == COLORS["off"]


async def test_saving_over_an_existing_file_asks_first(small_log: Path, tmp_path: Path) -> None:
    target = tmp_path / "kept.log"
    target.write_text("precious\n")
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.action_save_view("text")
        await pilot.pause()
        app.prompt.value = str(target)
        await pilot.press("enter")
        assert app.prompt.is_open and "exists" in str(app.prompt.border_title)
        await pilot.press("escape")
        assert target.read_text() == "precious\n" and app.log_pane.has_focus
        app.action_save_view("text")
        await pilot.pause()
        app.prompt.value = str(target)
        await pilot.press("enter", "y", "enter")
        await wait_for(pilot, lambda: target.read_text() == small_log.read_text())


def edited(posted: list[object]) -> int:
    """How many FiltersEdited messages were posted (the hook sees each at every node it bubbles through)."""
    return len({id(message) for message in posted if isinstance(message, Sidebar.FiltersEdited)})


async def test_each_pane_of_the_sidebar_edits_the_filters_through_one_message(small_log: Path) -> None:
    """A level, a logger, a process or a text filter changed: the app hears one Sidebar.FiltersEdited, which edits only its part."""
    posted: list[object] = []
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await settled(pilot)
        await pilot.press("l", "space")  # DEBUG hidden
        await settled(pilot)
        await pilot.press("p", "space")  # the first process hidden
        await settled(pilot)
        await pilot.press("plus", *"job", "enter")
        await settled(pilot)
        await pilot.press("escape", "minus", *"cache", "enter")
        await settled(pilot)
        filters = app.session.filters
        assert edited(posted) == 2  # the prompt's filters are added by the app itself, the panes' come through the sidebar
        assert filters.hidden_levels == frozenset({"DEBUG"}) and filters.hidden_processes
        assert [text_filter.pattern for text_filter in filters.text_filters] == ["job", "cache"]
        # A text filter switched off in its list comes through the sidebar too, and keeps the other parts.
        app.query_one(TextFilterList).focus()
        await pilot.press("space")
        await settled(pilot)
        assert edited(posted) == 3
        filters = app.session.filters
        assert not filters.text_filters[0].enabled and filters.hidden_levels == frozenset({"DEBUG"}) and filters.hidden_processes
