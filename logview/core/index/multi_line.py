"""The timeline's sparse table of records of more than one line (tracebacks, mostly)."""

from __future__ import annotations

import numpy as np

from logview.core.index.columns import Column


class MultiLine:
    """The records that span several lines, and how many lines each has after its first.

    Kept apart from the columns because few records have more than one line:
    a traceback every hundred records costs 0.1 byte per record here, where a
    column would cost one.
    """

    def __init__(self) -> None:
        self._rows = Column(np.uint32)
        self._extra = Column(np.uint32)
        self._sorted: tuple[int, np.ndarray, np.ndarray] | None = None

    def add(self, rows: np.ndarray, extra_lines: np.ndarray) -> None:
        self._rows.append(np.asarray(rows))
        self._extra.append(np.asarray(extra_lines))

    def lookup(self) -> tuple[np.ndarray, np.ndarray]:
        """(rows ascending, extra lines of each): a row appears once, its lines summed."""
        # Appended to under the timeline's lock and read without it: what both columns hold is the consistent part.
        count = min(len(self._rows), len(self._extra))
        if self._sorted is None or self._sorted[0] != count:
            rows, extra = self._rows.values[:count].astype(np.int64), self._extra.values[:count].astype(np.int64)
            unique, inverse = np.unique(rows, return_inverse=True)
            totals = np.bincount(inverse.reshape(-1), weights=extra, minlength=len(unique)).astype(np.int64)
            self._sorted = (count, unique, totals)
        return self._sorted[1], self._sorted[2]

    def extra_lines(self, rows: np.ndarray) -> np.ndarray:
        """Lines after the first of each given row (0 for one-line records)."""
        known, totals = self.lookup()
        if len(known) == 0:
            return np.zeros(len(rows), dtype=np.int64)
        slot = np.minimum(np.searchsorted(known, rows), len(known) - 1)
        return np.where(known[slot] == rows, totals[slot], 0)
