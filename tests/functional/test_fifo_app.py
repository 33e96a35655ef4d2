"""A FIFO among the viewer's inputs: the other files are shown while it waits for its writer, the status says so, q quits.

A FIFO with no writer blocked open() (the first screen's and the index's):
the viewer showed nothing and did not quit on q.
"""

from __future__ import annotations

import os
from pathlib import Path

from logview.ui.app import LogViewApp
from tests.functional.driving import SIZE, screen_lines, screen_text, wait_for
from tests.live.fifos import fifo_with_watchdog
from tests.unit.logfiles import record, write_records
from tests.waiting import open_files, wait_until

START = 1709251200
WAITING = "FIFO with nothing written to it yet (waiting for a writer)"


def _log(tmp_path: Path) -> Path:
    log = tmp_path / "app.log"
    write_records(log, [record(START + number, f"file record {number}") for number in range(3)])
    return log


async def test_the_viewer_shows_the_files_says_the_fifo_waits_and_quits_on_q(tmp_path: Path) -> None:
    log = _log(tmp_path)
    with fifo_with_watchdog(tmp_path / "pipe.log") as fifo:
        app = LogViewApp([str(fifo), str(log)])
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: "file record 2" in screen_text(app), what="the file's records shown")
            await wait_for(pilot, lambda: f"pipe.log: {WAITING}" in screen_lines(app)[-2], what="the status saying the FIFO waits")
            assert f"{fifo}: {WAITING}" in app.input_problems
            await pilot.press("q")
            await wait_for(pilot, lambda: app.return_code is not None, what="the app quitting")
        assert app.return_code == 0
        # The index's thread no longer waits for the writer: it has closed the FIFO.
        wait_until(lambda: str(fifo) not in open_files(os.getpid()), "the FIFO closed")


async def test_the_records_of_a_fifo_whose_writer_comes_later_are_shown(tmp_path: Path) -> None:
    log = _log(tmp_path)
    with fifo_with_watchdog(tmp_path / "pipe.log") as fifo:
        app = LogViewApp([str(log), str(fifo)])
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: f"{fifo}: {WAITING}" in app.input_problems, what="the FIFO waiting for its writer")
            # The reader is there: the writer's open() and its few bytes do not block.
            write_records(fifo, [record(START + 10 + number, f"fifo record {number}") for number in range(2)], mode="a")
            await wait_for(pilot, lambda: not app.session.indexing and "fifo record 1" in screen_text(app), what="the FIFO's records shown")
            assert "file record 2" in screen_text(app)
            assert app.input_problems == []
