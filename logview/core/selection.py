"""Which rows to show: the column filters' mask narrowed by the text filters.

The one place where a Filters object becomes row numbers, shared by the
printer and the views. The views also get, in the same pass, the counts that
their level, logger and PID panes show.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from logview.core.filters import Filters, and_masks
from logview.core.masks import allowed_facets, facet_mask, kept_rows, time_mask
from logview.core.records import RecordReader
from logview.core.source_catalogue import SourceCatalogue
from logview.core.text_search import TextHits, text_hits
from logview.core.view_rows import ViewRows

#: Rows counted at once: bincount widens its input to int64, so a whole column would cost 8 bytes a row.
COUNT_BLOCK = 1 << 18
#: Patterns whose matches are kept (searches and text filters): a bit per record each.
KEPT_PATTERNS = 8


def selected_rows(catalogue: SourceCatalogue, filters: Filters) -> ViewRows:
    """The rows to show, in timeline order."""
    return Selector(catalogue).rows(filters)


@dataclass(frozen=True)
class PaneCounts:
    """Records per level, logger, process code and host, each under the other panes' filters.

    A pane counts what its own toggles would show, so its counts follow every
    filter but its own: hiding DEBUG in the level pane changes the logger
    pane's counts, not the level pane's.
    """

    levels: np.ndarray
    loggers: np.ndarray
    processes: np.ndarray
    #: Records per process code under every filter but the hosts': the hosts pane adds up each host's processes.
    hosts: np.ndarray


@dataclass(frozen=True)
class Selection:
    rows: ViewRows
    counts: PaneCounts


class Selector:
    """Evaluates filters over one catalogue of sources, keeping text matches for reuse.

    Text filters cost a pass over the text; the panes' toggles cost a pass over
    the facet column. A pane toggle therefore reuses the text masks computed
    for the current text filters.
    """

    def __init__(self, catalogue: SourceCatalogue) -> None:
        self.catalogue = catalogue
        #: The latest matches of the patterns searched lately, the latest used last, a bit per row.
        self._text: dict[str, TextHits] = {}
        self._text_lock = threading.Lock()
        self._all_counts: tuple[int, np.ndarray] | None = None

    def text_hits(self, pattern: str) -> TextHits:
        """Which rows' messages match ``pattern``, a bit per row.

        Kept per pattern; when the timeline has grown since, only the bytes
        added are searched (live sources), so a text filter or a search
        stays current at the cost of what arrived.
        """
        with self._text_lock:
            known = self._text.pop(pattern, None)
        timeline = self.catalogue.timeline
        current = (
            known is not None
            and len(known) == len(timeline)
            and all(known.searched.get(state.id) == state.bytes_indexed for state in self.catalogue.source_states())
        )
        hits = known if current and known is not None else text_hits(self.catalogue, pattern, since=known)
        with self._text_lock:
            self._text[pattern] = hits
            while len(self._text) > KEPT_PATTERNS:
                del self._text[next(iter(self._text))]
        return hits

    def remember(self, pattern: str, hits: TextHits) -> None:
        """Matches of ``pattern`` found another way (core/grep_first.py), used as a search's while they cover the timeline."""
        with self._text_lock:
            self._text[pattern] = hits

    def rows(self, filters: Filters) -> ViewRows:
        facets, order, base = self._snapshot(filters)
        return ViewRows.over(order, kept_rows(filters, self.catalogue.timeline, facets, base), len(facets))

    def select(self, filters: Filters) -> Selection:
        """The rows to show, and the panes' counts, for one set of filters."""
        timeline = self.catalogue.timeline
        symbols = timeline.symbols
        facets, order, base = self._snapshot(filters)
        # Live sources add facets while this runs: every per-facet array is
        # fitted to the facets known after the snapshot, which cover its rows.
        level_of, logger_of, process_of = symbols.facets.arrays()
        known = len(level_of)
        per_facet = _fitted(self._facet_counts(facets, base, known), known)

        def counts(others: Filters, codes: np.ndarray, size: int) -> np.ndarray:
            allowed = allowed_facets(others, timeline)
            weights = per_facet if allowed is None else per_facet * _fitted(allowed, known)
            return np.bincount(codes, weights=weights, minlength=size).astype(np.int64)

        pane_counts = PaneCounts(
            levels=counts(filters._replace(min_level=None, hidden_levels=frozenset()), level_of, len(symbols.levels)),
            loggers=counts(
                filters._replace(loggers=(), exclude_loggers=(), exclude_logger_names=frozenset()),
                logger_of,
                len(symbols.loggers),
            ),
            processes=counts(filters._replace(pids=(), hidden_processes=frozenset()), process_of, len(symbols.processes)),
            # By process: the hosts pane adds up each host's (a host is its processes').
            hosts=counts(filters._replace(hosts=(), hidden_hosts=frozenset()), process_of, len(symbols.processes)),
        )
        rows = ViewRows.over(order, kept_rows(filters, timeline, facets, base), len(facets))
        return Selection(rows, pane_counts)

    def _snapshot(self, filters: Filters) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """The facet column and the order as they are now, and the time and text criteria over the same rows.

        Time and text apply to every pane; the facet criteria are per pane. While
        the index grows, a text mask may cover rows appended after the snapshot:
        it is cut to the snapshot's length so that the masks line up.
        """
        timeline = self.catalogue.timeline
        order = timeline.order
        facets = timeline.facet.values
        text = self._text_mask(filters, len(facets))
        return facets, order, and_masks(time_mask(filters, timeline, len(facets)), text)

    def _facet_counts(self, facets: np.ndarray, base: np.ndarray | None, size: int) -> np.ndarray:
        """Records per facet code among the rows ``base`` keeps; the count over all rows is kept, and grown with the index."""
        if base is not None:
            return _count_codes(facets, base, size)
        # Rows are only ever appended: the count over every row grows by the rows counted since.
        counted, counts = self._all_counts or (0, np.zeros(0, dtype=np.int64))
        if counted > len(facets):
            counted, counts = 0, np.zeros(0, dtype=np.int64)
        if counted < len(facets) or len(counts) < size:
            counts = np.pad(counts, (0, max(size - len(counts), 0))) + _count_codes(facets[counted:], None, max(size, len(counts)))
            self._all_counts = (len(facets), counts)
        return counts

    def _text_mask(self, filters: Filters, rows: int) -> np.ndarray | None:
        """The text criteria over the first ``rows`` rows (each pattern's matches may cover rows appended since)."""
        return filters.text_criteria.mask(lambda pattern: self.text_hits(pattern).mask[:rows])


def _fitted(per_facet: np.ndarray, known: int) -> np.ndarray:
    """``per_facet`` cut or zero-padded to ``known`` facets."""
    if len(per_facet) >= known:
        return per_facet[:known]
    return np.pad(per_facet, (0, known - len(per_facet)))


def _count_codes(codes: np.ndarray, keep: np.ndarray | None, size: int) -> np.ndarray:
    """Rows per code, among the rows ``keep`` holds (every row for None), counted block by block."""
    counts = np.zeros(size, dtype=np.int64)
    for start in range(0, len(codes), COUNT_BLOCK):
        block = codes[start : start + COUNT_BLOCK]
        if keep is not None:
            block = block[keep[start : start + COUNT_BLOCK]]
        found = np.bincount(block, minlength=size)
        counts[: len(found)] += found[:size]
    return counts


def rows_in_range(catalogue: SourceCatalogue, filters: Filters, start: int, stop: int) -> np.ndarray:
    """The rows ``start:stop`` (in arrival order) that ``filters`` keep: records that just arrived.

    The level, logger, process and time criteria are vectorised over the
    range; text filters read the few new records' messages one by one.
    """
    timeline = catalogue.timeline
    rows = np.arange(start, stop, dtype=np.int64)
    facet_keep = facet_mask(filters, timeline, timeline.facet.values[start:stop])
    if facet_keep is not None:
        rows = rows[facet_keep]
    if filters.since is not None or filters.until is not None:
        times = timeline.times_at(rows)
        keep = np.ones(len(rows), dtype=bool)
        if filters.since is not None:
            keep &= times >= filters.since
        if filters.until is not None:
            keep &= times <= filters.until
        rows = rows[keep]
    criteria = filters.text_criteria
    if criteria and len(rows):
        messages = [record.message for record in RecordReader(catalogue).records(rows, line_numbers=False)]
        rows = rows[np.fromiter((criteria.keeps(message) for message in messages), dtype=bool, count=len(messages))]
    return rows
