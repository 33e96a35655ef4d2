"""The timeline's merge sorts window by window, and gives exactly the order one stable sort of every key gives.

Blocks, windows and the key sample are made tiny here, so that a few
thousand rows cross hundreds of blocks and dozens of windows: sources
interleaved chunk by chunk, times that step back, records without a time
(before a source's first time too), a file without any time, equal keys
across sources and a run of one key longer than a window.
"""

from __future__ import annotations

import numpy as np
import pytest

from logview.core.index import timeline as timeline_module
from logview.core.index import windowed_sort
from logview.core.index.parsed_chunk import known_chunk
from logview.core.index.sort_keys import block_keys, start_keys
from logview.core.index.timeline import Timeline
from logview.core.index.windowed_sort import KeyBlock, KeySummary, windowed_argsort
from logview.core.record import NO_TIME

T = 1_700_000_000_000


@pytest.fixture(params=[(7, 40, 3), (64, 300, 16), (5, 12, 2)], ids=["tiny", "small", "few-row-windows"])
def small_windows(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """(rows per block, rows per window, sample stride): many blocks and windows from few rows."""
    block_rows, window_rows, stride = request.param
    monkeypatch.setattr(timeline_module, "BLOCK_ROWS", block_rows)
    monkeypatch.setattr(windowed_sort, "WINDOW_ROWS", window_rows)
    monkeypatch.setattr(windowed_sort, "SAMPLE_STRIDE", stride)


def _reference(timeline: Timeline) -> tuple[np.ndarray, dict[int, int]]:
    """The order as merge made it before windows: the keys of all rows as one block, sorted stably at once; and the last key of each source."""
    snapshot = timeline.snapshot()
    carry = start_keys(snapshot, [source.rotation_set for source in timeline.sources])
    single = timeline.sources[0].id if len(timeline.sources) == 1 else None
    keys = block_keys(snapshot, 0, snapshot.rows, carry, single)
    return np.argsort(keys, kind="stable"), carry


def _append(timeline: Timeline, source_id: int, times: np.ndarray) -> None:
    source = timeline.sources[source_id]
    symbols = timeline.symbols
    facet = symbols.facets.code(symbols.levels.code("INFO"), symbols.loggers.code("merged"), 0)
    data = b"r\n" * len(times)
    parsed = known_chunk(data, np.ones(len(times), dtype=np.int64), times.astype(np.int64), np.full(len(times), facet))
    timeline.append(source, source.bytes_indexed, parsed)


def _interleaved(seed: int) -> Timeline:
    """Sources appended chunk by chunk in a random interleaving, with times that step back, ties and untimed records."""
    rng = np.random.default_rng(seed)
    timeline = Timeline()
    names = ["app.log", "app.log.1", "worker.log", "db.log", "notes.txt"]
    for name in names[: rng.integers(2, len(names) + 1)]:
        timeline.add_source(name)
    untimed_file = timeline.sources[-1]
    # A file without any time sorts where it was written: among the others' times, tied with some of them.
    untimed_file.written_at = T + int(rng.integers(0, 2_000))
    clocks = {source.id: T + int(rng.integers(-500, 500)) for source in timeline.sources}
    for _ in range(int(rng.integers(20, 60))):
        source_id = int(rng.integers(0, len(timeline.sources)))
        count = int(rng.integers(1, 120))
        if source_id == untimed_file.id:
            times = np.full(count, NO_TIME, dtype=np.int64)
        else:
            # Coarse steps make equal keys within and across sources; some steps go back.
            steps = rng.choice([-40, -3, 0, 0, 1, 5, 10], size=count)
            times = clocks[source_id] + np.cumsum(steps)
            clocks[source_id] = int(times[-1])
            times[rng.random(count) < 0.15] = NO_TIME
            if rng.random() < 0.1:
                times[:] = clocks[source_id]  # a run of one key, longer than several windows
        _append(timeline, source_id, times)
    return timeline


@pytest.mark.parametrize("seed", range(25))
@pytest.mark.usefixtures("small_windows")
def test_the_windowed_merge_gives_the_order_of_one_stable_sort(seed: int) -> None:
    timeline = _interleaved(seed)
    expected, last_keys = _reference(timeline)
    timeline.merge()
    assert timeline.order is not None, "interleaved sources whose times step back are out of order"
    assert timeline.order.dtype == np.int32
    np.testing.assert_array_equal(timeline.order, expected)
    assert timeline._carry == last_keys


@pytest.mark.usefixtures("small_windows")
def test_a_merge_with_no_row_appended_since_the_last_keeps_its_order() -> None:
    timeline = _interleaved(3)
    timeline.merge()
    order, version = timeline.order, timeline.version
    timeline.merge()
    assert timeline.order is order, "the same rows sort the same: no second order is made"
    assert timeline.version == version + 1
    # Rows appended since, merged live or not, are sorted with the others by the next merge.
    _append(timeline, 0, np.r_[T - 10_000, NO_TIME, T + 10_000])
    timeline.merge_appended()
    timeline.merge()
    np.testing.assert_array_equal(timeline.order, _reference(timeline)[0])
    _append(timeline, 1, np.r_[T - 20_000, T])
    timeline.merge()
    np.testing.assert_array_equal(timeline.order, _reference(timeline)[0])
    assert timeline._carry == _reference(timeline)[1]


@pytest.mark.usefixtures("small_windows")
def test_rows_already_in_time_order_need_no_order() -> None:
    timeline = Timeline()
    for name in ("a.log", "b.log"):
        timeline.add_source(name)
    _append(timeline, 0, T + np.arange(500))
    _append(timeline, 1, np.r_[NO_TIME, T + 500 + np.arange(499)])
    _append(timeline, 0, np.full(300, T + 999))
    timeline.merge()
    assert timeline.order is None
    assert timeline._carry == _reference(timeline)[1] == {0: T + 999, 1: T + 998}


@pytest.mark.usefixtures("small_windows")
def test_an_empty_timeline_merges_to_no_order() -> None:
    timeline = Timeline()
    timeline.add_source("a.log")
    timeline.merge()
    assert timeline.order is None


def _sorted_by_windows(keys: np.ndarray, block_rows: int) -> np.ndarray:
    summary = KeySummary()
    for start in range(0, len(keys), block_rows):
        summary.add(start, keys[start : start + block_rows])
    return windowed_argsort(summary, lambda block: keys[block.start : block.stop].copy())


@pytest.mark.parametrize("seed", range(40))
def test_any_int64_keys_sort_as_one_stable_argsort(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(seed)
    monkeypatch.setattr(windowed_sort, "WINDOW_ROWS", int(rng.integers(1, 200)))
    monkeypatch.setattr(windowed_sort, "SAMPLE_STRIDE", int(rng.integers(1, 50)))
    count = int(rng.integers(1, 3_000))
    extremes = np.array([np.iinfo(np.int64).min, np.iinfo(np.int64).max, NO_TIME, 0, -1], dtype=np.int64)
    keys = rng.integers(-30, 30, size=count).astype(np.int64)
    extreme = rng.random(count) < 0.05
    keys[extreme] = rng.choice(extremes, size=int(np.count_nonzero(extreme)))
    if rng.random() < 0.3:
        keys = np.sort(keys)  # one long run of equal keys per value, larger than a window
    order = _sorted_by_windows(keys, int(rng.integers(1, 500)))
    np.testing.assert_array_equal(order, np.argsort(keys, kind="stable"))


def test_one_key_for_every_row_makes_one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(windowed_sort, "WINDOW_ROWS", 10)
    monkeypatch.setattr(windowed_sort, "SAMPLE_STRIDE", 1)
    keys = np.full(1_000, 7, dtype=np.int64)
    keys[500] = 3
    np.testing.assert_array_equal(_sorted_by_windows(keys, 64), np.argsort(keys, kind="stable"))


def test_a_block_recomputed_otherwise_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(windowed_sort, "WINDOW_ROWS", 10)
    summary = KeySummary()
    summary.add(0, np.arange(50, dtype=np.int64)[::-1].copy())
    summary.add(50, np.arange(50, 100, dtype=np.int64))

    def shifted(block: KeyBlock) -> np.ndarray:
        """The first block's keys come back beyond every window its first keys met: its rows are in none."""
        return np.arange(block.start, block.stop, dtype=np.int64) + (1_000 if block.start == 0 else 0)

    with pytest.raises(AssertionError, match="50 rows of 100"):
        windowed_argsort(summary, shifted)
