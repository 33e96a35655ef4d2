"""Many journal files read by one journalctl, and which of them each entry came from.

Read one by one, a collector's files give each host's entries after the
other's, and the timeline must keep an order array to show them by time:
4 bytes a record, 40 MB at 10M. journalctl given all the files at once
merges them by time itself, so the entries come in the order they are
shown and none is needed. Following still reads each file after its own
last entry (journal_files.py says why), so each entry of the read
together must be told its file: by its cursor's ``s=`` (the file's
sequence number id, in its header) and ``i=`` (its sequence number, within
the header's first and last).

That is only sure when no two files share sequence numbers: the files of
one id (a host's file and those rotation set aside, which share the id)
must hold ranges apart, and only the last may still be written. The local
journal's files share one id and one count across users
(``system.journal`` and ``user-1000.journal`` interleave), so they are
read one by one, as are files read before and files with no entries yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import polars as pl

from logview.core.sources.journal_files import JournalFile

__all__ = ["EntryOwners", "readable_together"]


def readable_together(files: Sequence[JournalFile]) -> list[JournalFile]:
    """Those of ``files`` whose entries can each be told their file by their cursor: none when fewer than two are."""
    groups: dict[str, list[JournalFile]] = defaultdict(list)
    for journal in files:
        seqnum_id = journal.seqnum_id
        if journal.fd >= 0 and journal.cursor is None and journal.entries > 0 and seqnum_id is not None:
            groups[seqnum_id].append(journal)
    together: list[JournalFile] = []
    for group in groups.values():
        group.sort(key=lambda journal: journal.seqnums[0])
        apart = all(before.seqnums[1] < after.seqnums[0] for before, after in zip(group, group[1:], strict=False))
        if apart and all(journal.archived for journal in group[:-1]):
            together += group
    return together if len(together) > 1 else []


class EntryOwners:
    """Which of the files read together each entry came from, by its cursor; and the last entry read of each."""

    def __init__(self, files: Sequence[JournalFile]) -> None:
        self.files = list(files)
        by_id: dict[str, list[int]] = defaultdict(list)
        for place, journal in enumerate(self.files):
            by_id[journal.seqnum_id or ""].append(place)
        #: Per sequence number id: its files' places, and their first sequence numbers, ascending.
        self._places = {seqnum_id: np.array(places) for seqnum_id, places in by_id.items()}
        self._heads = {seqnum_id: np.array([self.files[place].seqnums[0] for place in places]) for seqnum_id, places in by_id.items()}
        #: The last entry read of each file, by its place.
        self.last_cursors: dict[int, str] = {}

    def read(self, cursors: pl.Series) -> None:
        """Entries were read, with these cursors, in this order: each file's last is noted. A step per file, none per entry."""
        parts = pl.DataFrame({"cursor": cursors}).select(
            seqnum_id=pl.col("cursor").str.extract(r"(?:^|;)s=([0-9a-f]+)"),
            seqnum=pl.col("cursor").str.extract(r";i=([0-9a-f]+)").str.to_integer(base=16, strict=False),
        )
        owner = np.full(len(cursors), -1, dtype=np.int64)
        seqnum_ids = parts["seqnum_id"]
        seqnums = parts["seqnum"].fill_null(0).to_numpy()
        for seqnum_id, places in self._places.items():
            mine = (seqnum_ids == seqnum_id).fill_null(False).to_numpy()
            if mine.any():
                file_of = np.searchsorted(self._heads[seqnum_id], seqnums[mine], side="right") - 1
                owner[mine] = places[np.maximum(file_of, 0)]
        # The last entry of each owner: the first of the reversed entries.
        owners, first_reversed = np.unique(owner[::-1], return_index=True)
        for place, reversed_at in zip(owners.tolist(), first_reversed.tolist(), strict=True):
            if place >= 0:
                at = len(cursors) - 1 - reversed_at
                self.last_cursors[place] = cursors[at]

    def cursor_of(self, journal: JournalFile) -> str | None:
        """The last entry read of ``journal`` (None: none was)."""
        return self.last_cursors.get(self.files.index(journal))
