"""The facet table: one code per (level, logger, process) triple, read back exactly."""

from __future__ import annotations

import numpy as np

from logview.core.index.symbols import FacetTable


def test_codes_map_back_to_their_triples() -> None:
    table = FacetTable()
    rng = np.random.default_rng(7)
    levels = rng.integers(0, 6, 5000).astype(np.uint16)
    loggers = rng.integers(0, 40, 5000).astype(np.uint32)
    processes = rng.integers(0, 9, 5000).astype(np.uint32)
    codes = table.codes(levels, loggers, processes)
    level_of, logger_of, process_of = table.arrays()
    assert (level_of[codes] == levels).all()
    assert (logger_of[codes] == loggers).all()
    assert (process_of[codes] == processes).all()
    # A second chunk with the same triples gets the same codes.
    assert (table.codes(levels[:100], loggers[:100], processes[:100]) == codes[:100]).all()
    assert table.code(0, 0, 0) == 0


def test_codes_too_wide_to_pack_still_map_back() -> None:
    table = FacetTable()
    levels = np.array([1, 1, 2], dtype=np.uint16)
    loggers = np.array([3_000_000, 5, 3_000_000], dtype=np.uint32)
    processes = np.array([7, 7, 7], dtype=np.uint32)
    codes = table.codes(levels, loggers, processes)
    level_of, logger_of, process_of = table.arrays()
    assert level_of[codes].tolist() == [1, 1, 2]
    assert logger_of[codes].tolist() == [3_000_000, 5, 3_000_000]
    assert len(set(codes.tolist())) == 3


def test_a_chunk_counted_in_a_table_gets_the_codes_a_sorted_chunk_gets() -> None:
    """Few records with wide codes are sorted; many records with the same codes are counted in a dense table."""
    rng = np.random.default_rng(11)
    levels = rng.integers(0, 6, 10).astype(np.uint16)
    loggers = rng.integers(0, 5000, 10).astype(np.uint32)
    processes = rng.integers(0, 9, 10).astype(np.uint32)
    sorted_table, counted_table = FacetTable(), FacetTable()
    sorted_codes = sorted_table.codes(levels, loggers, processes)  # 6 x 5000 x 9 cells for 10 records: sorted
    counted_codes = counted_table.codes(np.tile(levels, 50_000), np.tile(loggers, 50_000), np.tile(processes, 50_000))
    assert counted_codes[:10].tolist() == sorted_codes.tolist()
    assert [array.tolist() for array in counted_table.arrays()] == [array.tolist() for array in sorted_table.arrays()]
