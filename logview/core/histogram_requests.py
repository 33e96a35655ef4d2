"""The histogram of one view at a time, counted in a worker; the latest request wins."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from functools import partial

from logview.core.filters import Filters
from logview.core.histogram import FacetHistogram, Histogram, facet_histogram, level_histogram
from logview.core.masks import allowed_facets
from logview.core.pipeline import Pipeline
from logview.core.refresh_pacer import RefreshPacer
from logview.core.view_requests import View
from logview.core.view_rows import ViewRows
from logview.core.workers import Runner

#: Seconds between histogram counts while the index grows.
HISTOGRAM_INTERVAL_WHILE_LOADING = 5.0
#: Seconds between histogram counts while followed files grow (a count is a pass over the timeline).
HISTOGRAM_INTERVAL_WHILE_FOLLOWING = 2.0


class HistogramRequests:
    """Counts views' histograms, one count at a time, and says when one is due.

    A view filtered by level, logger and process sums rows of the per-facet
    table, at once; the table itself (a pass over the timeline, again
    whenever it grows) and the views with text or time filters are counted
    in a worker. A request made while a count runs is kept, the latest
    replacing an older one, and runs when the count ends.
    """

    def __init__(
        self,
        pipeline: Pipeline,
        views: Mapping[str, View],
        runner: Runner,
        pacer: RefreshPacer,
        counted: Callable[[str, Histogram | None], None],
    ) -> None:
        self.pipeline = pipeline
        self.views = views
        self.runner = runner
        self.pacer = pacer
        #: Called on the runner's thread with each view's histogram.
        self.counted = counted
        #: Records per facet and time bin: the histogram of any level, logger and process filter.
        self.facet_table: FacetHistogram | None = None
        #: A count runs in a worker.
        self.running = False
        #: The request made while a count ran (view and bins), run when it ends.
        self.wanted: tuple[str, int] | None = None
        #: When a count was last asked for by the timers (due_after_selection, due_while_following).
        self.counted_at = 0.0
        #: Live sources grew since the histogram was last counted.
        self.stale = False

    def request(self, view_id: str, bins: int) -> None:
        """The histogram of ``view_id`` in ``bins`` bins, given to ``counted`` at once or after a count."""
        view = self.views.get(view_id)
        if view is None or view.selection is None:
            return
        timeline, table, filters = self.pipeline.timeline, self.facet_table, view.filters
        if table is not None and table.is_current(timeline, bins) and filters.by_facet_only:
            self.counted(view_id, table.of_facets(allowed_facets(filters, timeline)))
            return
        if self.running:
            self.wanted = (view_id, bins)
            return
        self.running, self.wanted = True, None
        self.runner.run_in_thread(partial(self._count, view_id, view.selection.rows, filters, bins), "histogram")

    def _count(self, view_id: str, rows: ViewRows, filters: Filters, bins: int) -> None:
        began = time.thread_time()
        timeline = self.pipeline.timeline
        table = self.facet_table
        if table is None or not table.is_current(timeline, bins):
            table = facet_histogram(timeline, bins)
        if table is None:
            histogram = level_histogram(timeline, rows, bins)
        elif filters.by_facet_only:
            histogram = table.of_facets(allowed_facets(filters, timeline))
        else:
            histogram = level_histogram(timeline, rows, bins, span=table.span)
        self.pacer.spent(time.thread_time() - began)
        self.runner.deliver(self._counted, view_id, table, histogram)

    def _counted(self, view_id: str, table: FacetHistogram | None, histogram: Histogram | None) -> None:
        self.running = False
        self.facet_table = table
        self.counted(view_id, histogram)
        if self.wanted is not None:
            self.request(*self.wanted)

    def due_after_selection(self, indexing: bool) -> bool:
        """After a view's new rows: at once when the index is complete, every few seconds while it grows.

        Counting 10M records takes 0.1 s of the loader's time; while followed
        files grow, ``due_while_following`` says when instead.
        """
        now = time.monotonic()
        if self.stale or (indexing and now - self.counted_at <= HISTOGRAM_INTERVAL_WHILE_LOADING):
            return False
        self.counted_at = now
        return True

    def due_while_following(self) -> bool:
        """Live sources grew, and the last count is a few seconds old."""
        now = time.monotonic()
        if not self.stale or now - self.counted_at <= HISTOGRAM_INTERVAL_WHILE_FOLLOWING:
            return False
        self.stale = False
        self.counted_at = now
        return True
