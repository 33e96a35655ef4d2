"""A record's screen line: its header columns give the message room on a narrow pane, and line up on any."""

from __future__ import annotations

import logging

from rich.cells import cell_len

from logview.core.record import Record
from logview.ui.cells import shown
from logview.ui.record_lines import MESSAGE_MIN_ROOM, MESSAGE_ROOM, TIME_WIDTH, ColumnWidths, fit, record_lines

#: The columns of the bundled sample logs: CRITICAL, myapp.lib2.db, Worker-12.
SAMPLE = ColumnWidths(level=8, logger=13, pid=9)


def line_of(record: Record, widths: ColumnWidths) -> str:
    (line,) = record_lines(record, widths, folded=False)
    return line.plain


def a_record(logger: str = "myapp.lib2.db", pid: int | None = 3580, message: str = "request handled") -> Record:
    # 2026-11-23 21:20:50.229
    return Record(1795468850229, "INFO", logging.INFO, logger, pid, message, "app.log", 1, "", {})


def test_a_wide_pane_shows_the_columns_whole() -> None:
    fitted = SAMPLE.fitted(116)
    assert fitted == SAMPLE and fitted.time == TIME_WIDTH
    assert line_of(a_record(), fitted).startswith("2026-11-23 21:20:50.229 INFO     myapp.lib2.db")


def test_at_80_columns_the_date_goes_then_the_logger_narrows_until_the_message_has_room() -> None:
    fitted = SAMPLE.fitted(79)  # 80 columns less the scrollbar
    line = line_of(a_record(), fitted)
    assert line.startswith("21:20:50.229 INFO     …p.lib2.db")
    assert 79 - line.index("request handled") >= 35
    # Only as narrow as needed: with a few columns more, the logger is whole.
    assert line_of(a_record(), SAMPLE.fitted(89)).startswith("21:20:50.229 INFO     myapp.lib2.db ")
    assert 89 - SAMPLE.fitted(89).header >= MESSAGE_ROOM


def test_a_pane_with_room_for_the_message_keeps_the_date() -> None:
    narrow_columns = ColumnWidths(level=8)
    assert narrow_columns.fitted(79).time == TIME_WIDTH


def test_the_logger_column_narrows_no_further_than_its_floor() -> None:
    fitted = ColumnWidths(level=8, logger=24, pid=24).fitted(80)
    assert fitted.logger == 10 and fitted.pid == 24


def test_pids_are_right_aligned_and_process_names_left_aligned() -> None:
    """Numbers line up by their digits' places, as lnav aligns number fields and ps its PID column."""
    widths = SAMPLE.fitted(200)
    assert "myapp.lib2.db      3580 request handled" in line_of(a_record(pid=3580), widths)
    assert "myapp.lib2.db        42 request handled" in line_of(a_record(pid=42), widths)
    named = a_record(pid=None)._replace(fields={"processName": "Worker-1"})
    assert "myapp.lib2.db Worker-1  request handled" in line_of(named, widths)


def test_what_a_terminal_draws_at_another_width_or_not_at_all_is_spelled_out() -> None:
    assert shown("ok 漢字 é \ufffd") == "ok 漢字 é \ufffd"  # wide, combining and replacement characters are drawn
    assert shown("bidi \u202eevil\u202c") == "bidi \\u202eevil\\u202c"
    assert shown("tone 👍🏽 private \ue000 gap \U000e0001 c1 \x9b") == "tone 👍\\U0001f3fd private \\ue000 gap \\U000e0001 c1 \\x9b"
    assert shown("tab\tafter \x1b[31m") == "tab     after \\x1b[31m"


def test_a_logger_of_wide_characters_is_fitted_in_cells() -> None:
    assert fit("app.サービス", 12) == "app.サービス"
    assert fit("app.サービス", 14) == "app.サービス  "
    assert fit("app.サービス", 9) == "…サービス"
    assert cell_len(fit("app.サービス", 8)) == 8


def test_on_a_pane_narrower_still_the_process_then_the_logger_column_goes() -> None:
    """A split at 80 columns, or the sidebar open beside the log: the header took the whole pane."""
    assert SAMPLE.fitted(59) == ColumnWidths(level=8, logger=10, pid=0, time=12)
    assert SAMPLE.fitted(45) == ColumnWidths(level=8, logger=0, pid=0, time=12)
    line = line_of(a_record(), SAMPLE.fitted(45))
    assert line.startswith("21:20:50.229 INFO     request handled")
    assert 45 - SAMPLE.fitted(45).header >= MESSAGE_MIN_ROOM
