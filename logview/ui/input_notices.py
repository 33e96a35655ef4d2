"""The notices that tell the user of the inputs: their errors and warnings once read, and what following them met."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import App


def notify_inputs_read(app: App[Any], problems: Iterable[str], waiting: set[str], warnings: Iterable[str]) -> None:
    """Once every input is read: an error notice per input not read, a calmer one per input ``waiting`` for, and the warnings."""
    for error in problems:
        if error in waiting:
            app.notify(error, title="waiting", severity="information", timeout=10)  # not an error: tail -F's wait
        else:
            app.notify(error, title="input error", severity="error", timeout=10)
    for warning in warnings:
        app.notify(warning, title="warning", severity="warning", timeout=8)


def notify_following(app: App[Any], notes: Iterable[str]) -> None:
    """What live sources met (a file rotated or truncated, a sender refused): each note said for a while."""
    for note in notes:
        app.notify(note, title="following", severity="warning", timeout=8)
