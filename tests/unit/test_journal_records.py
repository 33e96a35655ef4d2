"""Journal entries made into records, and each record mapped back to its first entry for its details, without journalctl."""

from __future__ import annotations

import random

import numpy as np
import polars as pl
import pytest

from logview.core.index.timeline import Timeline
from logview.core.sources import journal_stream
from logview.core.sources.journal_details import _first_entry, _runs
from logview.core.sources.journal_entries import ENTRY_FIELDS, EntryCoder, JournalBatch
from logview.core.sources.journal_stream import EntryStream

TRACEBACK = ("Traceback (most recent call last):", '  File "/srv/shop/db.py", line 12, in fetch', "KeyError: 'order'")


def test_each_records_first_entry_is_found_past_the_entries_that_continue_records() -> None:
    rng = np.random.default_rng(11)
    for _ in range(200):
        entries = int(rng.integers(1, 60))
        # Runs of continuing entries, as tracebacks make them; never the first entry, which begins a record.
        continuing = rng.random(entries) < rng.random()
        continuing[0] = False
        continued = np.flatnonzero(continuing)
        firsts = np.flatnonzero(~continuing)
        runs = _runs(continued)
        assert [_first_entry(*runs, record) for record in range(len(firsts))] == firsts.tolist()


def _service(count: int, seed: int) -> list[tuple[int, str]]:
    """Three processes of one service logging to standard error, one in five records with a traceback whose lines others' come between."""
    chooser = random.Random(seed)
    lines: list[tuple[int, str]] = []
    waiting: list[tuple[int, str]] = []  # traceback lines still to be written, each process's in order
    for number in range(count):
        pid = chooser.choice((4242, 4343, 4444))
        if not any(writer == pid for writer, _ in waiting):
            level = "ERROR" if number % 5 == 2 else "INFO"
            lines.append((pid, f"2026-12-06 10:00:00,{number % 1000:03d} {level} shop.db: step {number}"))
            waiting += [(pid, line) for line in TRACEBACK] if level == "ERROR" else []
        while waiting and chooser.random() < 0.7:
            lines.append(waiting.pop(0))
    return lines + waiting


def _frame(lines: list[tuple[int, str]]) -> pl.DataFrame:
    """Entries as journalctl's export gives them (journal_export.entries_frame): a service's standard error, cursors c0, c1, …"""
    columns: dict[str, list[str | None]] = {name: [None] * len(lines) for name in ENTRY_FIELDS}
    for number, (pid, line) in enumerate(lines):
        columns["__CURSOR"][number] = f"c{number}"
        columns["__REALTIME_TIMESTAMP"][number] = str(1_796_500_000_000_000 + number * 1000)
        columns["PRIORITY"][number] = "6"
        columns["SYSLOG_IDENTIFIER"][number] = "shop"
        columns["_PID"][number] = str(pid)
        columns["_HOSTNAME"][number] = "web-1"
        columns["MESSAGE"][number] = line
    return pl.DataFrame(columns, schema=dict.fromkeys(ENTRY_FIELDS, pl.String))


def _expected(lines: list[tuple[int, str]]) -> list[tuple[str, str, int]]:
    """(pid, message, its first entry's place) of each record: a traceback's lines join their process's last record."""
    records: list[tuple[str, str, int]] = []
    last: dict[int, int] = {}
    for number, (pid, line) in enumerate(lines):
        if line in TRACEBACK:
            _, message, first = records[last[pid]]
            records[last[pid]] = (str(pid), f"{message}\n{line}", first)
            continue
        last[pid] = len(records)
        records.append((str(pid), line.split(": ", 1)[1], number))
    return records


def _records(batches: list[JournalBatch]) -> list[tuple[str, str, int]]:
    """(pid, message, first entry's place) of each record of the batches: the place as the details find it, from the batch's first."""
    found = []
    for batch in batches:
        assert batch.after == (None if batch.first_cursor == "c0" else f"c{int(str(batch.first_cursor)[1:]) - 1}")
        lines = batch.text.decode().split("\n")[:-1]
        starts = np.r_[0, np.cumsum(batch.lines_per_record)[:-1]]
        runs = _runs(batch.continued)
        for record, start in enumerate(starts.tolist()):
            fields = lines[start].split("\t")
            message = "\n".join([fields[7], *lines[start + 1 : start + batch.lines_per_record[record]]])
            found.append((fields[3], message, int(str(batch.first_cursor)[1:]) + _first_entry(*runs, record)))
    return found


def _read_in_pieces(frame: pl.DataFrame, sizes: list[int], now: float = 0.0) -> list[JournalBatch]:
    stream = EntryStream(EntryCoder(Timeline().symbols), None)
    batches, start = [], 0
    for size in sizes:
        batches.append(stream.feed(frame.slice(start, size), now))
        start += size
    batches.append(stream.flush())
    assert stream.kept == 0
    return [batch for batch in batches if batch is not None]


def test_records_read_in_pieces_are_those_read_whole_each_with_its_first_entry() -> None:
    for seed in range(12):
        lines = _service(150, seed)
        frame = _frame(lines)
        chooser = random.Random(seed)
        # The first piece decides the service's format (journal_entries.SAMPLE_MIN), the others are cut anywhere.
        sizes = [30]
        while sum(sizes) < frame.height:
            sizes.append(chooser.randint(1, 7))
        assert _records(_read_in_pieces(frame, sizes)) == _expected(lines)
        assert _records(_read_in_pieces(frame, [frame.height])) == _expected(lines)


def test_a_record_read_long_ago_is_handed_over_whatever_may_follow_it() -> None:
    lines = _service(40, 3)
    frame = _frame(lines)
    stream = EntryStream(EntryCoder(Timeline().symbols), None)
    first = stream.feed(frame, now=100.0)
    assert first is not None and stream.kept > 0
    # Nothing more read, and the time passed: the records kept are handed over with the next read, empty as it is.
    late = stream.feed(frame.clear(), now=100.0 + journal_stream.HOLD_SECONDS + 0.1)
    assert late is not None and stream.kept == 0
    assert _records([first, late]) == _expected(lines)


def test_a_record_begun_further_back_than_entries_are_kept_is_handed_over_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal_stream, "HOLD_MOST", 8)
    # pid 4242's record, then its traceback's first lines between 20 of pid 4343's: its last lines come after the cut.
    lines = [(4242, "2026-12-06 10:00:00,000 ERROR shop.db: failed"), (4242, TRACEBACK[0])]
    lines += [(4343, f"2026-12-06 10:00:01,{number:03d} INFO shop.http: served {number}") for number in range(20)]
    lines += [(4242, TRACEBACK[1])]
    frame = _frame(lines + [(4242, TRACEBACK[2])])
    batches = _read_in_pieces(frame, [len(lines), 1])
    # The record is handed over with the lines it had; the one after the cut is a record of its own.
    assert _records(batches)[0] == ("4242", "\n".join(["failed", *TRACEBACK[:2]]), 0)
    assert _records(batches)[-1] == ("4242", TRACEBACK[2], len(lines))
    assert len(_records(batches)) == 1 + 20 + 1
