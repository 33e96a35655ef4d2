"""Driving the app from a test: wait for a condition with a deadline, read what the log pane shows."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from logview.ui.app import LogViewApp

SIZE = (150, 40)


async def wait_for(pilot: Pilot, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Let the app run until ``condition`` holds; fail after ``timeout`` seconds."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not met in time")


async def settled(pilot: Pilot) -> LogViewApp:
    """Wait until indexing is done and the last filter change is shown."""
    app = pilot.app
    assert isinstance(app, LogViewApp)
    await wait_for(pilot, lambda: app.is_settled)
    await pilot.pause()
    return app


def shown_levels(app: LogViewApp) -> set[str]:
    rows = app.log_pane.selection.to_array()
    return {record.level for record in app.reader.records(rows) if record.level}


def screen_text(app: LogViewApp) -> str:
    """The records' text on the log pane's screen lines, without its scrollbar's column."""
    pane = app.log_pane
    return "\n".join(pane.render_line(y).text[: pane.text_width] for y in range(pane.size.height))
