"""A search of a large log moves the cursor to its first match before the count is known, then counts them all."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from logview.core import session as session_module
from logview.ui.app import LogViewApp
from tests.functional.driving import SIZE, settled, wait_for
from tests.unit.logfiles import record, write_records

RECORDS = 3000


@pytest.fixture
def large_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A log searched as a large one is (in a worker, the first match near the cursor first), with needles every 97 records."""
    monkeypatch.setattr(session_module, "SEARCH_HERE_BYTES", 0)
    path = tmp_path / "big.log"
    rows = []
    for number in range(RECORDS):
        message = f"request {number} served"
        if number % 97 == 13:
            message += " connection reset by peer"
        if number % 500 == 250:
            message += "\nTraceback (most recent call last):\nOSError: Broken pipe"
        rows.append(record(1709251200 + number, message, level=logging.INFO))
    write_records(path, rows)
    return path


@pytest.mark.parametrize("near_here", [session_module.NEAR_HERE_RECORDS, 0])
async def test_the_first_match_comes_first_then_the_count(large_log: Path, monkeypatch: pytest.MonkeyPatch, near_here: int) -> None:
    """Found on the UI thread near the cursor, or (none there) by the worker before it counts."""
    monkeypatch.setattr(session_module, "NEAR_HERE_RECORDS", near_here)
    app = LogViewApp([str(large_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        pane = app.log_pane
        await pilot.press("g")
        pane.move_to(1000)
        await pilot.press("slash", *"connection reset", "enter")
        await wait_for(pilot, lambda: app.session.search.ready, what="the count")
        target = next(number for number in range(1000, RECORDS) if number % 97 == 13)  # the first needle from the cursor down
        assert pane.cursor == target
        status = str(app.query_one("#status").render())
        assert f"match {(target - 13) // 97 + 1} of {len(range(13, RECORDS, 97))}" in status
        assert app.session.moved_early_for == "(?i)connection reset"  # the cursor moved before the count was known


async def test_from_the_newest_record_the_nearest_match_above(large_log: Path) -> None:
    app = LogViewApp([str(large_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("slash", *"Broken pipe", "enter")
        await wait_for(pilot, lambda: app.session.search.ready, what="the count")
        assert app.log_pane.cursor == 2750
        assert "none below: the nearest match above" in str(app.query_one("#status").render())


async def test_a_new_search_while_one_runs_gives_the_new_answer(large_log: Path) -> None:
    app = LogViewApp([str(large_log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("g")
        await pilot.press("slash", *"(?<=request )1\\d+ served", "enter")  # Python's re, line by line: the slow path
        await pilot.press("slash", *"Broken", "enter")
        await wait_for(pilot, lambda: app.session.search.ready and app.session.search.label == "Broken", what="the second search's count")
        await pilot.pause()
        assert app.log_pane.cursor == 250
        assert "/Broken: match 1 of 6" in str(app.query_one("#status").render())
