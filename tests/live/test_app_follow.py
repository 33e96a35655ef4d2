"""The app follows the files it shows: records written after it opened them appear, whole."""

from __future__ import annotations

import logging
from pathlib import Path

from textual.message import Message
from textual.notifications import Notify

from logview.ui.app import LogViewApp
from tests.functional.driving import SIZE, screen_text, settled, wait_for
from tests.unit.logfiles import file_logger


async def test_records_written_while_the_app_shows_the_file_appear_and_follow_keeps_the_last_in_view(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log)) as logger:
        for number in range(100):
            logger.info("record %d", number)
        app = LogViewApp([str(log)])
        async with app.run_test(size=SIZE) as pilot:
            await settled(pilot)
            assert app.log_pane.follow  # the viewer opens following
            for number in range(100, 130):
                logger.warning("record %d", number)
            await wait_for(pilot, lambda: len(app.log_pane.selection) == 130)
            await wait_for(pilot, lambda: "record 129" in screen_text(app))
            assert app.log_pane.cursor == 129
            status = str(app.query_one("#status").render())
            assert "watched" in status and "FOLLOW" in status


async def test_a_traceback_whose_end_is_written_later_is_shown_whole(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log)) as logger:
        logger.info("record 0")
    app = LogViewApp([str(log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        with open(log, "a") as raw:
            raw.write("2026-01-01 00:00:00,000 1 test ERROR record 1\nTraceback (most recent call last):\n")
            raw.flush()
            await wait_for(pilot, lambda: "Traceback" in screen_text(app))
            raw.write("  File \"job.py\", line 3, in run\nKeyError: 'job'\n")
        await wait_for(pilot, lambda: "KeyError: 'job'" in screen_text(app))
        assert len(app.log_pane.selection) == 2


async def test_a_missing_file_is_waited_for_until_it_appears_then_its_records_are_shown(tmp_path: Path) -> None:
    log = tmp_path / "missing.log"
    app = LogViewApp([str(log)])
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settled(pilot)
        status = str(app.query_one("#status").render())
        assert "missing.log: no such file (waiting for it to appear)" in status
        # A notice of what logview does, as tail -F says it: not an "input error".
        notices = [(m.notification.title, m.notification.severity, m.notification.message) for m in messages if isinstance(m, Notify)]
        assert notices == [("waiting", "information", f"{log}: no such file (waiting for it to appear)")]
        with file_logger(logging.FileHandler(log)) as logger:
            for number in range(20):
                logger.info("record %d", number)
            await wait_for(pilot, lambda: len(app.log_pane.selection) == 20)
            await wait_for(pilot, lambda: "record 19" in screen_text(app))
            await wait_for(pilot, lambda: "no such file" not in str(app.query_one("#status").render()))
            assert app.pipeline.errors == []
            assert "missing.log (watched)" in str(app.query_one("#status").render())


async def test_a_file_in_a_missing_directory_is_waited_for_and_shown_once_both_appear(tmp_path: Path) -> None:
    """As --print -f does (tests/live/test_follow_print.py): the directory is made, then the file."""
    log = tmp_path / "logs" / "app.log"
    app = LogViewApp([str(log)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert "app.log: no such file (waiting for it to appear)" in str(app.query_one("#status").render())
        log.parent.mkdir()
        with file_logger(logging.FileHandler(log)) as logger:
            for number in range(20):
                logger.info("record %d", number)
            await wait_for(pilot, lambda: len(app.log_pane.selection) == 20)
            await wait_for(pilot, lambda: "record 19" in screen_text(app))
        assert app.pipeline.errors == []


async def test_a_glob_that_matches_nothing_yet_is_waited_for_and_its_files_shown(tmp_path: Path) -> None:
    pattern = str(tmp_path / "worker-*.log")
    app = LogViewApp([pattern])
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settled(pilot)
        notices = [(m.notification.title, m.notification.severity, m.notification.message) for m in messages if isinstance(m, Notify)]
        assert notices == [("waiting", "information", f"{pattern}: no file matches this pattern (waiting for one to appear)")]
        with file_logger(logging.FileHandler(tmp_path / "worker-1.log")) as logger:
            for number in range(5):
                logger.info("record %d", number)
            await wait_for(pilot, lambda: len(app.log_pane.selection) == 5)
        # Waited for no longer: the status bar says nothing of it, and the viewer ends without an input error.
        await wait_for(pilot, lambda: "waiting" not in str(app.query_one("#status").render()) and not app.input_problems)
