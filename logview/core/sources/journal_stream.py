"""One journal file's entries as they are read, made into batches of records: those whose lines may still come held back.

A read of journalctl's output ends wherever the pipe had got to: between a
service's logging line and the traceback it wrote to its standard error
after it, one entry a line, or inside the traceback. The timeline extends
only a source's very last record (a file's chunk that starts with
continuation lines), while a journal's records interleave by process. So
the records that may still be continued are not handed over yet: the last
record of each identifier, process and host whose messages are logging
lines, when that key wrote one of the last HOLD_ENTRIES entries read and
its first entry was read less than HOLD_SECONDS ago. The entries from the
first of them on are kept, and made records again with the next read's;
a key's traceback lines then join its record (journal_entries._numbered).

The entries kept are the batch's last ones, so that each batch is the
entries journalctl writes after the one before it, which is how the
details read it again (journal_details.py), and no record's entries lie
in two batches. The source hands over what is kept when the journal is
read to its end, when following finds the file quiet, and when it stops.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from logview.core.sources.journal_entries import KEY, EntryCoder, JournalBatch

__all__ = ["HOLD_ENTRIES", "HOLD_MOST", "HOLD_SECONDS", "EntryStream"]

#: A key that wrote one of a read's last this many entries may still be writing its last record's lines.
HOLD_ENTRIES = 256
#: Entries kept at most: a record begun further back is handed over as it is.
HOLD_MOST = 4096
#: A record whose first entry was read this long ago (seconds) is handed over: a traceback's lines come together.
HOLD_SECONDS = 1.0


class EntryStream:
    """One journal file's entries, fed as they are read; each feed gives the records that can no longer grow."""

    def __init__(self, coder: EntryCoder, after: str | None) -> None:
        """``after``: the cursor of the entry before the first to be fed (None: the file's first)."""
        self.coder = coder
        #: The cursor of the last entry handed over: the next batch's entries are those after it.
        self.after = after
        self._kept: pl.DataFrame | None = None
        #: When each kept entry was read (time.monotonic()).
        self._read_at = np.zeros(0)

    @property
    def kept(self) -> int:
        """Entries read and not handed over yet."""
        return 0 if self._kept is None else self._kept.height

    def feed(self, entries: pl.DataFrame, now: float) -> JournalBatch | None:
        """The records complete once ``entries`` (read at ``now``) follow those kept; None when all may still grow."""
        frame = entries if self._kept is None else pl.concat([self._kept, entries])
        read_at = np.r_[self._read_at, np.full(entries.height, now)]
        columns = self.coder.entries(frame, new_from=self.kept)
        return self._hand_over(frame, columns, _cut(columns, read_at, now), read_at)

    def flush(self) -> JournalBatch | None:
        """Every record kept, as it is: no more lines will come (the journal was read to its end, or is quiet)."""
        if self._kept is None:
            return None
        frame = self._kept
        return self._hand_over(frame, self.coder.entries(frame, new_from=frame.height), frame.height, self._read_at)

    def _hand_over(self, frame: pl.DataFrame, columns: pl.DataFrame, cut: int, read_at: np.ndarray) -> JournalBatch | None:
        """The records of the entries before ``cut`` as a batch; the others kept."""
        self._kept = frame.slice(cut) if cut < frame.height else None
        self._read_at = read_at[cut:]
        if cut == 0:
            return None
        batch = self.coder.batch(columns.slice(0, cut), frame.slice(0, cut), self.after)
        self.after = batch.cursor
        return batch


def _cut(columns: pl.DataFrame, read_at: np.ndarray, now: float) -> int:
    """Where the entries kept for the next read start: at the first record that may still grow, and between records."""
    count = columns.height
    if not columns["formatted"].any():  # no messages are logging lines: no record is continued
        return count
    firsts = _open_records(columns, read_at, now)
    if len(firsts) == 0:
        return count
    continued, their_firsts = _continuations(columns)
    cut = _record_start_before(int(firsts.min()), continued, their_firsts)
    if cut < count - HOLD_MOST or read_at[cut] < now - HOLD_SECONDS:
        # A record of long ago spans the place: the records up to where none does are handed over, however they end.
        cut = _record_start_after(int(firsts.min()), continued, their_firsts)
    return cut


def _open_records(columns: pl.DataFrame, read_at: np.ndarray, now: float) -> np.ndarray:
    """The first entries of the records that may still grow: each key's last, of the keys whose messages are logging lines."""
    count = columns.height
    recent = columns.slice(max(0, count - HOLD_ENTRIES)).with_row_index("place", offset=max(0, count - HOLD_ENTRIES))
    last = recent.filter(pl.col("formatted")).unique(subset=list(KEY), keep="last")
    if "record" in columns.columns:
        firsts = np.flatnonzero(columns["begins"].to_numpy())[last["record"].to_numpy()]
    else:
        firsts = last["place"].to_numpy().astype(np.int64)
    return firsts[(firsts >= count - HOLD_MOST) & (read_at[firsts] >= now - HOLD_SECONDS)]


def _continuations(columns: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The places of the entries that continue a record, and the place of each one's record's first entry."""
    if "record" not in columns.columns:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    begins = columns["begins"].to_numpy()
    continued = np.flatnonzero(~begins)
    return continued, np.flatnonzero(begins)[columns["record"].to_numpy()[continued]]


def _record_start_before(place: int, continued: np.ndarray, firsts: np.ndarray) -> int:
    """The last place at or before ``place`` that no record spans (none begun before it has entries from it on)."""
    while True:
        spanning = (continued >= place) & (firsts < place)
        if not spanning.any():
            return place
        place = int(firsts[spanning].min())


def _record_start_after(place: int, continued: np.ndarray, firsts: np.ndarray) -> int:
    """The first place at or after ``place`` that no record spans."""
    while True:
        spanning = (continued >= place) & (firsts < place)
        if not spanning.any():
            return place
        place = int(continued[spanning].max()) + 1
