"""Driving the app from a test: wait for a condition with a deadline, read what the log pane shows."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from textual import events
from textual.keys import _character_to_key
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot

from logview.core.pipeline import Pipeline
from logview.ui.app import LogViewApp

SIZE = (150, 40)


async def wait_for(pilot: Pilot, condition: Callable[[], bool], timeout: float = 20.0, what: str = "the condition") -> None:
    """Let the app run until ``condition`` holds; fail after ``timeout`` seconds, naming ``what`` was awaited."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"not reached within {timeout:g} s: {what}")


async def settled(pilot: Pilot) -> LogViewApp:
    """Wait until indexing is done and the last filter change is shown."""
    app = pilot.app
    assert isinstance(app, LogViewApp)
    await wait_for(pilot, lambda: app.is_settled)
    await pilot.pause()
    return app


def screen_lines(app: LogViewApp) -> list[str]:
    """What the terminal shows, line by line: the active screen's widgets as composited, dialogs and bars included."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def notices(messages: list[Message]) -> list[str]:
    """The notifications the app was asked to show, read from the messages a test collects with ``run_test(message_hook=...)``.

    Textual keeps the notifications on screen in a private collection; the Notify message that brings each one is public.
    """
    return [str(message.notification.message) for message in messages if isinstance(message, Notify)]


def key_name(char: str) -> str:
    """Textual's name for the key that types ``char``, as its driver reads it from a terminal."""
    return char if char.isalnum() else _character_to_key(char)


def shown_levels(app: LogViewApp) -> set[str]:
    rows = app.log_pane.selection.to_array()
    return {record.level for record in app.reader.records(rows) if record.level}


def screen_text(app: LogViewApp) -> str:
    """The records' text on the log pane's screen lines, without its scrollbar's column."""
    pane = app.log_pane
    return "\n".join(pane.render_line(y).text[: pane.text_width] for y in range(pane.size.height))


class HeldPipeline(Pipeline):
    """A real pipeline that starts reading only when the test says (``go``): the state while the index is read, made to last.

    A context manager: leaving it lets the pipeline read whatever the test found,
    so that its thread never waits out its deadline.
    """

    def __init__(self) -> None:
        super().__init__(growing=True)
        self.go = threading.Event()

    def load(self, names: Any, on_progress: Any = None) -> Any:
        assert self.go.wait(60), "the test never let the pipeline read"
        return super().load(names, on_progress)

    def __enter__(self) -> HeldPipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.go.set()


async def type_ahead(pilot: Pilot, typed: str) -> None:
    """Send the keys of ``typed`` to the driver at once: ``<enter>`` is the key of that name, any other character itself."""
    keys = [
        events.Key(part[1:-1], None) if part.startswith("<") else events.Key(key_name(part), part)
        for part in re.findall(r"<[^>]+>|.", typed)
    ]
    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        key.set_sender(pilot.app)
        driver.send_message(key)
    await pilot.pause()
    await pilot.pause()
