"""A stable argsort window by window gives exactly the order of one stable sort of every key.

Windows and the key sample are made tiny, so that a few thousand keys cross
dozens of windows: any int64 keys, the extremes among them, runs of one key
longer than a window.
"""

from __future__ import annotations

import numpy as np
import pytest

from logview.core.index import windowed_sort
from logview.core.index.windowed_sort import KeyBlock, KeySummary, windowed_argsort
from logview.core.record import NO_TIME


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
