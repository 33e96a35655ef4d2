"""A journal record's other fields (``CODE_FILE``, ``_SYSTEMD_UNIT``, ``_BOOT_ID``, …), fetched from journalctl when asked for.

An entry holds twenty fields and more; the record shows eight. Keeping the
others in memory would cost more than the index itself, and writing them
beside the record's text would write the whole journal to disk again. So
each batch of records remembers how it was read (the journalctl command,
the file's descriptor, the entry it came after), and the details view or
``--output jsonl`` reads the batch again from journalctl: the entries come
back in the same order, with every field, from the same first entry to
the same last as the first time (else the journal changed, and no fields
are given rather than another entry's). The last few batches read are
kept, so that records asked for in time order, many hosts' batches
interleaved, cost one read a batch.
"""

from __future__ import annotations

import bisect
import os
import subprocess
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from logview.core.sources.journal_export import NEWLINE_MARK, ExportReader
from logview.core.sources.journal_fields import SHOWN_FIELDS

__all__ = ["EntryDetails"]

#: Bytes taken from journalctl at a time while a batch is read again.
READ_BYTES = 1 << 20
#: Batches whose entries are kept once read again: one per host whose records interleave with the others'.
KEPT_BATCHES = 16
#: The batches' arrays that are empty, one shared.
_NONE = np.zeros(0, dtype=np.int32)


class _Batch(NamedTuple):
    text_start: int
    #: The journalctl command that writes the batch's entries first (``--after-cursor`` the entry before them).
    command: list[str]
    #: The descriptors the command reads its file through.
    passed: tuple[int, ...]
    #: The cursors of its first entry and its last: the entries read again must be the same.
    ends: tuple[str | None, str | None]
    entries: int
    #: The batch's records of more than one line (their index in the batch), and how many lines each has beyond the first.
    multi_line: np.ndarray
    extra_lines: np.ndarray
    #: The runs of the batch's entries that continue a record begun by an earlier one (journal_entries._continued):
    #: the records begun before each run, and the entries of the runs up to it, that one's included.
    run_after: np.ndarray
    runs_through: np.ndarray


class EntryDetails:
    """The fields of a journal source's records beyond those shown, by the record's offset in the source's spool."""

    def __init__(self, read_text: Callable[[int, int], bytes]) -> None:
        self._read_text = read_text
        self._starts: list[int] = []
        self._batches: list[_Batch] = []
        self._lock = threading.Lock()
        #: Batches read again, by their place: their entries' fields.
        self._kept: OrderedDict[int, list[dict[str, str]]] = OrderedDict()

    def add(
        self,
        text_start: int,
        command: list[str],
        passed: tuple[int, ...],
        ends: tuple[str | None, str | None],
        lines_per_record: np.ndarray,
        entries: int,
        continued: np.ndarray,
    ) -> None:
        """A batch of ``entries`` was indexed: its text starts at ``text_start`` (after the batches before); ``command`` writes its
        entries first; ``ends``: the cursors of its first entry and its last; ``continued``: the places of those that continue a
        record (JournalBatch.continued)."""
        # Kept for every batch read (about 2 KB each, one per 1,000 entries): int32, and no arrays of their own when empty.
        multi_line = np.flatnonzero(lines_per_record > 1).astype(np.int32)
        extra_lines = (lines_per_record[multi_line] - 1).astype(np.int32) if len(multi_line) else _NONE
        run_after, runs_through = _runs(continued)
        batch = _Batch(
            text_start, command, passed, ends, entries, multi_line if len(multi_line) else _NONE, extra_lines, run_after, runs_through
        )
        with self._lock:
            self._starts.append(text_start)
            self._batches.append(batch)

    def __call__(self, offset: int) -> dict[str, str]:
        """The other fields of the record at ``offset``; none when journalctl no longer gives them (the file was deleted)."""
        with self._lock:
            place = bisect.bisect_right(self._starts, offset) - 1
            if place < 0:
                return {}
            batch = self._batches[place]
            ordinal = _first_entry(batch, self._ordinal(batch, offset))
            entries = self._kept.get(place)
            if entries is None:
                entries = self._kept[place] = _read_again(batch)
                if len(self._kept) > KEPT_BATCHES:
                    self._kept.popitem(last=False)
            self._kept.move_to_end(place)
        if not 0 <= ordinal < len(entries):
            return {}
        return {key: value for key, value in entries[ordinal].items() if key not in SHOWN_FIELDS}

    def _ordinal(self, batch: _Batch, offset: int) -> int:
        """Which of the batch's records starts at ``offset``: its lines before it, less the records' lines beyond their first."""
        lines = self._read_text(batch.text_start, offset - batch.text_start).count(b"\n")
        passed = 0
        for record, extra in zip(batch.multi_line.tolist(), batch.extra_lines.tolist(), strict=True):
            if record + passed >= lines:
                break
            passed += extra
        return lines - passed


def _runs(continued: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The runs of consecutive places in ``continued``: the places before each run that are not in it, and the running count.

    A traceback's lines are a run: two numbers a traceback, whatever its length.
    """
    if len(continued) == 0:
        return _NONE, _NONE
    starts = np.flatnonzero(np.r_[True, np.diff(continued) != 1])
    ends = np.r_[starts[1:], len(continued)]
    return (continued[starts] - starts).astype(np.int32), ends.astype(np.int32)


def _first_entry(batch: _Batch, record: int) -> int:
    """The place among the batch's entries of the ``record``-th record's first entry: the runs of continuing entries before it counted.

    A run lies before the record's first entry when no more records than
    ``record`` began before it: records begin in their first entries' order.
    """
    runs = int(np.searchsorted(batch.run_after, record, side="right"))
    return record + (int(batch.runs_through[runs - 1]) if runs else 0)


def _read_again(batch: _Batch) -> list[dict[str, str]]:
    """The batch's entries, every field of each, read from journalctl as they were the first time; none if they are not the same."""
    try:
        process = subprocess.Popen(
            batch.command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, pass_fds=batch.passed
        )
    except OSError:
        return []
    assert process.stdout is not None
    entries: list[dict[str, str]] = []
    reader = ExportReader(())
    try:
        while len(entries) < batch.entries:
            data = os.read(process.stdout.fileno(), READ_BYTES)
            if not data:
                break
            entries += [_fields(entry) for entry in reader.text(data).split("\n\n") if entry]
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
    entries = entries[: batch.entries]
    if not entries or (entries[0].get("__CURSOR"), entries[-1].get("__CURSOR")) != batch.ends:
        # The journal is not what it was (a file vacuumed, a descriptor gone, files read together merged otherwise since
        # one was written to): no fields rather than another entry's.
        return []
    return entries


def _fields(entry: str) -> dict[str, str]:
    fields = {}
    for line in entry.split("\n"):
        key, _, value = line.partition("=")
        if key:
            fields[key] = value.replace(NEWLINE_MARK, "\n")
    return fields
