"""The app driven by its Pilot, over real log files: every key and pane.

The files are the bundled ``sample_logs/`` (written by the stdlib handlers by
scripts/make_sample_logs.py) or written here by a real FileHandler.
"""

from __future__ import annotations

import gzip
import logging
from pathlib import Path

from logview.core.filters import Filters
from logview.core.record import format_time
from logview.ui.app import LogViewApp
from logview.ui.screens.detail import DetailScreen
from logview.ui.screens.help import HelpScreen
from logview.ui.widgets.histogram import HistogramStrip
from logview.ui.widgets.level_pane import LevelPane
from logview.ui.widgets.log_pane import LogPane
from logview.ui.widgets.logger_tree import LoggerTree
from logview.ui.widgets.pid_pane import PidPane
from logview.ui.widgets.prompt_bar import PromptBar
from logview.ui.widgets.text_filters import TextFilterList
from tests.functional.driving import SIZE, screen_text, settled, shown_levels, wait_for
from tests.unit.logfiles import record, write_records

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = sorted(str(path) for path in (ROOT / "sample_logs").iterdir())


async def test_opens_sample_logs_and_shows_every_record() -> None:
    app = LogViewApp(SAMPLES)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        timeline = app.pipeline.timeline
        assert len(timeline) > 1000
        assert len(app.log_pane.selection) == len(timeline)
        status = str(app.query_one("#status").render())
        assert f"{len(timeline):,} / {len(timeline):,} records" in status
        text = screen_text(app)
        # Aligned columns: time, level, logger, pid, message.
        first = text.splitlines()[0]
        assert first[:4].isdigit() and ("INFO" in first or "DEBUG" in first or "WARNING" in first or "ERROR" in first)


async def test_navigation_keys(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        pane = app.log_pane
        # Like tail -f, lnav and Toolong: the newest record, following.
        assert pane.cursor == 119 and pane.follow
        await pilot.press("g")
        assert pane.cursor == 0 and not pane.follow
        await pilot.press("down", "j")
        assert pane.cursor == 2
        await pilot.press("up")
        assert pane.cursor == 1
        await pilot.press("G")
        assert pane.cursor == 119
        await pilot.press("g")
        assert pane.cursor == 0
        await pilot.press("pagedown")
        after_page = pane.cursor
        assert after_page > 20
        assert pane.scroll_y > 0
        await pilot.press("pageup")
        assert pane.cursor < after_page
        await pilot.press("end")
        assert pane.cursor == 119
        await pilot.press("home")
        assert pane.cursor == 0 and pane.scroll_y == 0


async def test_top_opens_at_the_oldest_record(small_log: Path) -> None:
    app = LogViewApp([str(small_log)], top=True)  # logview --top
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert app.log_pane.cursor == 0 and not app.log_pane.follow and app.log_pane.scroll_y == 0


async def test_fold_toggles_multi_line_records(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        pane = app.log_pane
        assert len(pane.display_lines) == 120 + 3
        await pilot.press("z")
        assert len(pane.display_lines) == 120
        pane.move_to(50)
        await pilot.pause()
        assert "⏎ +3 lines" in screen_text(app)
        await pilot.press("z")
        assert len(pane.display_lines) == 123


async def test_level_pane_toggles_and_this_level_and_above(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("l")
        levels = app.query_one(LevelPane)
        assert levels.has_focus
        assert [str(levels.get_option_at_index(i).prompt) for i in range(levels.option_count)] == [
            "DEBUG (24)",
            "INFO (48)",
            "WARNING (24)",
            "ERROR (24)",
        ]
        await pilot.press("space")  # DEBUG off
        await settled(pilot)
        assert shown_levels(app) == {"INFO", "WARNING", "ERROR"}
        assert len(app.log_pane.selection) == 96
        # The logger pane's counts follow the level filter.
        tree = app.query_one(LoggerTree)
        assert tree.subtree_counts["myapp"] == 96
        await pilot.press("down", "down", "a")  # WARNING and above
        await settled(pilot)
        assert shown_levels(app) == {"WARNING", "ERROR"}
        assert app.session.filters.min_level == logging.WARNING
        # The level pane keeps counting what each toggle would show.
        assert str(levels.get_option_at_index(0).prompt) == "DEBUG (24)"


async def test_logger_tree_toggles_subtrees(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("o")
        tree = app.query_one(LoggerTree)
        assert tree.has_focus
        names = [node.data for node in tree.logger_nodes.values()]
        assert names == ["myapp", "myapp.lib1", "myapp.lib2", "myapp.lib2.db"]
        tree.move_cursor(tree.logger_nodes["myapp.lib2"])
        await pilot.press("space")
        await settled(pilot)
        loggers = {record.logger for record in app.reader.records(app.log_pane.selection.to_array())}
        assert loggers == {"myapp", "myapp.lib1"}
        assert len(app.log_pane.selection) == 60
        # Showing the child of a hidden subtree again keeps its siblings hidden.
        tree.move_cursor(tree.logger_nodes["myapp.lib2.db"])
        await pilot.press("space")
        await settled(pilot)
        loggers = {record.logger for record in app.reader.records(app.log_pane.selection.to_array())}
        assert loggers == {"myapp", "myapp.lib1", "myapp.lib2.db"}


async def test_pid_pane_toggles_processes(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("p")
        pids = app.query_one(PidPane)
        assert pids.has_focus
        assert [str(pids.get_option_at_index(i).prompt) for i in range(pids.option_count)] == ["4000 (40)", "4001 (40)", "4002 (40)"]
        await pilot.press("space")
        await settled(pilot)
        shown = {record.pid for record in app.reader.records(app.log_pane.selection.to_array())}
        assert shown == {4001, 4002}


async def test_the_first_process_toggled_under_pid_turns_the_list_into_hidden_processes(small_log: Path) -> None:
    """``--pid 4001``, then 4000 switched on: 4002, which the list left out, stays hidden; later toggles add to and take from that."""
    app = LogViewApp([str(small_log)], Filters(pids=(4001,)))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        pids = app.query_one(PidPane)
        processes = app.pipeline.timeline.symbols.processes

        def hidden(*numbers: int) -> frozenset[int]:
            return frozenset(processes.codes_for_pids(numbers))

        def shown() -> set[int | None]:
            return {record.pid for record in app.reader.records(app.log_pane.selection.to_array())}

        assert pids.selected == list(hidden(4001)) and shown() == {4001}
        await pilot.press("p", "space")  # 4000 on
        await settled(pilot)
        assert app.session.filters.pids == () and app.session.filters.hidden_processes == hidden(4002)
        assert shown() == {4000, 4001}
        await pilot.press("space")  # 4000 off again
        await settled(pilot)
        assert app.session.filters.pids == () and app.session.filters.hidden_processes == hidden(4000, 4002)
        assert shown() == {4001}
        await pilot.press("down", "down", "space")  # 4002 on
        await settled(pilot)
        assert app.session.filters.hidden_processes == hidden(4000) and shown() == {4001, 4002}
        assert set(pids.selected) == set(hidden(4001, 4002))


async def test_command_line_filters_set_the_panes(small_log: Path) -> None:
    filters = Filters(min_level=logging.WARNING, loggers=("myapp.lib2",), pids=(4001,), grep="event")
    app = LogViewApp([str(small_log)], filters)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        records = list(app.reader.records(app.log_pane.selection.to_array()))
        assert records and all(r.levelno >= logging.WARNING and r.logger.startswith("myapp.lib2") and r.pid == 4001 for r in records)
        levels = app.query_one(LevelPane)
        checked = [
            levels.get_option_at_index(i).value
            for i in range(levels.option_count)
            if levels.get_option_at_index(i).value in levels.selected
        ]
        assert checked == ["WARNING", "ERROR"]
        pids = app.query_one(PidPane)
        assert pids.selected == [2]
        tree = app.query_one(LoggerTree)
        assert tree.is_hidden("myapp.lib1") and not tree.is_hidden("myapp.lib2.db")
        texts = app.query_one(TextFilterList)
        assert str(texts.get_option_at_index(0).prompt) == "+ event"


async def test_search_highlights_counts_and_jumps(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("slash")
        await pilot.press(*"event 1[0-9]$")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.search.rows is not None)
        await pilot.pause()
        pane = app.log_pane
        assert pane.has_focus
        # event 10..19: none below the cursor on the newest record, so the nearest above, the newest match.
        assert pane.cursor == 19
        status = app.query_one("#status")
        assert "match 10 of 10" in str(status.render()) and "none below: the nearest match above" in str(status.render())
        await pilot.press("n")
        assert pane.cursor == 10 and "match 1 of 10" in str(status.render()) and "wrapped to the top" in str(status.render())
        await pilot.press("n")
        assert pane.cursor == 11 and "match 2 of 10" in str(status.render())
        await pilot.press("N", "N")
        assert pane.cursor == 19  # wraps around to the last match, and says so
        assert "match 10 of 10" in str(status.render()) and "wrapped to the bottom" in str(status.render())
        await pilot.press("n")
        assert pane.cursor == 10 and "wrapped to the top" in str(status.render())
        await pilot.press("k")  # off the matches
        assert "/event 1[0-9]$: 10 matches" in str(status.render())
        await pilot.press("G", "n")  # from the newest record: around to match 1
        assert "wrapped to the top" in str(status.render())
        await pilot.press("slash", *"nothing like it", "enter")
        # Until the new search starts, the last one is still ready: wait for the new one's answer.
        await wait_for(pilot, lambda: app.session.search.ready and "no match" in str(status.render()), what="the new search's answer")
        assert "wrapped" not in str(status.render())  # the last search's news is old


async def test_bad_regex_is_reported_not_raised(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("slash", "(", "enter")
        await pilot.pause()
        bar = app.query_one(PromptBar)
        assert bar.has_focus and "invalid regex" in str(bar.border_subtitle)
        await pilot.press("backspace", *"event 7$", "enter")
        await wait_for(pilot, lambda: app.session.search.rows is not None)
        assert app.log_pane.has_focus and app.log_pane.cursor == 7


async def test_detail_view_shows_fields_and_copies(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.log_pane.move_to(50)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        assert screen.record.logger == "myapp.lib2" and screen.record.pid == 4002
        assert screen.record.line == 51
        assert "KeyError: 'job'" in screen.record.message
        await pilot.press("c")
        assert app.clipboard.startswith(screen.record.text.splitlines()[0]) and "KeyError" in app.clipboard
        await pilot.press("escape")
        assert not isinstance(app.screen, DetailScreen)


async def test_follow_and_help_and_quit(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert app.log_pane.follow and app.log_pane.cursor == 119  # following from the start
        await pilot.press("f")
        assert not app.log_pane.follow
        await pilot.press("f")
        assert app.log_pane.follow and app.log_pane.cursor == 119
        await pilot.press("k")  # scrolling up pauses follow
        assert not app.log_pane.follow
        await pilot.press("G")  # and G resumes it
        assert app.log_pane.follow and app.log_pane.cursor == 119
        await pilot.press("f")
        assert not app.log_pane.follow
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("q")
    assert app.return_code == 0 or app.return_code is None


async def test_empty_file_shows_no_records(tmp_path: Path) -> None:
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    app = LogViewApp([str(empty)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert len(app.log_pane.selection) == 0
        assert "no records" in str(app.query_one("#status").render())
        await pilot.press("j", "G", "g", "enter", "n", "z", "pagedown")
        assert app.is_running


async def test_bad_inputs_are_shown_in_the_app(tmp_path: Path, small_log: Path) -> None:
    damaged = tmp_path / "damaged.log.gz"
    long_log = tmp_path / "long.log"
    write_records(long_log, [record(1709250000 + number, f"before {number}") for number in range(3000)])
    damaged.write_bytes(gzip.compress(long_log.read_bytes())[:-2000])
    missing = tmp_path / "missing.log"
    app = LogViewApp([str(small_log), str(damaged), str(missing)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        status = str(app.query_one("#status").render())
        assert "missing.log" in status and "damaged.log.gz" in status
        # Everything readable is shown: the whole file and the records before the damage.
        assert len(app.log_pane.selection) > 120
        await pilot.press("j", "enter")
        assert isinstance(app.screen, DetailScreen)


async def test_split_panes_have_their_own_filters(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("s")
        await settled(pilot)
        panes = list(app.query(LogPane))
        assert [pane.id for pane in panes] == ["log", "log2"]
        assert app.session.active == "log2" and panes[1].has_focus
        # The sidebar edits the focused pane: hide process 4000 on the right only.
        await pilot.press("p", "space")
        await settled(pilot)
        right = {record.pid for record in app.reader.records(panes[1].selection.to_array())}
        left = {record.pid for record in app.reader.records(panes[0].selection.to_array())}
        assert right == {4001, 4002} and left == {4000, 4001, 4002}
        # Focusing the left pane shows its own state in the sidebar.
        panes[0].focus()
        await pilot.pause()
        assert app.session.active == "log"
        assert app.query_one(PidPane).selected == [1, 2, 3]
        await pilot.press("s")
        await pilot.pause()
        assert [pane.id for pane in app.query(LogPane)] == ["log"]


async def test_text_filters_in_and_out_listed_and_removed(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("plus", *"event 1", "enter")
        await settled(pilot)
        # event 1, 10-19, 100-119
        assert len(app.log_pane.selection) == 31
        await pilot.press("minus", *"event 1[01]", "enter")
        await settled(pilot)
        assert len(app.log_pane.selection) == 31 - 2 - 20
        filters = app.query_one(TextFilterList)
        assert [str(filters.get_option_at_index(i).prompt) for i in range(filters.option_count)] == ["+ event 1", "− event 1[01]"]
        # A second filter-in widens the view, as lnav's do: records matching either.
        await pilot.press("plus", *"event 2", "enter")
        await settled(pilot)
        assert len(app.log_pane.selection) == 31 - 22 + 11
        # A bad regex is reported in the prompt, which stays open.
        await pilot.press("plus", "(", "enter")
        bar = app.query_one(PromptBar)
        assert bar.is_open and bar.has_focus and "invalid regex" in str(bar.border_subtitle)
        await pilot.press("escape")
        assert app.log_pane.has_focus and not bar.is_open
        filters.focus()
        await pilot.press("space")  # "+ event 1" switched off: the other filter-in and the filter-out remain
        await settled(pilot)
        assert len(app.log_pane.selection) == 11
        assert str(filters.get_option_at_index(0).prompt) == "+ event 1 (off)"
        await pilot.press("space", "delete")  # on again, then removed
        await settled(pilot)
        assert len(app.log_pane.selection) == 11


async def test_time_jump(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        moment = format_time((1709251200 + 42) * 1000)
        assert moment is not None
        await pilot.press("t", *moment[11:19], "enter")  # a time of day: the cursor record's date
        await pilot.pause()
        assert app.log_pane.cursor == 42
        await pilot.press("t", *"not a time", "enter")
        assert app.prompt.is_open and "invalid time" in str(app.prompt.border_subtitle)
        await pilot.press("escape")
        assert app.log_pane.cursor == 42 and app.log_pane.has_focus
        await pilot.press("t", *"+30s", "enter")  # from the cursor's record
        assert app.log_pane.cursor == 72
        await pilot.press("t", *"-1m", "enter")
        assert app.log_pane.cursor == 12


async def test_wrap_folds_long_lines_to_the_width(tmp_path: Path) -> None:
    path = tmp_path / "long.log"
    write_records(path, [record(1709251200 + n, f"start {n} " + "x" * 300 + " end") for n in range(50)])
    app = LogViewApp([str(path)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert "end" not in screen_text(app).splitlines()[0]
        await pilot.press("ctrl+w")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert lines[0].lstrip().startswith("2024") and "start 0" in lines[0]
        assert any(line.rstrip().endswith("end") for line in lines[1:4])
        await pilot.press("j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j")
        await pilot.pause()
        # The cursor's record stays on screen although each record takes several rows.
        assert f"start {app.log_pane.cursor} " in screen_text(app)


async def test_save_view_from_the_command_palette(small_log: Path, tmp_path: Path) -> None:
    app = LogViewApp([str(small_log)], Filters(min_level=logging.ERROR))
    target = tmp_path / "errors.log"
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.action_save_view("text")
        await pilot.pause()
        app.prompt.value = str(target)
        await pilot.press("enter")
        # The save worker, not the follower (which runs until the app quits).
        await wait_for(pilot, lambda: target.exists() and not any(worker.group == "save" and worker.is_running for worker in app.workers))
    expected = [line for line in small_log.read_text().splitlines(keepends=True) if " ERROR " in line]
    assert target.read_text() == "".join(expected)


async def test_palette_lists_the_viewer_commands(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for wanted in (
            "Save view as text",
            "Save view as JSON lines",
            "Search",
            "Jump to time",
            "Split",
            "Follow",
            "Next error",
            "Quit",
            "Keys",
        ):
            assert wanted in titles
        assert len(titles) == len(set(titles)), "a command listed twice"


async def test_histogram_follows_the_filters(small_log: Path) -> None:
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        strip = app.query_one(HistogramStrip)
        await wait_for(pilot, lambda: strip.histogram is not None and int(strip.histogram.totals.sum()) == 120)
        histogram = strip.histogram
        assert histogram is not None and int(histogram.counts[3].sum()) == 24  # the ERROR band
        await pilot.press("l", "space")  # hide DEBUG
        await settled(pilot)
        await wait_for(pilot, lambda: strip.histogram is not None and int(strip.histogram.totals.sum()) == 96)
