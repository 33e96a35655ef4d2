"""What one view asks of the index: its filters, and which evaluation of them it shows."""

from __future__ import annotations

from dataclasses import dataclass

from logview.core.filters import Filters
from logview.core.selection import Selection


@dataclass
class View:
    """One log pane's filters, and the latest rows and counts computed for them.

    Each change of the filters is a new version (``requested``); the
    evaluations finish in any order, and only a newer one than ``shown`` is
    taken, so a pane never goes back to older filters.
    """

    filters: Filters
    #: The rows and counts of version ``shown``; None until the first evaluation ends.
    selection: Selection | None = None
    #: The version of the latest filters asked for.
    requested: int = 0
    #: The version ``selection`` was computed for (-1: none yet).
    shown: int = -1
    #: An evaluation of this view runs: another waits for it to end.
    running: bool = False

    @property
    def settled(self) -> bool:
        return self.selection is not None and self.shown == self.requested
