"""Messages the loading and following workers send to the app: the index grew, the index is done, files grew."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message


@dataclass
class IndexGrew(Message):
    """More records are in the timeline; only the latest of these matters."""

    records: int
    bytes_indexed: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexGrew)


@dataclass
class SourcesChanged(Message):
    """Live sources changed state (following, done, error), or something happened to them: ``notes`` to show.

    New records are not told by messages: a flood would send dozens a
    second. The sources' threads mark the app's views stale instead, and a
    timer shows them as the refresh pacer allows.
    """

    notes: list[str]


@dataclass
class IndexDone(Message):
    """Every input has been read and the timeline merged."""


@dataclass
class Delivered(Message):
    """A worker's result for the session (see ``AppRunner``): ``callback`` is called on the app's thread."""

    callback: Callable[[], None]
