"""level_histogram over real log files written by the stdlib FileHandler, against a brute-force count."""

from __future__ import annotations

import logging
import random
from pathlib import Path

import numpy as np
import pytest

import logview.core.histogram as histogram_module
from logview.core.histogram import BANDS, Histogram, facet_histogram, level_histogram
from logview.core.index.timeline import Timeline
from logview.core.pipeline import Pipeline
from logview.core.record import NO_TIME
from tests.unit.logfiles import record, write_records

T0 = 1709251200  # 2024-03-01 00:00:00
#: Standard levels and unnamed ones ("Level 5" etc.), which fall in the band below them.
LEVELS = [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL, 5, 25, 35, 45]
BAND = {logging.DEBUG: 0, 5: 0, logging.INFO: 1, 25: 1, logging.WARNING: 2, 35: 2, logging.ERROR: 3, logging.CRITICAL: 3, 45: 3}


def written(count: int, seed: int, span_ms: int = 100_000) -> list[tuple[int, int]]:
    """(ms after T0, level) of ``count`` records, bunched so that the bins differ, first at 0 and last at ``span_ms - 1``."""
    rng = random.Random(seed)
    times = sorted([0, span_ms - 1] + [int(rng.betavariate(2, 5) * span_ms) for _ in range(count - 2)])
    return [(millis, rng.choice(LEVELS)) for millis in times]


def write(path: Path, records: list[tuple[int, int]], process: int = 100, banner: str = "") -> Path:
    write_records(
        path,
        [
            record(T0 + millis // 1000 + (millis % 1000) / 1000, f"event {millis}", level=level, process=process, msecs=millis % 1000)
            for millis, level in records
        ],
    )
    if banner:
        path.write_text(banner + path.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def load(*paths: Path) -> Timeline:
    return Pipeline().load([str(path) for path in paths])


def brute_force(records: list[tuple[int, int]], bins: int) -> tuple[int, int, np.ndarray]:
    """(first ms, one past the last ms, counts) with a loop per record, as the definition says."""
    first = min(millis for millis, _ in records)
    end = max(millis for millis, _ in records) + 1
    counts = np.zeros((BANDS, bins), dtype=np.int64)
    for millis, level in records:
        counts[BAND[level], (millis - first) * bins // (end - first)] += 1
    return first, end, counts


def check(result: Histogram | None, records: list[tuple[int, int]], bins: int) -> None:
    assert result is not None
    first, end, counts = brute_force(records, bins)
    assert result.start == T0 * 1000 + first
    assert result.end == T0 * 1000 + end
    assert result.counts.dtype == np.int64
    assert result.counts.shape == (BANDS, bins)
    np.testing.assert_array_equal(result.counts, counts)


@pytest.fixture
def thousand(tmp_path: Path) -> tuple[Timeline, list[tuple[int, int]]]:
    """1000 records over 100 seconds, every band, behind an untimed banner line."""
    records = written(1000, seed=1)
    return load(write(tmp_path / "app.log", records, banner="service starting, no time here\n")), records


def test_counts_per_band_and_bin(thousand: tuple[Timeline, list[tuple[int, int]]]) -> None:
    timeline, records = thousand
    result = level_histogram(timeline, timeline.positions(), bins=10)
    check(result, records, 10)
    assert result is not None
    assert all(result.counts[band].sum() > 0 for band in range(BANDS))
    assert len(set(result.totals.tolist())) > 3, "the records are bunched, so bins differ"
    assert result.bin_width == 10_000.0


def test_untimed_rows_are_not_counted(thousand: tuple[Timeline, list[tuple[int, int]]]) -> None:
    timeline, records = thousand
    rows = timeline.positions()
    assert len(rows) == 1001 and timeline.times_at(rows[:1])[0] == NO_TIME
    result = level_histogram(timeline, rows, bins=7)
    assert result is not None and int(result.counts.sum()) == 1000
    check(result, records, 7)


def test_a_subset_counts_only_those_rows(thousand: tuple[Timeline, list[tuple[int, int]]]) -> None:
    timeline, records = thousand
    # Every third record, and never the first or last, so the range shrinks with the subset.
    picked = [index for index in range(1, len(records) - 1) if index % 3 == 0]
    mask = np.zeros(len(timeline), dtype=bool)
    mask[np.array(picked) + 1] = True  # row 0 is the banner
    check(level_histogram(timeline, timeline.positions(mask), bins=13), [records[index] for index in picked], 13)


def test_rows_in_any_order_give_the_same_counts(thousand: tuple[Timeline, list[tuple[int, int]]]) -> None:
    timeline, records = thousand
    rows = timeline.positions()
    shuffled = np.random.default_rng(3).permutation(rows)
    for order in (rows[::-1].copy(), shuffled):
        check(level_histogram(timeline, order, bins=10), records, 10)


def test_blocks_do_not_change_the_counts(thousand: tuple[Timeline, list[tuple[int, int]]], monkeypatch: pytest.MonkeyPatch) -> None:
    timeline, records = thousand
    monkeypatch.setattr(histogram_module, "BLOCK_ROWS", 64)
    rows = timeline.positions()
    check(level_histogram(timeline, rows, bins=10), records, 10)
    check(level_histogram(timeline, rows[rows % 2 == 1], bins=10), [records[index] for index in range(0, 1000, 2)], 10)
    check(level_histogram(timeline, rows[::-1].copy(), bins=10), records, 10)


def test_many_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small chunks: each block of rows spans several batches, each with its own base time."""
    records = written(1000, seed=4)
    timeline = Pipeline(chunk_size=2048).load([str(write(tmp_path / "app.log", records))])
    assert len(timeline.batches) > 10
    monkeypatch.setattr(histogram_module, "BLOCK_ROWS", 300)
    rows = timeline.positions()
    check(level_histogram(timeline, rows, bins=10), records, 10)
    check(level_histogram(timeline, rows[rows % 3 != 0], bins=9), [records[index] for index in range(1000) if index % 3 != 0], 9)


def test_interleaved_sources(tmp_path: Path) -> None:
    """Two processes' files whose times interleave: the timeline has an order, rows are not ascending."""
    first, second = written(400, seed=5), written(300, seed=6, span_ms=80_000)
    timeline = load(write(tmp_path / "a.log", first, process=1), write(tmp_path / "b.log", second, process=2))
    assert timeline.order is not None
    check(level_histogram(timeline, timeline.positions(), bins=12), first + second, 12)


def test_one_bin_and_one_record(tmp_path: Path) -> None:
    records = written(50, seed=2)
    timeline = load(write(tmp_path / "app.log", records))
    check(level_histogram(timeline, timeline.positions(), bins=1), records, 1)
    single = level_histogram(timeline, timeline.positions()[5:6], bins=4)
    assert single is not None and single.end == single.start + 1
    assert single.counts.sum() == 1 and single.counts[:, 0].sum() == 1
    assert single.bin_of(single.start) == 0 and single.bin_of(single.end) is None and single.bin_of(NO_TIME) is None


def test_none_without_timed_rows(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("hello\nworld\nno times in here\n", encoding="utf-8")
    timeline = load(path)
    assert len(timeline) > 0
    assert level_histogram(timeline, timeline.positions(), bins=10) is None
    assert level_histogram(timeline, np.zeros(0, dtype=np.int64), bins=10) is None


def test_no_rows_of_a_timed_log(thousand: tuple[Timeline, list[tuple[int, int]]]) -> None:
    timeline, _ = thousand
    assert level_histogram(timeline, np.zeros(0, dtype=np.int64), bins=10) is None
    assert level_histogram(timeline, np.array([0]), bins=10) is None  # the banner alone
    with pytest.raises(ValueError):
        level_histogram(timeline, timeline.positions(), bins=0)


def test_facet_table_sums_to_the_histogram_of_every_facet_subset(tmp_path: Path) -> None:
    # Two processes in two files, merged: the table is counted in arrival order, the views in time order.
    first, second = written(700, seed=5), written(500, seed=6, span_ms=80_000)
    timeline = load(write(tmp_path / "a.log", first, process=100), write(tmp_path / "b.log", second, process=200))
    table = facet_histogram(timeline, bins=11)
    assert table is not None and table.rows == len(timeline)
    check(table.of_facets(None), first + second, 11)
    level_of, _, process_of = timeline.symbols.facets.arrays()
    process_200 = timeline.symbols.processes.codes_for_pids((200,))[0]
    errors = np.array([timeline.symbols.levels.numbers[code] or 0 for code in level_of]) >= logging.ERROR
    for allowed, kept in [
        (process_of == process_200, second),
        (errors, [item for item in first + second if item[1] >= logging.ERROR]),
    ]:
        result = table.of_facets(allowed)
        # The axis stays the whole timeline's: the same counts as level_histogram on the view's rows with that span.
        rows = timeline.positions(allowed[timeline.facet.values])
        expected = level_histogram(timeline, rows, 11, span=table.span)
        assert expected is not None and (result.start, result.end) == (expected.start, expected.end)
        np.testing.assert_array_equal(result.counts, expected.counts)
        assert int(result.counts.sum()) == len(kept)


def test_too_many_facets_for_a_table(thousand: tuple[Timeline, list[tuple[int, int]]], monkeypatch: pytest.MonkeyPatch) -> None:
    timeline, _ = thousand
    monkeypatch.setattr(histogram_module, "MAX_FACET_CELLS", 10)
    assert facet_histogram(timeline, bins=10) is None
