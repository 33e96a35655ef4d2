"""A growable numpy column whose integer type widens when a value no longer fits.

Columns start narrow (uint16 codes, uint32 offsets) because 10 million records
are the common case and every byte per record is 10 MB of memory; a value that
does not fit widens the column once instead of failing.
"""

from __future__ import annotations

import numpy as np

_WIDER: dict[np.dtype, np.dtype] = {
    np.dtype(np.uint8): np.dtype(np.uint16),
    np.dtype(np.uint16): np.dtype(np.uint32),
    np.dtype(np.uint32): np.dtype(np.int64),
    np.dtype(np.int32): np.dtype(np.int64),
}


class Column:
    """An append-only array with amortised growth.

    ``values`` is a view of the filled part; it is a fresh view after every
    append, so a reader that took one keeps a consistent snapshot (growth
    allocates a new buffer rather than resizing in place).
    """

    __slots__ = ("_data", "_size")

    def __init__(self, dtype: np.dtype | type, capacity: int = 1024) -> None:
        self._data = np.zeros(max(capacity, 16), dtype=dtype)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    @property
    def values(self) -> np.ndarray:
        return self._data[: self._size]

    @property
    def capacity(self) -> int:
        """Values it has room for before it must grow (by a copy)."""
        return len(self._data)

    def reserve(self, capacity: int) -> None:
        """Make room for ``capacity`` values; untouched pages cost no memory."""
        if capacity > len(self._data):
            grown = np.zeros(capacity, dtype=self._data.dtype)
            grown[: self._size] = self._data[: self._size]
            self._data = grown

    def append(self, values: np.ndarray) -> None:
        count = len(values)
        if count == 0:
            return
        self._fit(values)
        needed = self._size + count
        if needed > len(self._data):
            self.reserve(max(needed, 2 * len(self._data)))
        self._data[self._size : needed] = values
        self._size = needed

    def _fit(self, values: np.ndarray) -> None:
        kind = self._data.dtype
        if kind.kind not in "ui" or values.dtype.kind not in "ui" or len(values) == 0:
            return
        limit = np.iinfo(kind)
        while int(values.max()) > limit.max or int(values.min()) < limit.min:
            wider = _WIDER.get(kind)
            if wider is None:
                raise OverflowError(f"value out of range for {kind}")
            self._data = self._data.astype(wider)
            kind = wider
            limit = np.iinfo(kind)
