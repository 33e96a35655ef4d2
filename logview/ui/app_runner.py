"""The session's runner in the app: Textual thread workers, and results back through the app's message queue."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.app import App

from logview.ui.messages import Delivered


class AppRunner:
    """Runs the session's work as the app's thread workers; results come back as ``Delivered`` messages.

    A message rather than ``call_from_thread``: the worker does not wait for
    the UI thread (it trims the heap meanwhile), and a result delivered as the
    app quits is dropped instead of raising in the worker.
    """

    def __init__(self, app: App[Any]) -> None:
        self.app = app

    def run_in_thread(self, work: Callable[[], None], group: str, exclusive: bool = False) -> None:
        self.app.run_worker(work, thread=True, group=group, exclusive=exclusive)

    def deliver(self, callback: Callable[..., None], *args: Any) -> None:
        self.app.post_message(Delivered(partial(callback, *args)))
