"""ViewRows answers as the plain array of the same rows would, across rank blocks and orders."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logview.core import view_rows
from logview.core.masks import FacetKeep
from logview.core.view_rows import ViewRows


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Small blocks so that a few hundred rows cross many of them, empty ones included.
    monkeypatch.setattr(view_rows, "RANK_BLOCK", 8)
    monkeypatch.setattr(view_rows, "VIEW_BLOCK", 16)


def expected_rows(order: np.ndarray | None, mask: np.ndarray | None, length: int) -> np.ndarray:
    sequence = np.arange(length) if order is None else order[:length]
    return sequence if mask is None else sequence[mask[sequence]]


views = st.tuples(
    st.integers(min_value=0, max_value=300),
    st.booleans(),
    st.sampled_from(["all", "none", "sparse", "dense", "runs"]),
    st.integers(min_value=0, max_value=2**31),
    st.sampled_from(["array", "facets", "facets and a mask"]),
)


def as_facet_keep(mask: np.ndarray, with_mask: bool, generator: np.random.Generator) -> FacetKeep:
    """The same mask, worked out from facet codes (odd ones kept) and, ``with_mask``, a second mask that must hold too."""
    by_facets = mask | (generator.random(len(mask)) < 0.3) if with_mask else mask
    facets = (generator.integers(0, 6, len(mask)) * 2 + by_facets).astype(np.uint16)
    allowed = np.arange(12) % 2 == 1
    return FacetKeep(facets, allowed, also=mask | ~by_facets if with_mask else None)


def build(case: tuple[int, bool, str, int, str]) -> tuple[ViewRows, np.ndarray, int]:
    length, shuffled, kind, seed, held = case
    generator = np.random.default_rng(seed)
    order = generator.permutation(length).astype(np.int32) if shuffled else None
    mask = {
        "all": None,
        "none": np.zeros(length, dtype=bool),
        "sparse": generator.random(length) < 0.05,
        "dense": generator.random(length) < 0.9,
        "runs": (np.arange(length) // 20) % 2 == 0,
    }[kind]
    kept = mask if mask is None or held == "array" else as_facet_keep(mask, held == "facets and a mask", generator)
    return ViewRows.over(order, kept, length), expected_rows(order, mask, length), length


@settings(max_examples=200, deadline=None)
@given(views, st.data())
def test_matches_the_plain_array(case: tuple[int, bool, str, int, str], data: st.DataObject) -> None:
    rows, expected, length = build(case)
    assert len(rows) == len(expected)
    assert rows.to_array().tolist() == expected.tolist()
    if len(expected):
        index = data.draw(st.integers(min_value=-len(expected), max_value=len(expected) - 1))
        assert rows[index] == int(expected[index])
        start = data.draw(st.integers(min_value=0, max_value=len(expected)))
        stop = data.draw(st.integers(min_value=start, max_value=len(expected) + 5))
        assert rows[start:stop].tolist() == expected[start:stop].tolist()
        assert rows[-7:].tolist() == expected[-7:].tolist()
        picked = np.array(sorted(data.draw(st.sets(st.integers(0, len(expected) - 1), max_size=30))), dtype=np.int64)
        assert rows.take(picked).tolist() == expected[picked].tolist()
    wanted = np.array(sorted(data.draw(st.sets(st.integers(0, length + 3), max_size=40))), dtype=np.int64)
    where = {int(row): index for index, row in enumerate(expected.tolist())}
    hits = [(where[row], row) for row in wanted.tolist() if row in where]
    hits.sort()
    indices, found = rows.locate(wanted)
    assert indices.tolist() == [index for index, _ in hits]
    assert found.tolist() == [row for _, row in hits]


@settings(max_examples=100, deadline=None)
@given(views, st.integers(min_value=0, max_value=310))
def test_neighbours_are_the_row_or_the_rows_shown_around_its_place(case: tuple[int, bool, str, int, str], row: int) -> None:
    rows, expected, _ = build(case)
    before, after = rows.neighbours(row)
    sequence = np.arange(rows.length) if rows.sequence is None else np.asarray(rows.sequence[: rows.length])
    if row not in set(sequence.tolist()):
        assert (before, after) == (None, None)
        return
    if row in set(expected.tolist()):
        assert before == after and int(expected[before]) == row
        return
    place = int(np.flatnonzero(sequence == row)[0])
    shown = set(expected.tolist())
    kept_positions = [position for position, at in enumerate(sequence.tolist()) if at in shown]
    shown_before = [index for index, position in enumerate(kept_positions) if position < place]
    shown_after = [index for index, position in enumerate(kept_positions) if position > place]
    assert before == (shown_before[-1] if shown_before else None)
    assert after == (shown_after[0] if shown_after else None)


def test_listed_rows_keep_their_order() -> None:
    rows = ViewRows.listed(np.array([5, 3, 9, 1]))
    assert rows.to_array().tolist() == [5, 3, 9, 1]
    indices, found = rows.locate(np.array([1, 9]))
    assert (indices.tolist(), found.tolist()) == ([2, 3], [9, 1])


def test_out_of_range_index_is_refused() -> None:
    rows = ViewRows.over(None, np.array([True, False, True]), 3)
    with pytest.raises(IndexError):
        rows[2]
    with pytest.raises(ValueError, match="mask of 2 positions"):
        ViewRows(3, keep=np.array([True, False]))
