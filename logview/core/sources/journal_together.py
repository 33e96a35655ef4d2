"""Many journal files read by journalctl together, in time order, and which of them each entry came from.

Read one by one, a collector's files give each host's entries after the
other's, and the timeline must keep an order array to show them by time:
4 bytes a record, 40 MB at 10M. journalctl given the files together
merges them by time itself, so the entries come in the order they are
shown and none is needed. Following still reads each file after its own
last entry (journal_files.py says why), so each entry read together is
told its file: by its cursor's ``s=`` (the file's sequence number id, in
its header) and ``i=`` (its sequence number, from the header's first to
its last).

That is only sure when no two files share sequence numbers. The files of
one id make a *chain* (a host's file and those rotation set aside from it,
which carry the id on): their ranges must lie apart, and only the last may
still be written. The local journal's files share one id and one count
across users (``system.journal`` and ``user-1000.journal`` interleave), so
they are read one by one, as are files read before and files with no
entries yet.

journalctl slows down fourfold past about 57 files at once (10M entries
from 3 hosts: 57 files in 147 s, the same with the 3 more that hold the
last 14,000 entries of each host in 587 s), as if the windows it maps into
the files no longer held one for each. So the files are read in *waves*:
the file each chain is at, until one of them ends; then the next wave,
with that chain's next file, after the last entry taken. journalctl's seek
to that entry puts each other chain at its entry that comes next by the
same comparison that merged them, so no entry is lost or read twice: each
chain's sequence numbers must go on one by one, and where one does not
(journalctl sought elsewhere, a file's clock went back), the waves stop
and each file is read alone after its own last entry taken. A query's
matches leave gaps in the numbers, so with a query the files are read in
one wave, when there are few enough.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import polars as pl

from logview.core.sources.journal_files import JournalFile

__all__ = ["TOGETHER_MOST", "EntryOwners", "Waves", "readable_chains"]

#: The most files one journalctl reads at once: below where it slows down (see above).
TOGETHER_MOST = 48


def readable_chains(files: Sequence[JournalFile], checked: bool = True) -> list[list[JournalFile]]:
    """Those of ``files`` whose entries can each be told their file by their cursor, by chain, each in its order.

    None when fewer than two files are, or when there are more chains than
    a wave can hold; read unchecked (with a query: :class:`Waves`), more
    files than one journalctl reads at full speed.
    """
    groups: dict[str, list[JournalFile]] = defaultdict(list)
    for journal in files:
        seqnum_id = journal.seqnum_id
        if journal.fd >= 0 and journal.cursor is None and journal.entries > 0 and seqnum_id is not None:
            groups[seqnum_id].append(journal)
    chains: list[list[JournalFile]] = []
    for group in groups.values():
        group.sort(key=lambda journal: journal.seqnums[0])
        apart = all(before.seqnums[1] < after.seqnums[0] for before, after in zip(group, group[1:], strict=False))
        if apart and all(journal.archived for journal in group[:-1]):
            chains.append(group)
    files_read = sum(len(chain) for chain in chains)
    if files_read < 2 or len(chains) >= TOGETHER_MOST or (not checked and files_read > TOGETHER_MOST):
        return []
    return chains


def _cursor_parts(cursors: pl.Series) -> pl.DataFrame:
    """Each cursor's sequence number id (``s=``) and sequence number (``i=``, hexadecimal)."""
    return pl.DataFrame({"cursor": cursors}).select(
        seqnum_id=pl.col("cursor").str.extract(r"(?:^|;)s=([0-9a-f]+)"),
        seqnum=pl.col("cursor").str.extract(r";i=([0-9a-f]+)").str.to_integer(base=16, strict=False).fill_null(-1),
    )


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

    def read(self, cursors: pl.Series, parts: pl.DataFrame | None = None) -> None:
        """Entries were read, with these cursors, in this order: each file's last is noted. A step per file, none per entry."""
        parts = _cursor_parts(cursors) if parts is None else parts
        owner = np.full(len(cursors), -1, dtype=np.int64)
        seqnum_ids = parts["seqnum_id"]
        seqnums = parts["seqnum"].to_numpy()
        for seqnum_id, places in self._places.items():
            mine = (seqnum_ids == seqnum_id).fill_null(False).to_numpy()
            if mine.any():
                file_of = np.searchsorted(self._heads[seqnum_id], seqnums[mine], side="right") - 1
                owner[mine] = places[np.maximum(file_of, 0)]
        # The last entry of each owner: the first of the reversed entries.
        owners, first_reversed = np.unique(owner[::-1], return_index=True)
        for place, reversed_at in zip(owners.tolist(), first_reversed.tolist(), strict=True):
            if place >= 0:
                self.last_cursors[place] = cursors[len(cursors) - 1 - reversed_at]

    def cursor_of(self, journal: JournalFile) -> str | None:
        """The last entry read of ``journal`` (None: none was)."""
        return self.last_cursors.get(self.files.index(journal))


class Waves:
    """The chains' files read a wave at a time: what each wave reads, and how many of the entries it gives are taken.

    ``checked`` False (a query's matches leave gaps in the sequence
    numbers): one wave reads every file, and every entry is taken.
    """

    def __init__(self, chains: Sequence[Sequence[JournalFile]], checked: bool = True) -> None:
        self.chains = [list(chain) for chain in chains]
        self.checked = checked
        self.owners = EntryOwners([journal for chain in self.chains for journal in chain])
        #: The place in its chain of the file each chain is at.
        self._at = [0] * len(self.chains)
        #: The sequence number each chain's next entry must have.
        self._next = np.array([chain[0].seqnums[0] for chain in self.chains], dtype=np.int64)
        self._chain_of = {chain[0].seqnum_id: number for number, chain in enumerate(self.chains)}
        #: The cursor of the last entry taken: the next wave reads on after it.
        self.after: str | None = None
        #: The file the last wave ended with (the last entry taken is its last): the next wave holds it, so that
        #: journalctl finds the entry it reads on after.
        self._ended_file: JournalFile | None = None
        #: The last wave ended at a file's end: there is a next one.
        self.ended = False
        #: An entry was not the next of its chain: the waves stop, and each file is read alone after its last entry taken.
        self.broken = False
        self._read_one = False

    @property
    def files(self) -> list[JournalFile]:
        return self.owners.files

    @property
    def complete(self) -> bool:
        """Every file was read to its end: no wave broke, and each chain got to its last file."""
        return not self.broken and all(at == len(chain) - 1 for chain, at in zip(self.chains, self._at, strict=True))

    def next_files(self) -> list[JournalFile]:
        """The files the next wave reads (none: the waves are over)."""
        if self.broken or (self._read_one and not self.ended):
            return []
        self.ended, self._read_one = False, True
        if not self.checked:
            return self.files
        current = [chain[at] for chain, at in zip(self.chains, self._at, strict=True) if at < len(chain)]
        return current + ([self._ended_file] if current and self._ended_file is not None else [])

    def take(self, cursors: pl.Series) -> int:
        """How many of these entries, the next the wave gave, are taken: to the end of a chain's file that is not its
        last (the wave then ``ended``), or up to an entry that is not the next of its chain (the waves are ``broken``)."""
        count = len(cursors)
        parts = _cursor_parts(cursors)
        if self.checked and count:
            count = self._checked(parts)
        taken = cursors.head(count)
        self.owners.read(taken, parts.head(count))
        if count:
            self.after = taken[-1]
        return count

    def _checked(self, parts: pl.DataFrame) -> int:
        """The entries taken of those whose cursors' ``parts`` are given; the chains' states moved on past them."""
        chain = parts["seqnum_id"].replace_strict(self._chain_of, default=-1, return_dtype=pl.Int64).to_numpy()
        seqnum = parts["seqnum"].to_numpy()
        known = chain >= 0
        safe_chain = np.where(known, chain, 0)
        expected = self._next[safe_chain] + _occurrence(safe_chain)
        wrong = ~known | (seqnum != expected)
        # A chain's file ends at its last entry by its header at the look; its chain's last file is read to its end.
        ends_at = np.array(
            [
                chain_files[at].seqnums[1] if at < len(chain_files) - 1 else -1
                for chain_files, at in zip(self.chains, self._at, strict=True)
            ],
            dtype=np.int64,
        )
        ends = known & (seqnum == ends_at[safe_chain])
        first_wrong = int(np.argmax(wrong)) if wrong.any() else len(seqnum)
        first_end = int(np.argmax(ends)) if ends.any() else len(seqnum)
        self.broken = first_wrong <= first_end and first_wrong < len(seqnum)
        self.ended = self.broken or first_end < len(seqnum)
        count = first_wrong if self.broken else min(first_end + 1, len(seqnum))
        taken_chains, last_reversed = np.unique(chain[:count][::-1], return_index=True)
        for number, reversed_at in zip(taken_chains.tolist(), last_reversed.tolist(), strict=True):
            self._next[number] = seqnum[count - 1 - reversed_at] + 1
        if self.ended and not self.broken:
            number = int(chain[first_end])
            self._ended_file = self.chains[number][self._at[number]]
            self._at[number] += 1
            self._next[number] = self.chains[number][self._at[number]].seqnums[0]
        return count


def _occurrence(groups: np.ndarray) -> np.ndarray:
    """Each value's count of the same value before it: 0, 1, 2… within each group, in place."""
    order = np.argsort(groups, kind="stable")
    ordered = groups[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    counts = np.diff(np.r_[starts, len(groups)])
    occurrence = np.empty(len(groups), dtype=np.int64)
    occurrence[order] = np.arange(len(groups)) - np.repeat(starts, counts)
    return occurrence
