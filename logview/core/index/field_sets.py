"""The fields a record holds beyond its text (a journal entry's ``CODE_FUNC``, ``_SYSTEMD_UNIT``, …), kept so they can be searched.

A journal entry has twenty fields and more, and its record shows eight.
The others mostly repeat: a program's unit, boot, command line and code
place are the same over thousands of entries. So each distinct set of
them is kept once, as ``KEY=value`` lines, and each record holds only its
set's code (a byte while there are 256 sets at most, two up to 65,536):
10 to 20 MB for 10 million records, where their text would be 3 GB. A search matches the
pattern against the distinct sets' lines, then picks the records whose
set matched with one vectorised look-up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import polars as pl

from logview.core.index.columns import Column

__all__ = ["FieldSets"]


class FieldSets:
    """The distinct sets of a source's other fields, and each of its records' set, in the order the records were indexed.

    Set 0 is the empty one. Written by the source's thread, read by searches:
    a lock keeps the two apart.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._codes_by_hash: dict[int, int] = {0: 0}
        #: Every set's ``KEY=value`` lines, in pieces as they were added, and the set each line belongs to.
        self._lines: list[pl.Series] = []
        self._owners: list[np.ndarray] = []
        self._line_count = 0
        self._sets = 1
        #: Each record's set, a byte while there are 256 sets at most: a column that widens, sized once by :meth:`reserve`.
        self._codes = Column(np.uint8)
        #: The lines as one column, made again when sets were added since.
        self._column: tuple[pl.Series, np.ndarray] | None = None
        #: Fields left out of the sets because nearly every entry has its own value (a request id, a sequence number).
        self.unsearched: set[str] = set()

    def __len__(self) -> int:
        """Records whose set is known."""
        return len(self._codes)

    @property
    def capacity(self) -> int:
        """Codes it has room for before it must grow (by a copy)."""
        return self._codes.capacity

    def reserve(self, records: int) -> None:
        """Room for the codes of ``records`` records in all, made once: growing by doubling would copy them while both are held."""
        with self._lock:
            self._codes.reserve(records)

    @property
    def sets(self) -> int:
        """Distinct sets so far, the empty one included."""
        return self._sets

    def unknown(self, hashes: np.ndarray) -> int:
        """How many of these distinct hashes are sets not seen before."""
        with self._lock:
            known = self._codes_by_hash
            return sum(1 for value in hashes.tolist() if value not in known)

    def codes_for(self, hashes: np.ndarray, lines_of: Callable[[np.ndarray], tuple[pl.Series, np.ndarray]]) -> np.ndarray:
        """Each hash's set code, one hash per record.

        ``lines_of(positions)`` gives the lines of the records at those
        positions of ``hashes`` (each the first of a set not seen before) and,
        for each line, which of the positions it belongs to. A Python step
        per distinct hash, none per record or per line.
        """
        distinct, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
        with self._lock:
            known = self._codes_by_hash
            codes = [known.get(value, -1) for value in distinct.tolist()]
            new = [place for place, code in enumerate(codes) if code < 0]
            if new:
                lines, which = lines_of(first[new])
                base = self._sets
                for number, place in enumerate(new):
                    known[int(distinct[place])] = codes[place] = base + number
                self._sets += len(new)
                self._lines.append(lines)
                self._owners.append(which.astype(np.int64) + base)
                self._line_count += len(lines)
        return np.asarray(codes, dtype=np.uint32)[inverse.reshape(-1)]

    def append(self, codes: np.ndarray) -> None:
        """The set codes of the records indexed next, in their order: a byte each while there are 256 sets at most, then two."""
        with self._lock:
            self._codes.append(codes)

    def codes(self, start: int, stop: int) -> np.ndarray:
        """The set codes of records ``start:stop`` (by their order in the source)."""
        with self._lock:
            return self._codes.values[start:stop]

    def matching(self, matches: Callable[[pl.Series], np.ndarray]) -> np.ndarray:
        """The codes of the sets one of whose lines ``matches`` (a bool per line of a column of lines), ascending."""
        with self._lock:
            if self._column is None or len(self._column[1]) != self._line_count:
                if len(self._lines) > 1:
                    self._lines, self._owners = [pl.concat(self._lines)], [np.concatenate(self._owners)]
                self._column = (self._lines[0], self._owners[0]) if self._lines else None
            if self._column is None:
                return np.zeros(0, dtype=np.int64)
            lines, owners = self._column
        return np.unique(owners[matches(lines)])
