"""Screen lines ↔ records of a selection, with multi-line records shown whole or folded.

A view scrolls over display lines, not records: a traceback is several lines
when shown whole. The mapping is kept sparse, from the few multi-line records
of the selection, so that it costs the same for 10 million one-line records
as for ten, and finding the record under a line is one binary search.
"""

from __future__ import annotations

import numpy as np

from logview.core.index.timeline import Timeline
from logview.core.view_rows import ViewRows


class DisplayLines:
    """The display lines of ``selection`` (row numbers in view order)."""

    def __init__(self, timeline: Timeline, selection: ViewRows, folded: bool) -> None:
        self.selection = selection
        self.folded = folded
        known, _ = timeline.multi_line.lookup()
        if folded or len(known) == 0 or len(selection) == 0:
            self._index = np.zeros(0, dtype=np.int64)
            self._extra = np.zeros(0, dtype=np.int64)
        else:
            self._index, rows = selection.locate(known[known < len(timeline)])
            self._extra = timeline.multi_line.extra_lines(rows)
        self._extra_through = np.cumsum(self._extra)
        #: Display line of each multi-line record's first line.
        self._first_line = self._index + self._extra_through - self._extra
        self.total = len(selection) + int(self._extra.sum())

    def __len__(self) -> int:
        return self.total

    def locate(self, line: int) -> tuple[int, int]:
        """(index into the selection, line within that record) of display line ``line``."""
        k = int(np.searchsorted(self._first_line, line, side="right")) - 1
        if k < 0:
            return line, 0
        first = int(self._first_line[k])
        if line <= first + int(self._extra[k]):
            return int(self._index[k]), line - first
        return line - first - int(self._extra[k]) + int(self._index[k]), 0

    def first_line_of(self, index: int) -> int:
        """Display line of the first line of the selection's ``index``-th record."""
        k = int(np.searchsorted(self._index, index, side="left"))
        return index + int(self._extra_through[k - 1]) if k else index

    def lines_of(self, index: int) -> int:
        """How many display lines the selection's ``index``-th record takes."""
        k = int(np.searchsorted(self._index, index, side="left"))
        if k < len(self._index) and int(self._index[k]) == index:
            return 1 + int(self._extra[k])
        return 1
