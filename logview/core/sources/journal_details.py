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

import os
import subprocess
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from logview.core.index.columns import Column
from logview.core.sources.journal_export import NEWLINE_MARK, ExportReader
from logview.core.sources.journal_fields import SHOWN_FIELDS

__all__ = ["EntryDetails"]

#: Bytes taken from journalctl at a time while a batch is read again.
READ_BYTES = 1 << 20
#: Batches whose entries are kept once read again: one per host whose records interleave with the others'.
KEPT_BATCHES = 16


class _Batch(NamedTuple):
    """One batch's way back to its entries, as a read again needs it (EntryDetails keeps it in columns, not as one of these)."""

    #: The journalctl command that writes the batch's entries first (``--after-cursor`` the entry before them).
    command: list[str]
    #: The descriptors the command reads its file through.
    passed: tuple[int, ...]
    #: Its entries must come back the same: the hash of the cursors of the first and the last (hash(ends), as add took them).
    ends: int
    entries: int


class EntryDetails:
    """The fields of a journal source's records beyond those shown, by the record's offset in the source's spool.

    Each batch is about a thousand entries, and there are ten thousand at
    10M entries: what each keeps is a few numbers in columns and the cursor
    it comes after (about 200 bytes), not objects of its own (about 2 KB:
    19 MiB at 10M).
    """

    def __init__(self, read_text: Callable[[int, int], bytes], command: Callable[[list[str], str | None], list[str]]) -> None:
        """``command(files, after)``: the journalctl command that writes the entries of ``files`` after the cursor ``after``."""
        self._read_text = read_text
        self._command = command
        self._lock = threading.Lock()
        #: The ways journalctl was run (its files and the descriptors they name), each kept once.
        self._ways: dict[tuple[tuple[str, ...], tuple[int, ...]], int] = {}
        self._way_list: list[tuple[list[str], tuple[int, ...]]] = []
        # A column per number a batch keeps, a row per batch.
        self._starts = Column(np.int64)
        self._way = Column(np.int32)
        self._entries = Column(np.int32)
        self._ends = Column(np.int64)
        #: The cursor each batch comes after: its place in ``_cursors`` and its length (-1: the journal's first entry).
        self._after_at = Column(np.int64)
        self._after_length = Column(np.int32)
        self._cursors = bytearray()
        #: Each batch's records of more than one line and their lines beyond the first; its runs of continuing entries (_runs).
        self._multi_lines = _PerBatch()
        self._runs = _PerBatch()
        #: Batches read again, by their place: their entries' fields.
        self._kept: OrderedDict[int, list[dict[str, str]]] = OrderedDict()

    def add(
        self,
        text_start: int,
        files: list[str],
        passed: tuple[int, ...],
        after: str | None,
        ends: tuple[str | None, str | None],
        lines_per_record: np.ndarray,
        entries: int,
        continued: np.ndarray,
    ) -> None:
        """A batch of ``entries`` was indexed: its text starts at ``text_start`` (after the batches before).

        journalctl wrote them reading ``files`` (options naming the
        descriptors ``passed``) after the cursor ``after``; ``ends``: the
        cursors of its first entry and its last; ``continued``: the places of
        the entries that continue a record (JournalBatch.continued).
        """
        multi_line = np.flatnonzero(lines_per_record > 1)
        run_after, runs_through = _runs(continued)
        with self._lock:
            way = self._ways.setdefault((tuple(files), passed), len(self._way_list))
            if way == len(self._way_list):
                self._way_list.append((list(files), passed))
            self._starts.append(np.array([text_start]))
            self._way.append(np.array([way]))
            self._entries.append(np.array([entries]))
            self._ends.append(np.array([hash(ends)]))
            cursor = after.encode("utf-8", "surrogateescape") if after is not None else b""
            self._after_at.append(np.array([len(self._cursors)]))
            self._after_length.append(np.array([len(cursor) if after is not None else -1]))
            self._cursors += cursor
            self._multi_lines.append(multi_line, lines_per_record[multi_line] - 1)
            self._runs.append(run_after, runs_through)

    def __call__(self, offset: int) -> dict[str, str]:
        """The other fields of the record at ``offset``; none when journalctl no longer gives them (the file was deleted)."""
        with self._lock:
            place = int(np.searchsorted(self._starts.values, offset, side="right")) - 1
            if place < 0:
                return {}
            ordinal = _first_entry(*self._runs.of(place), self._ordinal(place, offset))
            entries = self._kept.get(place)
            if entries is None:
                entries = self._kept[place] = _read_again(self._batch(place))
                if len(self._kept) > KEPT_BATCHES:
                    self._kept.popitem(last=False)
            self._kept.move_to_end(place)
        if not 0 <= ordinal < len(entries):
            return {}
        return {key: value for key, value in entries[ordinal].items() if key not in SHOWN_FIELDS}

    def _batch(self, place: int) -> _Batch:
        files, passed = self._way_list[int(self._way.values[place])]
        at, length = int(self._after_at.values[place]), int(self._after_length.values[place])
        after = self._cursors[at : at + length].decode("utf-8", "surrogateescape") if length >= 0 else None
        return _Batch(self._command(files, after), passed, int(self._ends.values[place]), int(self._entries.values[place]))

    def _ordinal(self, place: int, offset: int) -> int:
        """Which of the batch's records starts at ``offset``: its lines before it, less the records' lines beyond their first."""
        text_start = int(self._starts.values[place])
        lines = self._read_text(text_start, offset - text_start).count(b"\n")
        multi_line, extra_lines = self._multi_lines.of(place)
        passed = 0
        for record, extra in zip(multi_line.tolist(), extra_lines.tolist(), strict=True):
            if record + passed >= lines:
                break
            passed += extra
        return lines - passed


class _PerBatch:
    """Two int32 arrays of each batch, of any length, kept end to end in two columns, with where each batch's start."""

    def __init__(self) -> None:
        self._starts = Column(np.int64)
        self._first = Column(np.int32)
        self._second = Column(np.int32)

    def append(self, first: np.ndarray, second: np.ndarray) -> None:
        """The next batch's two arrays, of one length."""
        self._starts.append(np.array([len(self._first)]))
        self._first.append(first)
        self._second.append(second)

    def of(self, place: int) -> tuple[np.ndarray, np.ndarray]:
        """Batch ``place``'s two arrays."""
        starts = self._starts.values
        stop = int(starts[place + 1]) if place + 1 < len(starts) else len(self._first)
        span = slice(int(starts[place]), stop)
        return self._first.values[span], self._second.values[span]


def _runs(continued: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The runs of consecutive places in ``continued``: the places before each run that are not in it, and the running count.

    A traceback's lines are a run: two numbers a traceback, whatever its length.
    """
    if len(continued) == 0:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    starts = np.flatnonzero(np.r_[True, np.diff(continued) != 1])
    ends = np.r_[starts[1:], len(continued)]
    return (continued[starts] - starts).astype(np.int32), ends.astype(np.int32)


def _first_entry(run_after: np.ndarray, runs_through: np.ndarray, record: int) -> int:
    """The place among its batch's entries of the ``record``-th record's first entry: the runs of continuing entries before it counted.

    A run lies before the record's first entry when no more records than
    ``record`` began before it: records begin in their first entries' order.
    ``run_after`` and ``runs_through``: the batch's runs (_runs).
    """
    runs = int(np.searchsorted(run_after, record, side="right"))
    return record + (int(runs_through[runs - 1]) if runs else 0)


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
    if not entries or hash((entries[0].get("__CURSOR"), entries[-1].get("__CURSOR"))) != batch.ends:
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
