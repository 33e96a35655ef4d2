"""A record over the cap in the details view: its head, then the rest on demand (m), and the whole of it saved to a file (s)."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from logview.core.record import MAX_RECORD_BYTES
from logview.ui.app import LogViewApp
from logview.ui.screens.detail import DetailScreen
from logview.ui.widgets.record_body import RecordBody
from tests.functional.driving import notices, screen_lines, settled, type_ahead, wait_for
from tests.unit.logfiles import record, write_records

SIZE = (100, 30)


def _long_record_log(tmp_path: Path) -> tuple[Path, bytes]:
    """A log whose second record is one line of about 4.3 MiB, numbered every 10 bytes: the file and that line."""
    path = tmp_path / "long.log"
    message = "".join(f"<{number:08d}>" for number in range((MAX_RECORD_BYTES + 300_000) // 10))
    write_records(path, [record(1709251200, "before"), record(1709251201, message), record(1709251202, "after")])
    return path, path.read_bytes().split(b"\n")[1]


def _shown(app: LogViewApp) -> str:
    """The screen's rows inside the dialog's border, joined by spaces: a sentence wrapped over rows reads whole."""
    return " ".join(line.strip().strip("█▀▄").strip() for line in screen_lines(app))


async def test_the_rest_of_a_cut_record_is_shown_on_demand_and_saved(tmp_path: Path) -> None:
    path, line = _long_record_log(tmp_path)
    after_head = line[MAX_RECORD_BYTES : MAX_RECORD_BYTES + 60].decode()
    app = LogViewApp([str(path)])
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settled(pilot)
        app.log_pane.move_to(1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen), what="the details view")
        await wait_for(pilot, lambda: f"first {MAX_RECORD_BYTES:,} bytes of {len(line):,}" in _shown(app), what="the head's line")
        more = len(line) - MAX_RECORD_BYTES
        assert f"m: the next {more:,} bytes · s: save the whole record to a file" in _shown(app)
        assert after_head not in _shown(app)

        await pilot.press("m")
        # The bytes right after the head start the text, and the line says how far the record is shown: to its end.
        await wait_for(pilot, lambda: after_head in _shown(app), what="the bytes after the head")
        shown = _shown(app)
        assert f"Bytes {MAX_RECORD_BYTES:,}–{len(line):,} of {len(line):,}, the record's end (those before are no longer shown)." in shown
        assert "m: back to its start" in shown
        body = app.screen.query_one(RecordBody)
        assert body.text_rows * body.scrollable_content_region.width < more + 2 * body.text_rows  # only that piece, not the head

        await pilot.press("m")
        await wait_for(pilot, lambda: f"first {MAX_RECORD_BYTES:,} bytes" in _shown(app), what="the head again")

        # Saved whole, a piece at a time, to the file typed in place of the one proposed.
        saved = tmp_path / "saved.log"
        await pilot.press("s")
        await wait_for(pilot, lambda: "logview-record.log" in _shown(app), what="the file proposed")
        await type_ahead(pilot, f"{saved}<enter>")
        await wait_for(pilot, lambda: saved.exists() and saved.stat().st_size == len(line) + 1, what="the record saved")
        assert saved.read_bytes() == line + b"\n"
        told = f"saved the record, {len(line) + 1:,} bytes, to {saved}"
        await wait_for(pilot, lambda: told in notices(messages), what="the notice")
        # The details stay open, and their keys work again once the name was taken.
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, DetailScreen), what="the details closed")


async def test_a_record_under_the_cap_offers_no_more(tmp_path: Path) -> None:
    path = tmp_path / "short.log"
    write_records(path, [record(1709251200, "before"), record(1709251201, "short one")])
    app = LogViewApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen), what="the details view")
        await wait_for(pilot, lambda: "short one" in _shown(app), what="the message")
        await pilot.press("m")
        await pilot.pause()
        assert "short one" in _shown(app) and "m: " not in _shown(app)
        assert "Record (c copies, s saves, Esc closes)" in _shown(app)
