"""The first match of a search from a view's cursor, found before the whole search ends.

A search of the 10M corpus reads 1.4 GB; the match a viewer moves to is most
often a few records from its cursor. The view is searched from the cursor
down in spans of records that grow fourfold, then (none below) from the cursor
up: the first span with a match settles it, in the bytes of that span only.
Past a budget of records in each direction the whole search decides instead:
a rare pattern searched span by span would read the file twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from logview.core.source_catalogue import SourceCatalogue
from logview.core.text_search import text_hits_within
from logview.core.view_rows import ViewRows

__all__ = ["FirstMatch", "first_match"]

#: Records in the first span searched: about 300 KB of the corpus, a few milliseconds.
FIRST_SPAN = 2048
#: How much larger each next span is.
GROWTH = 4
#: Records searched span by span in each direction, at most, before the whole search is left to decide.
BUDGET = 1 << 20


class FirstMatch(NamedTuple):
    """Where a new search goes: ``position`` in the view; ``below`` when at or after the cursor, else the nearest above."""

    position: int
    below: bool


def first_match(
    catalogue: SourceCatalogue,
    pattern: str,
    view: ViewRows,
    cursor: int,
    cancelled: Callable[[], bool] = lambda: False,
    budget: int | None = None,
) -> FirstMatch | None:
    """The first match of ``pattern`` at or after ``cursor`` in ``view``, else the last one before it.

    None when there is none, when ``cancelled()`` says so, or when ``budget``
    records (BUDGET by default) were searched each way first: the whole
    search then says.
    """
    budget = BUDGET if budget is None else budget
    size = len(view)
    cursor = min(max(cursor, 0), size)
    start, span, searched = cursor, FIRST_SPAN, 0
    while start < size:
        stop = min(start + span, size, start + budget - searched)
        hits = _hits_between(catalogue, pattern, view, start, stop)
        if len(hits):
            return FirstMatch(int(hits[0]), below=True)
        searched += stop - start
        if cancelled() or (searched >= budget and stop < size):
            return None
        start, span = stop, span * GROWTH
    stop, span, searched = cursor, FIRST_SPAN, 0
    while stop > 0:
        start = max(stop - span, 0, stop - (budget - searched))
        hits = _hits_between(catalogue, pattern, view, start, stop)
        if len(hits):
            return FirstMatch(int(hits[-1]), below=False)
        searched += stop - start
        if cancelled() or searched >= budget:
            return None
        stop, span = start, span * GROWTH
    return None


def _hits_between(catalogue: SourceCatalogue, pattern: str, view: ViewRows, start: int, stop: int) -> np.ndarray:
    """The positions ``start:stop`` of ``view`` whose records match: each source searched over its records' bytes there."""
    rows = view[start:stop].astype(np.int64, copy=False)
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    sources, offsets, lengths = catalogue.timeline.spans(rows)
    offsets = offsets.astype(np.int64, copy=False)
    ends = offsets + lengths.astype(np.int64, copy=False)
    windows = {}
    for source_id in np.unique(sources).tolist():
        own = sources == source_id
        windows[int(source_id)] = (int(offsets[own].min()), int(ends[own].max()))
    bits = text_hits_within(catalogue, pattern, windows).bits
    hit = (bits[rows >> 3] >> (7 - (rows & 7)).astype(np.uint8)) & 1
    return start + np.flatnonzero(hit)
