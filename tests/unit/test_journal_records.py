"""Journal entries made into records, and each record mapped back to its first entry for its details, without journalctl."""

from __future__ import annotations

import numpy as np

from logview.core.sources.journal_details import _Batch, _first_entry, _runs


def _batch(continued: np.ndarray) -> _Batch:
    empty = np.zeros(0, dtype=np.int64)
    run_after, runs_through = _runs(continued)
    return _Batch(0, [], (), None, 0, empty, empty, run_after, runs_through)


def test_each_records_first_entry_is_found_past_the_entries_that_continue_records() -> None:
    rng = np.random.default_rng(11)
    for _ in range(200):
        entries = int(rng.integers(1, 60))
        # Runs of continuing entries, as tracebacks make them; never the first entry, which begins a record.
        continuing = rng.random(entries) < rng.random()
        continuing[0] = False
        continued = np.flatnonzero(continuing)
        firsts = np.flatnonzero(~continuing)
        batch = _batch(continued)
        assert [_first_entry(batch, record) for record in range(len(firsts))] == firsts.tolist()
