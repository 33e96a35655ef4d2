"""The first match near a view's cursor is the one the whole search would give, found span by span."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import numpy as np
import pytest

from logview.core import first_match as first_match_module
from logview.core.filters import Filters
from logview.core.first_match import FirstMatch, first_match
from logview.core.pipeline import Pipeline
from logview.core.selection import Selector
from tests.unit.logfiles import record, write_records


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    """Two files whose records interleave in time, with tracebacks; a needle in a few records of each."""
    folder = tmp_path_factory.mktemp("first")
    paths = []
    for number in range(2):
        rows = []
        for index in range(600):
            message = f"job {index} of file {number}"
            if index in (40, 41, 333, 590) and number == index % 2:
                message += " needle"
            if index % 50 == 7:
                message += "\nTraceback (most recent call last):\nKeyError: 'needle in a traceback'" if index == 257 else "\nTraceback"
            rows.append(record(1709251200 + 2 * index + number, message, level=logging.INFO + 10 * (index % 2)))
        path = folder / f"part{number}.log"
        write_records(path, rows)
        paths.append(str(path))
    loaded = Pipeline()
    loaded.load(paths)
    yield loaded
    loaded.close()


def _expected(positions: np.ndarray, cursor: int) -> FirstMatch | None:
    if not len(positions):
        return None
    below = positions[positions >= cursor]
    return FirstMatch(int(below[0]), True) if len(below) else FirstMatch(int(positions[-1]), False)


@pytest.mark.parametrize("filters", [Filters(), Filters(min_level=logging.WARNING)])
@pytest.mark.parametrize("pattern", ["needle", "(?i)NEEDLE in a", "file 1$", "nothing like it"])
def test_the_first_match_is_the_whole_search_s(pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch, filters: Filters, pattern: str) -> None:
    monkeypatch.setattr(first_match_module, "FIRST_SPAN", 5)  # many spans, growing
    selector = Selector(pipeline)
    view = selector.rows(filters)
    positions = view.locate(selector.text_hits(pattern).rows())[0]
    for cursor in (0, 1, len(view) // 3, len(view) - 1, len(view)):
        assert first_match(pipeline, pattern, view, cursor) == _expected(positions, cursor), (pattern, cursor)


def test_past_its_budget_the_whole_search_decides(pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(first_match_module, "FIRST_SPAN", 5)
    monkeypatch.setattr(first_match_module, "BUDGET", 50)
    selector = Selector(pipeline)
    view = selector.rows(Filters())
    positions = view.locate(selector.text_hits("needle").rows())[0]
    far = next(cursor for cursor in range(len(view)) if np.abs(positions - cursor).min() > 60)
    assert first_match(pipeline, "needle", view, far) is None
    target = int(next(position for before, position in zip(positions, positions[1:], strict=False) if position - before > 50))
    near = target - 3
    assert first_match(pipeline, "needle", view, near) == FirstMatch(target, True)
    # Cancelled, the search stops after the span it is in: the first one settles it, or nothing does.
    assert first_match(pipeline, "needle", view, near, cancelled=lambda: True) == FirstMatch(target, True)
    assert first_match(pipeline, "needle", view, near - 40, cancelled=lambda: True) is None
