"""The search of the app: its text, the records it matches, and where the next match is.

Matching runs once over the whole timeline (in a worker); moving between
matches is then a binary search among the matches' positions in a pane's
view, which are kept until the view or the search changes.
"""

from __future__ import annotations

import numpy as np

from logview.core.view_rows import ViewRows


class SearchState:
    def __init__(self) -> None:
        #: The pattern searched for (with ``(?i)`` when the user typed no capital: smart case).
        self.text = ""
        #: What the user typed.
        self.label = ""
        #: The matching rows, ascending; None while the search runs (or when there is none).
        self.rows: np.ndarray | None = None
        #: Per view: the selection and the rows the positions were computed for, and the positions.
        self._positions: dict[str, tuple[ViewRows, np.ndarray, np.ndarray]] = {}

    @property
    def ready(self) -> bool:
        return bool(self.text) and self.rows is not None

    def start(self, text: str, label: str | None = None) -> None:
        self.text = text
        self.label = text if label is None else label
        self.rows = None

    def found(self, text: str, rows: np.ndarray) -> bool:
        """Take the rows matching ``text`` (ascending); False when the search has moved on since."""
        if text != self.text:
            return False
        self.rows = rows
        return True

    def positions(self, view_id: str, selection: ViewRows) -> np.ndarray:
        """Indices into ``selection`` of the matching records (kept until the view or the search changes)."""
        if self.rows is None:
            return np.zeros(0, dtype=np.int64)
        # The objects themselves, not their id()s: an array freed after the last search may lend its id to the next
        # search's rows, whose positions were then the last search's ("no match" under a loaded machine's GC timing).
        cached = self._positions.get(view_id)
        if cached is None or cached[0] is not selection or cached[1] is not self.rows:
            cached = self._positions[view_id] = (selection, self.rows, selection.locate(self.rows)[0])
        return cached[2]

    @staticmethod
    def next_position(positions: np.ndarray, cursor: int, step: int) -> int | None:
        """The match after (``step`` > 0) or before the cursor, wrapping around."""
        if len(positions) == 0:
            return None
        if step > 0:
            index = int(np.searchsorted(positions, cursor, side="right"))
            return int(positions[index]) if index < len(positions) else int(positions[0])
        index = int(np.searchsorted(positions, cursor, side="left")) - 1
        return int(positions[index]) if index >= 0 else int(positions[-1])

    def describe(self, positions: np.ndarray, cursor: int) -> str:
        """The status bar's account: ``/label: match 3 of 64`` on a match, else how many there are."""
        count = len(positions)
        if count == 0:
            return f"/{self.label}: no match"
        index = int(np.searchsorted(positions, cursor))
        if index < count and int(positions[index]) == cursor:
            return f"/{self.label}: match {index + 1:,} of {count:,}"
        return f"/{self.label}: {count:,} match" + ("" if count == 1 else "es")
