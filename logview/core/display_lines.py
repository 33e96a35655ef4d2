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
            index, extra = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        else:
            index, rows = selection.locate(known[known < len(timeline)])
            extra = timeline.multi_line.extra_lines(rows)
        self._set_lines(index, extra)

    @classmethod
    def of_counts(cls, extra_lines: list[int], folded: bool) -> DisplayLines:
        """The display lines of records that are not rows of the timeline (the newest, read before the index has them)."""
        lines = cls.__new__(cls)
        lines.selection = ViewRows(0)
        lines.folded = folded
        extra = np.asarray(extra_lines, dtype=np.int64)
        index = np.flatnonzero(extra) if not folded else np.zeros(0, dtype=np.int64)
        lines._set_lines(index, extra[index], records=len(extra))
        return lines

    def _set_lines(self, index: np.ndarray, extra: np.ndarray, records: int | None = None) -> None:
        """``index``: the multi-line records (ascending indices), ``extra``: their lines after the first."""
        self._index, self._extra = index, extra
        self._extra_through = np.cumsum(self._extra)
        #: Display line of each multi-line record's first line.
        self._first_line = self._index + self._extra_through - self._extra
        self.total = (len(self.selection) if records is None else records) + int(self._extra.sum())

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
