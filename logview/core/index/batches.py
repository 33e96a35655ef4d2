"""The timeline's batch table: what is the same for every row of one parsed chunk of one source.

Kept out of the per-record columns (timeline.py): the source, the base time
and the text's end are stored once per batch, not once per record.
"""

from __future__ import annotations

import numpy as np

from logview.core.index.columns import Column


class Batches:
    """Per-batch facts: first row, source, base time and text end, as int64 columns that snapshots take views of."""

    def __init__(self) -> None:
        self.first_row = Column(np.int64, 64)
        self.source = Column(np.int64, 64)
        self.base = Column(np.int64, 64)
        self.end = Column(np.int64, 64)

    def __len__(self) -> int:
        return len(self.end)

    def add(self, first_row: int, source: int, base: int, end: int) -> None:
        # The end last: a batch counts once all four are there.
        for column, value in ((self.first_row, first_row), (self.source, source), (self.base, base), (self.end, end)):
            column.append(np.array([value], dtype=np.int64))

    def set_end(self, batch: int, end: int) -> None:
        """Move a batch's text end forward (its last record got continuation lines), in place: see index/snapshot.py."""
        self.end.values[batch] = end
