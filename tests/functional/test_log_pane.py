"""The log pane as a new user meets it: the newest record whole on screen, and the cursor where it was."""

from __future__ import annotations

import logging
from pathlib import Path

from logview.ui.app import LogViewApp
from logview.ui.widgets.level_pane import LevelPane
from tests.functional.driving import SIZE, screen_text, settled, wait_for
from tests.unit.logfiles import record, write_records


async def test_the_newest_record_is_whole_on_screen_beside_lines_wider_than_the_pane(tmp_path: Path) -> None:
    """Lines wider than the pane used to bring a scrollbar that covered the last row, the newest record's."""
    path = tmp_path / "wide.log"
    rows = [record(1709251200 + number, f"record {number} " + "x" * 400) for number in range(200)]
    rows.append(record(1709251200 + 500, "last\nTraceback (most recent call last):\nKeyError", level=logging.ERROR))
    write_records(path, rows)
    for size in (SIZE, (80, 24)):
        app = LogViewApp([str(path)])
        async with app.run_test(size=size) as pilot:
            await settled(pilot)
            pane = app.log_pane
            lines = screen_text(app).splitlines()
            assert lines[-1].strip() == "KeyError", lines[-3:]
            assert lines[-3].rstrip().endswith(" last") and "ERROR" in lines[-3]
            assert not pane.show_horizontal_scrollbar and not pane.show_vertical_scrollbar
            # Its own scrollbar takes the last column, and only it: the thumb at the bottom.
            column = [pane.render_line(y).text[-1] for y in range(pane.size.height)]
            assert column[-1] == "▐" and column[0] == "▕"
            await pilot.press("right", "right")
            assert pane.scroll_x == 16  # sideways without a scrollbar
            await pilot.press("g", "G")
            assert screen_text(app).splitlines()[-1].strip() == "KeyError"


async def test_no_scrollbar_when_the_records_fit(tmp_path: Path) -> None:
    path = tmp_path / "short.log"
    write_records(path, [record(1709251200 + number, f"record {number}") for number in range(5)])
    app = LogViewApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        pane = app.log_pane
        assert pane.text_width == pane.size.width
        assert all(not pane.render_line(y).text.rstrip().endswith(("▕", "▐")) for y in range(pane.size.height))


async def test_a_filter_that_hides_the_cursors_record_keeps_the_cursor_at_the_nearest_in_time(tmp_path: Path) -> None:
    path = tmp_path / "times.log"
    rows = [record(1709251200 + 10 * number, f"info {number}") for number in range(100)]
    # A DEBUG record at 505 s: the INFO record at 500 s is 5 s before it, the one at 510 s 5 s after; move it to 508 s.
    rows.insert(51, record(1709251200 + 508, "the debug one", level=logging.DEBUG))
    write_records(path, rows)
    app = LogViewApp([str(path)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        pane = app.log_pane
        for _ in range(51):
            await pilot.press("j")
        assert app.reader.record(pane.current_row).message == "the debug one"
        levels = app.query_one(LevelPane)
        levels.focus()
        await pilot.press("home", "space")  # DEBUG off
        await wait_for(pilot, lambda: len(pane.selection) == 100)
        assert app.reader.record(pane.current_row).message == "info 51"  # 510 s, 2 s away; not info 50 (8 s) nor the top


async def test_control_characters_in_a_message_are_shown_escaped_and_tabs_expanded(tmp_path: Path) -> None:
    path = tmp_path / "hostile.log"
    write_records(path, [record(1709251200, "red \x1b[31mtext\x07 and\ta tab")])
    app = LogViewApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        line = app.log_pane.render_line(0)
        # Spelled out first, then the tab to the next stop of 8 from the message's start, as shown.
        assert "red \\x1b[31mtext\\x07 and\ta tab".expandtabs(8) in line.text
        assert not any("\x1b" in segment.text or "\x07" in segment.text or "\t" in segment.text for segment in line)
