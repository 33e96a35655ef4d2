"""The rows a view shows, in timeline order, without an array of them all.

Held as row numbers, a view of 10 million records costs 40 MB, and making that
array costs a pass as long as the filter itself. A view is instead a sequence
of rows (None: the timeline's rows in arrival order, which is time order for
one file or a rotation set) and a mask over that sequence (None: every row):
nothing at all for "everything", one byte per record for a filter. A rank
table of one count per RANK_BLOCK positions turns "the i-th shown row" into
one binary search and one short scan (select), and "where is this row" into
the same (rank), so only the rows asked for are ever made.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import overload

import numpy as np

from logview.core.masks import FacetKeep, Mask
from logview.core.runs import equal_runs

#: Positions per entry of the rank table: a select scans at most this many mask bytes.
RANK_BLOCK = 1 << 16
#: Rows made at once by the passes over a whole view.
VIEW_BLOCK = 1 << 18


class ViewRows:
    """The i-th row of a view, and the place of a row in it, for a sequence narrowed by a mask."""

    def __init__(self, length: int, sequence: np.ndarray | None = None, keep: Mask | None = None) -> None:
        """``length`` positions of ``sequence`` (or of 0, 1, 2…), of which ``keep`` (a mask over positions) holds some."""
        if sequence is not None and len(sequence) < length:
            raise ValueError(f"a sequence of {len(sequence)} rows cannot hold {length} positions")
        if keep is not None and len(keep) != length:
            raise ValueError(f"a mask of {len(keep)} positions for a view of {length}")
        self.length = length
        self.sequence = sequence
        self.keep = keep
        self._before = _rank_table(keep) if keep is not None else None
        self._size = int(self._before[-1]) if self._before is not None else length

    @classmethod
    def listed(cls, rows: np.ndarray) -> ViewRows:
        """A view of exactly ``rows``, in that order."""
        return cls(len(rows), sequence=np.asarray(rows))

    @classmethod
    def over(cls, order: np.ndarray | None, mask: Mask | None, length: int) -> ViewRows:
        """The rows among the first ``length`` where ``mask`` holds, in ``order`` (None: arrival order).

        An order that does not cover every row (rows appended after the last
        merge) is not used: arrival order shows them all.
        """
        if order is None or len(order) < length:
            return cls(length, keep=mask)
        if mask is None:
            return cls(length, sequence=order)
        if isinstance(mask, FacetKeep):
            return cls(length, sequence=order, keep=mask.in_order(order[:length]))
        keep = np.empty(length, dtype=bool)
        for start in range(0, length, VIEW_BLOCK):
            # In blocks: a whole-order lookup would first widen the order to int64 (80 MB at 10M rows).
            np.take(mask, order[start : start + VIEW_BLOCK], out=keep[start : start + VIEW_BLOCK])
        return cls(length, sequence=order, keep=keep)

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> np.ndarray: ...
    def __getitem__(self, index: int | slice) -> int | np.ndarray:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._size)
            if step != 1:
                raise ValueError("a view's rows are sliced with a step of 1")
            return self.take(np.arange(start, max(start, stop)))
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError(f"row {index} of a view of {self._size}")
        return int(self.take(np.array([index]))[0])

    def take(self, indices: np.ndarray) -> np.ndarray:
        """The rows at ``indices`` (ascending) of the view."""
        positions = self._select(np.asarray(indices, dtype=np.int64))
        return positions if self.sequence is None else self.sequence[positions]

    def blocks(self, size: int = VIEW_BLOCK) -> Iterator[np.ndarray]:
        """The view's rows in order, ``size`` at a time."""
        for start in range(0, self._size, size):
            yield self[start : start + size]

    def to_array(self) -> np.ndarray:
        """Every row of the view (tests; the views never need them all at once)."""
        return np.concatenate([np.zeros(0, dtype=np.int64), *self.blocks()])

    def locate(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(ascending indices in the view, rows) of those of ``rows`` (ascending) that the view shows.

        In arrival order, a row is its own position, so the cost follows the
        number of rows asked for (matches, multi-line records); otherwise the
        view is walked in blocks and each of its rows looked up in a mask.
        """
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) == 0 or self._size == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if self.sequence is None:
            found = rows[rows < self.length]
            if self.keep is not None:
                found = found[self.keep[found]]
            return self._rank(found), found
        wanted = np.zeros(int(rows[-1]) + 1, dtype=bool)
        wanted[rows] = True
        indices: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        shown: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        for start in range(0, self._size, VIEW_BLOCK):
            block = self[start : start + VIEW_BLOCK]
            hits = np.flatnonzero(wanted[np.minimum(block, len(wanted) - 1)] & (block < len(wanted)))
            indices.append(hits + start)
            shown.append(block[hits])
        return np.concatenate(indices), np.concatenate(shown).astype(np.int64, copy=False)

    def neighbours(self, row: int) -> tuple[int | None, int | None]:
        """(index, index) of ``row`` when the view shows it; else the shown rows just before and just after its place.

        Its place is its position in the view's sequence, whether the mask
        keeps it or not; a row the sequence does not hold at all has none:
        (None, None).
        """
        if self.sequence is None:
            position = row if 0 <= row < self.length else None
        else:
            found = np.flatnonzero(self.sequence[: self.length] == row)
            position = int(found[0]) if len(found) else None
        if position is None:
            return None, None
        rank = int(self._rank(np.array([position]))[0])
        if self.keep is None or self.keep[position]:
            return rank, rank
        return (rank - 1 if rank > 0 else None), (rank if rank < self._size else None)

    def _select(self, indices: np.ndarray) -> np.ndarray:
        """Positions of the ``indices``-th kept positions (indices ascending)."""
        if self._before is None or self.keep is None or len(indices) == 0:
            return indices
        blocks = np.searchsorted(self._before, indices, side="right") - 1
        positions = np.empty(len(indices), dtype=np.int64)
        for begin, end in equal_runs(blocks):
            block = int(blocks[begin])
            within = np.flatnonzero(self.keep[block * RANK_BLOCK : (block + 1) * RANK_BLOCK])
            positions[begin:end] = within[indices[begin:end] - self._before[block]] + block * RANK_BLOCK
        return positions

    def _rank(self, positions: np.ndarray) -> np.ndarray:
        """How many kept positions come before each of ``positions`` (ascending; past the end counts them all)."""
        if self._before is None or self.keep is None or len(positions) == 0:
            return positions
        ranks = np.full(len(positions), self._size, dtype=np.int64)
        inside = int(np.searchsorted(positions, self.length))
        blocks = positions[:inside] // RANK_BLOCK
        for begin, end in equal_runs(blocks):
            block = int(blocks[begin])
            first = block * RANK_BLOCK
            # Kept positions up to and including each position, within its block, less the position itself.
            through = np.cumsum(self.keep[first : first + RANK_BLOCK], dtype=np.int32)
            local = positions[begin:end] - first
            ranks[begin:end] = self._before[block] + through[local] - self.keep[positions[begin:end]]
        return ranks


def _rank_table(keep: Mask) -> np.ndarray:
    """Kept positions before each block, and the total last (``len == blocks + 1``)."""
    whole = len(keep) // RANK_BLOCK
    counts = np.zeros(whole + (1 if len(keep) % RANK_BLOCK else 0), dtype=np.int64)
    if isinstance(keep, np.ndarray):
        if whole:
            counts[:whole] = np.count_nonzero(keep[: whole * RANK_BLOCK].reshape(whole, RANK_BLOCK), axis=1)
    else:
        for block in range(whole):
            counts[block] = np.count_nonzero(keep[block * RANK_BLOCK : (block + 1) * RANK_BLOCK])
    if len(counts) > whole:
        counts[whole] = np.count_nonzero(keep[whole * RANK_BLOCK :])
    return np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts)])


#: Rows as the passes over a view take them: an array of row numbers, or a view's rows (both sliced in blocks).
Rows = np.ndarray | ViewRows
