"""A JSON record's nested fields in the viewer: pretty-printed in its details, found by the search (/)."""

from __future__ import annotations

import logging
from pathlib import Path

import ecs_logging

from logview.ui.app import LogViewApp
from logview.ui.screens.detail import DetailScreen
from tests.frameworks.loggers import stdlib_logger
from tests.functional.driving import SIZE, screen_lines, settled, wait_for


def _ecs_file(path: Path) -> Path:
    with stdlib_logger("shop.shipping", path, ecs_logging.StdlibFormatter()) as (log, _):
        for number in range(5):
            log.info("order %d shipped", number, extra={"order": {"id": f"order-{number}", "carrier": {"name": "Posty"}}})
        log.warning("parcel lost", extra={"order": {"id": "order-77", "carrier": {"name": "Lost & Co"}}})
        for number in range(5, 9):
            log.info("order %d shipped", number, extra={"order": {"id": f"order-{number}", "carrier": {"name": "Posty"}}})
    return path


async def test_nested_fields_are_searched_and_pretty_printed(tmp_path: Path) -> None:
    app = LogViewApp([str(_ecs_file(tmp_path / "ecs.json"))])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("g", "slash", *"Lost & Co", "enter")
        await wait_for(pilot, lambda: app.session.search.rows is not None, what="the search done")
        assert app.log_pane.cursor == 5
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen), what="the details open")
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        assert (screen.record.level, screen.record.logger, screen.record.levelno) == ("warning", "shop.shipping", logging.WARNING)
        await pilot.pause()
        shown = [line.strip(" █▀▄") for line in screen_lines(app)]
        # The "order" field, an object in an object: one key a line (the indents are the table's column and JSON's).
        at = shown.index("order        {")
        assert shown[at + 1 : at + 6] == ['"carrier": {', '"name": "Lost & Co"', "},", '"id": "order-77"', "}"], shown
