"""The log pane as a new user meets it: the newest record whole on screen, and the cursor where it was."""

from __future__ import annotations

import logging
import random
import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len

from logview.ui.app import LogViewApp
from logview.ui.widgets.histogram import HistogramStrip
from logview.ui.widgets.level_pane import LevelPane
from logview.ui.widgets.log_pane import LogPane
from tests.command import ROOT
from tests.functional.driving import SIZE, HeldPipeline, screen_text, settled, wait_for
from tests.unit.logfiles import left_a_while_ago, record, write_records


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
    """The cursor keeps its time, not its row number: 20 records hidden above it used to move it 20 records later."""
    path = tmp_path / "times.log"
    rows = [record(1709251200 + 10 * number, f"info {number}") for number in range(100)]
    # DEBUG records between the INFO ones from 305 s to 595 s, 20 above the cursor's and 9 below it.
    debugs = [record(1709251200 + 10 * number + 5, f"debug {number}", level=logging.DEBUG) for number in range(30, 60)]
    # The cursor's, at 508 s: the INFO record at 510 s is 2 s after it, the one at 500 s 8 s before.
    debugs[20] = record(1709251200 + 508, "the debug one", level=logging.DEBUG)
    write_records(path, sorted(rows + debugs, key=lambda fields: float(fields["created"])))  # type: ignore[arg-type]
    app = LogViewApp([str(path)], top=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        pane = app.log_pane
        await pilot.press("slash", *"the debug one", "enter")
        await wait_for(pilot, lambda: pane.current_row is not None and app.reader.record(pane.current_row).message == "the debug one")
        levels = app.query_one(LevelPane)
        levels.focus()
        await pilot.press("home", "space")  # DEBUG off
        await wait_for(pilot, lambda: len(pane.selection) == 100)
        assert app.reader.record(pane.current_row).message == "info 51"  # 510 s, 2 s away; not info 50 (8 s) nor far below


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


async def test_the_newest_records_are_on_screen_before_the_index_has_them_and_stay_put(small_log: Path) -> None:
    with HeldPipeline() as pipeline:
        app = LogViewApp([str(small_log)], pipeline=pipeline)
        await _newest_then_index(app, pipeline)


async def _newest_then_index(app: LogViewApp, pipeline: HeldPipeline) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.log_pane
        assert pane.previewing and app.session.indexing
        newest = screen_text(app).splitlines()
        assert "event 119" in newest[-1] and pane.follow
        assert "FOLLOW" in str(app.query_one("#status").render())
        await pilot.press("k", "k")  # up within the newest records: still them
        assert pane.previewing and pane.current_record is not None and pane.current_record.message == "event 117"
        await pilot.press("g")  # the top: what the index has read so far (nothing yet)
        assert not pane.previewing
        await pilot.press("G")  # the true end, not where the index has got to
        assert pane.previewing and screen_text(app).splitlines() == newest
        pipeline.go.set()
        await settled(pilot)
        assert not pane.previewing
        assert screen_text(app).splitlines() == newest  # the index's view: the same records, in the same places
        assert pane.current_row == 119 and pane.follow


async def test_a_filter_set_while_the_index_is_read_leaves_the_newest_records_for_the_filtered_index(small_log: Path) -> None:
    with HeldPipeline() as pipeline:
        app = LogViewApp([str(small_log)], pipeline=pipeline)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.log_pane.previewing
            await pilot.press("minus", *"event 11[0-9]", "enter")
            assert not app.log_pane.previewing
            pipeline.go.set()
            await settled(pilot)
            assert len(app.log_pane.selection) == 110 and "event 109" in screen_text(app).splitlines()[-1]


async def test_a_large_compressed_file_opens_at_its_true_end_before_the_index_gets_there(tmp_path: Path) -> None:
    """Its end is only reached by inflating all of it: found beside the index, then shown, and G comes back to it."""
    import gzip
    import random

    from logview.core.newest import MAX_COMPRESSED_BYTES

    plain = tmp_path / "big.log"
    noise = random.Random(7)
    write_records(plain, [record(1709251200 + number / 100, f"event {number} {noise.randbytes(24).hex()}") for number in range(60_000)])
    packed = tmp_path / "big.log.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes(), compresslevel=1))
    plain.unlink()
    assert packed.stat().st_size > MAX_COMPRESSED_BYTES  # too large for the first frame: inflated beside the index
    with HeldPipeline() as pipeline:
        app = LogViewApp([str(packed)], pipeline=pipeline)
        async with app.run_test(size=SIZE) as pilot:
            pane = app.log_pane
            await wait_for(pilot, lambda: pane.previewing)
            assert app.session.indexing and pane.follow
            newest = screen_text(app).splitlines()
            assert "event 59999 " in newest[-1]
            await pilot.press("g", "G")  # the top (nothing read yet), then the true end again
            assert pane.previewing and screen_text(app).splitlines() == newest
            pipeline.go.set()
            await settled(pilot)
            assert not pane.previewing and screen_text(app).splitlines() == newest
            assert pane.current_row == 59_999 and pane.follow


def _long_records(numbers: range, start: float = 1709251200) -> list[dict[str, object]]:
    """Records of about 370 characters, wrapped to several rows, each ending with ``end N``."""
    return [record(start + number, f"start {number} " + "word " * 70 + f"end {number}") for number in numbers]


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=lambda size: f"{size[0]}x{size[1]}")
async def test_in_wrap_mode_the_newest_record_is_whole_on_screen_after_G_and_while_following(tmp_path: Path, size: tuple[int, int]) -> None:
    """The pane scrolled over unwrapped lines only: with long lines wrapped, G stopped a screen of rows short of the end."""
    path = tmp_path / "long.log"
    write_records(path, _long_records(range(50)))
    app = LogViewApp([str(path)])
    async with app.run_test(size=size) as pilot:
        await settled(pilot)
        pane = app.log_pane
        await pilot.press("ctrl+w", "G")
        await wait_for(pilot, lambda: screen_text(app).splitlines()[-1].rstrip().endswith("end 49"), what="end 49 at the bottom")
        lines = screen_text(app).splitlines()
        assert pane.current_row == 49 and pane.follow
        # A page down goes no further: the end is at the bottom.
        await pilot.press("pagedown")
        await pilot.pause()
        assert screen_text(app).splitlines() == lines
        # A click picks the record drawn on the row clicked (not the display line of that number).
        y = next(y for y, line in enumerate(lines) if "start " in line)
        number = int(lines[y].split("start ")[1].split()[0])
        assert number < 49
        await pilot.click("#log", offset=(40, y))
        await wait_for(pilot, lambda: pane.current_row != 49, what="the click to move the cursor")
        assert pane.current_row == number and not pane.follow
        # Up a screen and back: the end again.
        await pilot.press("pageup", "pageup", "G")
        await wait_for(pilot, lambda: screen_text(app).splitlines()[-1].rstrip().endswith("end 49") and pane.follow, what="end 49 again")
        # Records arriving while it follows: the newest whole at the bottom.
        write_records(path, _long_records(range(50, 53), start=1709251300), mode="a")
        await wait_for(pilot, lambda: screen_text(app).splitlines()[-1].rstrip().endswith("end 52"))
        assert pane.current_row == 52
        # The cursor moving down keeps its record whole on screen.
        await pilot.press("g", *"j" * 12)
        await wait_for(pilot, lambda: pane.current_row == 12, what="the cursor on record 12")
        text = screen_text(app)
        assert "start 12 " in text and "end 12" in text


async def test_a_smaller_terminal_keeps_the_newest_record_at_the_bottom_while_following_and_the_cursor_on_screen(small_log: Path) -> None:
    """Shrinking the terminal kept the pane's top line: the newest record and the cursor went off screen under FOLLOW."""
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=(200, 50)) as pilot:
        await settled(pilot)
        pane = app.log_pane
        assert pane.follow and "event 119" in screen_text(app).splitlines()[-1]
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: pane.size.height == 19)
        await pilot.pause()
        assert "event 119" in screen_text(app).splitlines()[-1] and pane.follow
        # Not following: the cursor stays on screen, wherever it was.
        await pilot.resize_terminal(200, 50)
        await wait_for(pilot, lambda: pane.size.height == 45)
        await pilot.press(*"k" * 3)
        assert not pane.follow and pane.current_row == 116
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: pane.size.height == 19)
        await pilot.pause()
        assert "event 116" in screen_text(app)
        # Back to a tall terminal, paused: the cursor's record stays put.
        await pilot.resize_terminal(200, 50)
        await wait_for(pilot, lambda: pane.size.height == 45)
        await pilot.pause()
        assert "event 116" in screen_text(app) and pane.current_row == 116


async def test_a_resize_in_wrap_mode_keeps_the_newest_record_whole_at_the_bottom(tmp_path: Path) -> None:
    path = tmp_path / "long.log"
    write_records(path, _long_records(range(50)))
    app = LogViewApp([str(path)])
    async with app.run_test(size=(200, 50)) as pilot:
        await settled(pilot)
        pane = app.log_pane
        await pilot.press("ctrl+w", "G")
        for width, height in ((80, 24), (120, 40), (70, 20)):
            await pilot.resize_terminal(width, height)
            await wait_for(pilot, lambda width=width: pane.size.width == width)
            await pilot.pause()
            assert screen_text(app).splitlines()[-1].rstrip().endswith("end 49") and pane.follow


async def test_records_arriving_leave_a_paused_view_still_and_a_filter_keeps_the_cursors_record_on_its_screen_row(small_log: Path) -> None:
    """Every new selection centred the cursor: each second of a growing file moved the view under a user reading it."""
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        pane = app.log_pane
        await pilot.press("g", "space", "j", "j")
        shown = screen_text(app).splitlines()
        assert "event 36" in shown[2] and not pane.follow
        write_records(small_log, [record(1709251400 + number, f"late {number}") for number in range(5)], mode="a")
        await wait_for(pilot, lambda: len(pane.selection) == 125)
        await pilot.pause()
        assert screen_text(app).splitlines() == shown
        # DEBUG hidden: the cursor's record stays on the row it is on, the records around it closing up.
        app.query_one(LevelPane).focus()
        await pilot.press("home", "space")
        await wait_for(pilot, lambda: len(pane.selection) == 125 - 24)
        await pilot.pause()
        shown = screen_text(app).splitlines()
        assert "event 36" in shown[2] and "event 34" in shown[1] and "event 37" in shown[3]  # event 35 is a DEBUG record


def _status(app: LogViewApp) -> str:
    return str(app.query_one("#status").render())


async def test_a_split_pane_opens_where_its_pane_is_and_closing_it_tells_the_status_of_the_pane_left(small_log: Path) -> None:
    """The split pane opened at the oldest record, not following; closed, its state stayed in the status bar."""
    app = LogViewApp([str(small_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        left = app.log_pane
        await pilot.press("s")
        await settled(pilot)
        right = app.query_one("#log2", LogPane)
        assert app.log_pane is right and right.follow and right.current_row == 119
        assert "00:01:59" in screen_text(app).splitlines()[-1] and "FOLLOW" in _status(app)
        # Filtered and up in the split pane, then closed: the status bar and the histogram tell of the pane left.
        await pilot.press("plus", *"event 11", "enter")
        await settled(pilot)
        await pilot.press("k", "k", "k")
        strip = app.query_one(HistogramStrip)
        await wait_for(pilot, lambda: strip.histogram is not None and int(strip.histogram.totals.sum()) == 11)
        assert "PAUSED" in _status(app) and "00:01:56" in _status(app)
        await pilot.press("s")
        assert app.log_pane is left
        assert "FOLLOW" in _status(app) and "00:01:59" in _status(app), _status(app)
        await wait_for(pilot, lambda: strip.histogram is not None and int(strip.histogram.totals.sum()) == 120)
        # Split from a record in the middle: the same record under the cursor, at the same height.
        await pilot.press("g", "space", "j", "j")
        cursor, top = left.current_row, left.scroll_y
        assert cursor is not None and top > 0 and not left.follow
        await pilot.press("s")
        await settled(pilot)
        right = app.query_one("#log2", LogPane)
        await wait_for(pilot, lambda: right.size.width > 0)
        await pilot.pause()
        assert (right.current_row, right.scroll_y, right.follow) == (cursor, top, False)
        assert (left.current_row, left.scroll_y) == (cursor, top)


async def test_the_status_bar_tells_the_first_column_shown_as_the_pane_scrolls_sideways(tmp_path: Path) -> None:
    """It told the column of the step before: the pane scrolled sideways without a word to the status bar."""
    path = tmp_path / "long.log"
    write_records(path, _long_records(range(5)))
    app = LogViewApp([str(path)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("right")
        assert "col 9" in _status(app)
        await pilot.press("right", "right")
        assert "col 25" in _status(app)
        await pilot.press("left")
        assert "col 17" in _status(app)
        await pilot.press("ctrl+w")  # wrapped: back to the first column
        assert "col" not in _status(app)


SAMPLES = sorted(str(path) for path in (ROOT / "sample_logs").iterdir())


def _newest_record_line(app: LogViewApp) -> tuple[str, int]:
    """The screen line of the newest record's first line, and the column its message starts at."""
    selection = app.log_pane.selection
    record = app.reader.record(selection[len(selection) - 1])
    start_of_message = record.message.split("\n")[0][:8]
    line = next(line for line in reversed(screen_text(app).splitlines()) if start_of_message in line)
    return line, line.index(start_of_message)


async def test_on_a_narrow_terminal_the_header_columns_give_the_message_room_and_wide_ones_are_unchanged() -> None:
    """At 80 columns the header took 57 of them and left the message 22."""
    app = LogViewApp(SAMPLES)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        pane = app.log_pane
        line, start = _newest_record_line(app)
        assert line.startswith("21:20:50.229 ERROR    myapp.lib1 ")  # the time of day: the status bar tells the date
        assert pane.text_width - start >= 35
        assert "2026-11-23T21:20:50.229" in _status(app)
        # Wide: the date is back, every column whole.
        await pilot.resize_terminal(150, 40)
        await wait_for(pilot, lambda: pane.size.width == 116)
        await pilot.pause()
        line, start = _newest_record_line(app)
        assert line.startswith("2026-11-23 21:20:50.229 ERROR    myapp.lib1    ") and start == 57
        # Split in two, each pane narrow: the columns give way in both.
        await pilot.press("s")
        await settled(pilot)
        await wait_for(pilot, lambda: app.log_pane.size.width > 0)
        await pilot.pause()
        for pane_id in ("log", "log2"):
            app.session.active = pane_id
            line, start = _newest_record_line(app)
            assert line.startswith("21:20:50.229 ERROR ") and app.log_pane.text_width - start >= 20


def _settled_width(char: str) -> int | None:
    """The cells a terminal draws ``char`` in, by Unicode's own tables (as wcwidth reads them); None for one it should not be sent."""
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") or 0xFE00 <= ord(char) <= 0xFE0F:
        return None
    return 0 if category in ("Mn", "Me") else 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


@pytest.fixture
def binary_log(tmp_path: Path) -> Path:
    """Records of random bytes, invalid UTF-8, wide, joined and reordering characters, some with a logger of wide characters."""
    path = tmp_path / "binary.log"
    hostile = [
        "wide 漢字テキスト🙂 ＡＢＣ " * 6,
        "joined 👨\u200d👩\u200d👧 toned 👍🏽 flag 🇫🇷 selector ⚠\ufe0f " * 4,
        "hidden zero\u200bwidth bidi \u202eevil\u202c soft\u00adhyphen line\u2028end private \ue000 tag \U000e0001 " * 3,
        "marks क\u093e\u093f devanagari e\u0301 hangul \u3164 trigram \u2630 " * 5,
    ]
    write_records(
        path,
        [record(1709251200 + number, hostile[number % 4], name="app.サービス" if number % 3 else "app") for number in range(40)],
    )
    generator = random.Random(8)
    with path.open("ab") as raw:
        for number in range(40, 80):
            noise = bytes(generator.randrange(256) for _ in range(300)).replace(b"\n", b" ")
            raw.write(b"2024-03-01 00:01:%02d,000 100 app INFO " % (number - 20) + noise + b" \xff\xfe\xc3\x28 end\n")
    return path


def _assert_rows_fit_a_terminal(app: LogViewApp) -> None:
    pane = app.log_pane
    for y in range(pane.size.height):
        strip = pane.render_line(y)
        text = strip.text
        widths = [_settled_width(char) for char in text]
        unsettled = sorted({f"U+{ord(char):04X}" for char, width in zip(text, widths, strict=True) if width is None})
        assert not unsettled, f"row {y} sends {unsettled}: {text!r}"
        # As a terminal counts the cells, and as Textual does: the scrollbar's column in line.
        assert sum(width or 0 for width in widths) == strip.cell_length == pane.size.width, f"row {y}: {text!r}"


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=lambda size: f"{size[0]}x{size[1]}")
async def test_binary_data_is_drawn_in_rows_of_the_panes_width_with_what_does_not_print_spelled_out(
    binary_log: Path, size: tuple[int, int]
) -> None:
    """Random bytes filled rows with characters a terminal draws at other widths than Textual counts, or not at all."""
    app = LogViewApp([str(binary_log)], top=True)
    async with app.run_test(size=size) as pilot:
        await settled(pilot)
        for keys in ((), ("right",) * 3, ("space",), ("right",), ("ctrl+w",), ("G",)):
            await pilot.press(*keys)
            _assert_rows_fit_a_terminal(app)
        # The messages start in one column, the wide loggers' too.
        await pilot.press("ctrl+w", "g")
        lines = screen_text(app).splitlines()
        starts = {cell_len(line[: line.index(word)]) for line in lines for word in ("wide ", "joined ", "hidden ") if word in line}
        assert len(starts) == 1, screen_text(app)


async def test_a_file_that_does_not_end_with_a_newline_shows_its_last_record(tmp_path: Path) -> None:
    """The viewer follows its files, and waited for the end of a last line that had been left without one."""
    path = tmp_path / "app.log"
    write_records(path, [record(1709251200 + number, f"event {number}") for number in range(5)])
    with open(path, "a") as raw:
        raw.write("2024-03-01 00:01:00,000 100 app INFO the last, with no newline")
    left_a_while_ago(path)
    app = LogViewApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert len(app.log_pane.selection) == 6
        assert "the last, with no newline" in [line for line in screen_text(app).splitlines() if line.strip()][-1]


async def test_at_80_columns_the_status_bar_keeps_the_search_count_when_paused(tmp_path: Path) -> None:
    """Paused, with every one of a million-ish records shown and a search, the line is too wide for 80 columns: its short
    spellings ("120,000 records", "PAUSED") keep "match N of M" on screen instead of cutting it to "matc…"."""
    path = tmp_path / "app.log"
    write_records(path, [record(1709251200 + number / 1000, f"connection reset by peer, attempt {number}") for number in range(120_000)])
    app = LogViewApp([str(path)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("k")
        await pilot.press("slash", *"connection reset", "enter")
        await wait_for(pilot, lambda: app.session.search.ready, what="the search's count")
        await pilot.pause()
        assert "PAUSED" in _status(app) and "match 119,999 of 120,000" in _status(app), _status(app)
