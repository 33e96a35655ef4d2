"""FieldSets: each distinct set of other fields kept once, each record its set's code, in as few bytes as the codes need."""

from __future__ import annotations

import numpy as np
import polars as pl

from logview.core.index.field_sets import FieldSets


def _lines_of(batch: list[int]):  # type: ignore[no-untyped-def]
    """The lines of the records at ``positions`` of a batch whose record i has the set of value batch[i]."""

    def lines_of(positions: np.ndarray) -> tuple[pl.Series, np.ndarray]:
        lines, which = [], []
        for place, position in enumerate(positions.tolist()):
            lines += [f"CODE_LINE={batch[position]}", f"UNIT=u{batch[position] % 7}.service"]
            which += [place, place]
        return pl.Series(lines, dtype=pl.String), np.array(which)

    return lines_of


def test_codes_widen_past_256_sets_and_every_record_keeps_its_own() -> None:
    field_sets = FieldSets()
    field_sets.reserve(1200)  # sized once, as a journal's first read does: widening keeps the room
    values: list[int] = []
    before_widening = None
    # Batches that keep adding sets: 300 distinct values, each record's set told by its value, seen again and again.
    for start in range(0, 1200, 100):
        batch = [(start + step * 7) % 300 + 1 for step in range(100)]
        codes = field_sets.codes_for(np.array(batch, dtype=np.uint64), _lines_of(batch))
        field_sets.append(codes)
        values += batch
        if before_widening is None:
            before_widening = field_sets.codes(0, len(values))
    assert len(field_sets) == len(values) and field_sets.sets == 301 and field_sets.capacity == 1200
    # Codes taken before the column widened are still theirs (a search may hold them meanwhile).
    assert before_widening is not None and before_widening.dtype == np.uint8
    assert before_widening.tolist() == field_sets.codes(0, len(before_widening)).tolist()
    codes = field_sets.codes(0, len(values))
    assert codes.dtype == np.uint16
    # One code per value, the same wherever the value came.
    by_value: dict[int, int] = {}
    for value, code in zip(values, codes.tolist(), strict=True):
        assert by_value.setdefault(value, code) == code
    assert len(set(by_value.values())) == 300
    # A search of the sets' lines picks exactly the records that have one matching line.
    matched = field_sets.matching(lambda lines: lines.str.contains("^CODE_LINE=17$").to_numpy())
    assert np.array_equal(np.flatnonzero(np.isin(codes, matched)), np.flatnonzero(np.array(values) == 17))
    unit = field_sets.matching(lambda lines: lines.str.contains("u3\\.service").to_numpy())
    assert np.array_equal(np.flatnonzero(np.isin(codes, unit)), np.flatnonzero(np.array(values) % 7 == 3))


def test_a_record_without_other_fields_has_the_empty_set() -> None:
    field_sets = FieldSets()
    field_sets.append(field_sets.codes_for(np.array([0, 5, 0], dtype=np.uint64), _lines_of([0, 5, 0])))
    assert field_sets.codes(0, 3).tolist() == [0, 1, 0] and field_sets.codes(0, 3).dtype == np.uint8
    assert field_sets.matching(lambda lines: lines.str.contains("CODE_LINE").to_numpy()).tolist() == [1]
