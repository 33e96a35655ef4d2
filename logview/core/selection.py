"""Which rows to show: the column filters' mask narrowed by the text filters.

The one place where a Filters object becomes row numbers, shared by the
printer and the views. The views also get, in the same pass, the counts that
their level, logger and PID panes show.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from logview.core.filters import Filters, and_masks
from logview.core.index.timeline import Timeline
from logview.core.pipeline import Pipeline
from logview.core.text_search import text_mask


def selected_rows(pipeline: Pipeline, filters: Filters) -> np.ndarray:
    """Row numbers to show, in timeline order."""
    return Selector(pipeline).rows(filters)


@dataclass(frozen=True)
class PaneCounts:
    """Records per level, logger and process code, each under the other panes' filters.

    A pane counts what its own toggles would show, so its counts follow every
    filter but its own: hiding DEBUG in the level pane changes the logger
    pane's counts, not the level pane's.
    """

    levels: np.ndarray
    loggers: np.ndarray
    processes: np.ndarray


@dataclass(frozen=True)
class Selection:
    rows: np.ndarray
    counts: PaneCounts


class Selector:
    """Evaluates filters over one pipeline, keeping text matches for reuse.

    Text filters cost a pass over the text; the panes' toggles cost a pass over
    the facet column. A pane toggle therefore reuses the text masks computed
    for the current text filters.
    """

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self._text: dict[tuple[str, int], np.ndarray] = {}
        self._all_counts: tuple[int, np.ndarray] | None = None

    def text_hits(self, pattern: str) -> np.ndarray:
        """Which rows' messages match ``pattern`` (cached while the timeline does not grow)."""
        key = (pattern, len(self.pipeline.timeline))
        hits = self._text.get(key)
        if hits is None:
            self._text = {item: value for item, value in self._text.items() if item[1] == key[1]}
            hits = self._text[key] = text_mask(self.pipeline, pattern)
        return hits

    def rows(self, filters: Filters) -> np.ndarray:
        facets, base = self._snapshot(filters)
        return self.pipeline.timeline.positions(and_masks(filters.facet_mask(self.pipeline.timeline, facets), base))

    def select(self, filters: Filters) -> Selection:
        """The rows to show, and the panes' counts, for one set of filters."""
        timeline = self.pipeline.timeline
        symbols = timeline.symbols
        facets, base = self._snapshot(filters)
        per_facet = self._facet_counts(facets, base, len(symbols.facets))
        level_of, logger_of, process_of = symbols.facets.arrays()
        per_facet = per_facet[: len(level_of)]

        def counts(others: Filters, codes: np.ndarray, size: int) -> np.ndarray:
            allowed = others.allowed_facets(timeline)
            weights = per_facet if allowed is None else per_facet * allowed
            return np.bincount(codes, weights=weights, minlength=size).astype(np.int64)

        pane_counts = PaneCounts(
            levels=counts(dataclasses.replace(filters, min_level=None, hidden_levels=frozenset()), level_of, len(symbols.levels)),
            loggers=counts(
                dataclasses.replace(filters, loggers=(), exclude_loggers=(), exclude_logger_names=frozenset()),
                logger_of,
                len(symbols.loggers),
            ),
            processes=counts(dataclasses.replace(filters, pids=(), hidden_processes=frozenset()), process_of, len(symbols.processes)),
        )
        return Selection(timeline.positions(and_masks(filters.facet_mask(timeline, facets), base)), pane_counts)

    def _snapshot(self, filters: Filters) -> tuple[np.ndarray, np.ndarray | None]:
        """The facet column as it is now, and the time and text criteria over the same rows.

        Time and text apply to every pane; the facet criteria are per pane. While
        the index grows, a text mask may cover rows appended after the snapshot:
        it is cut to the snapshot's length so that the masks line up.
        """
        timeline = self.pipeline.timeline
        facets = timeline.facet.values
        text = self._text_mask(filters)
        return facets, and_masks(filters.time_mask(timeline, len(facets)), None if text is None else text[: len(facets)])

    def _facet_counts(self, facets: np.ndarray, base: np.ndarray | None, size: int) -> np.ndarray:
        """Records per facet code among the rows ``base`` keeps; the count over all rows is kept for the next toggle."""
        if base is not None:
            return np.bincount(facets[base], minlength=size).astype(np.int64)
        cached = self._all_counts
        if cached is None or cached[0] != len(facets):
            cached = self._all_counts = (len(facets), np.bincount(facets, minlength=size).astype(np.int64))
        return cached[1]

    def _text_mask(self, filters: Filters) -> np.ndarray | None:
        mask: np.ndarray | None = None
        for pattern, keep in filters.text_patterns:
            hits = self.text_hits(pattern)
            mask = and_masks(mask, hits if keep else ~hits)
        return mask


def indices_in(timeline: Timeline, selection: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Ascending indices ``i`` of the selection whose row ``selection[i]`` is one of ``rows`` (sorted).

    A view of one file, or of files already in time order, lists its rows
    ascending, so each wanted row is found by binary search: the cost follows
    the number of wanted rows (matches, multi-line records), not the size of
    the view. Otherwise every row of the view is looked up in a mask.
    """
    if len(rows) == 0 or len(selection) == 0:
        return np.zeros(0, dtype=np.int64)
    if timeline.order is None:
        # In the selection's own type: a mixed-type search would first copy the whole selection.
        kept = rows[rows <= selection[-1]].astype(selection.dtype, copy=False)
        slots = np.searchsorted(selection, kept)
        return slots[selection[slots] == kept]
    wanted = np.zeros(int(max(int(rows[-1]), int(selection.max()))) + 1, dtype=bool)
    wanted[rows] = True
    return np.flatnonzero(wanted[selection])
