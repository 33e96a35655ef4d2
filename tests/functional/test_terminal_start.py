"""The viewer's start in a real terminal (tmux): the first frame stays put, and keys typed at once act.

The first frame is drawn before Textual is loaded and Textual draws the same
one over it half a second later; meanwhile the user may already type. Here
the screen is read while that happens, as often as tmux answers, and keys are
sent the moment the program is started.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

from tests.command import ROOT
from tests.tmux import needs_tmux, terminal
from tests.unit.logfiles import record, write_records

pytestmark = needs_tmux
LOGVIEW = [sys.executable, "-m", "logview"]


@pytest.fixture
def service_log(tmp_path: Path) -> Path:
    path = tmp_path / "service.log"
    write_records(path, [record(1709251200 + number, f"event {number}", process=4000 + number % 3) for number in range(300)])
    return path


#: A record's time, with its date on a wide pane, without on a narrow one (ColumnWidths.fitted); not the status bar's.
TIME = re.compile(r"(?<![T\d-])(2024-03-01 )?00:0\d:\d\d\.\d{3} ")


def log_rows(screen: list[str]) -> list[str]:
    """The log pane's rows that show records, from their timestamp on (the sidebar beside them fills in meanwhile).

    Without the scrollbar's column: its thumb shrinks when the index has all the records, as it should.
    """
    found = [TIME.search(row) for row in screen]
    return [row[time.start() :].rstrip("▕▐ ") for row, time in zip(screen, found, strict=True) if time is not None]


@pytest.mark.parametrize("size", [(80, 24), (150, 40)], ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_first_screen_of_records_stays_put_while_textual_takes_over(service_log: Path, size: tuple[int, int]) -> None:
    with terminal([*LOGVIEW, str(service_log)], size, ROOT) as screen:
        first = screen.wait_for_text("event 299", "the newest record", timeout=60)
        shown = log_rows(first)
        assert shown and "event 299" in shown[-1]
        # Until well after Textual has drawn (it has: the status bar then counts the records), the records' rows never
        # change, blank or jump.
        deadline = time.monotonic() + 60
        counted = False
        while time.monotonic() < deadline and not counted:
            rows = screen.screen()
            assert log_rows(rows) == shown, "\n".join(rows)
            counted = "300 / 300 records" in "\n".join(rows)
        assert counted, "the app never counted the records"
        screen.keys("q")
        screen.wait_for_text("EXITED 0", "an exit with status 0")


def test_keys_typed_the_moment_it_starts_act_once_the_app_is_up(service_log: Path) -> None:
    with terminal([*LOGVIEW, str(service_log)], (100, 30), ROOT) as screen:
        screen.keys("g")  # before the first frame, before Textual: to the top
        screen.wait_for(
            lambda rows: bool(log_rows(rows)) and log_rows(rows)[0].rstrip("▐▕ ").endswith(" event 0"), "the oldest record at the top"
        )
    with terminal([*LOGVIEW, str(service_log)], (100, 30), ROOT) as screen:
        screen.type("/event 15$")  # a search typed (or pasted) at once, its letters the log pane's keys too
        screen.keys("Enter")
        # The count and the cursor's move may reach the terminal in two frames: the screen that shows both is waited for.
        screen.wait_for(
            lambda rows: "match 1 of 1" in "\n".join(rows) and any(" event 15" in row for row in log_rows(rows)), "the search's match"
        )
        screen.keys("C-c")  # Ctrl+C quits, status 0
        screen.wait_for_text("EXITED 0", "an exit with status 0")


def test_a_toggle_typed_fast_switches_the_entry_the_key_was_pressed_on(service_log: Path) -> None:
    with terminal([*LOGVIEW, str(service_log)], (120, 30), ROOT) as screen:
        screen.wait_for_text("300 / 300 records", "the records counted")
        screen.keys("p")
        screen.wait_for_text("4002 (100)", "the processes pane")
        # One send: the down arrow is read before the toggle's message is handled.
        screen.keys("Space", "Down")
        rows = screen.wait_for_text("200 / 300 records", "one process hidden")
        pids = {row.split()[-3] for row in log_rows(rows)}
        # The first process (4000) was highlighted when space was pressed: it is the one hidden, not the one below it.
        assert pids == {"4001", "4002"}, "\n".join(rows)
        screen.keys("q")
        screen.wait_for_text("EXITED 0", "an exit with status 0")


def test_esc_and_a_key_typed_at_once_are_two_keys_not_one_alt_key(service_log: Path) -> None:
    with terminal([*LOGVIEW, str(service_log)], (100, 30), ROOT) as screen:
        screen.wait_for_text("300 / 300 records", "the records counted")
        screen.keys("Enter")
        screen.wait_for_text("Esc closes", "the record's details")
        # One send: the terminal writes Esc and q as one sequence, which reads as Alt+Q.
        screen.keys("Escape", "q")
        screen.wait_for_text("EXITED 0", "the details closed, then an exit with status 0")
