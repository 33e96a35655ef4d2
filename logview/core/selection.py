"""Which rows to show: the column filters' mask narrowed by the text filters.

The one place where a Filters object becomes row numbers, shared by the
printer and the views.
"""

from __future__ import annotations

import numpy as np

from logview.core.filters import Filters
from logview.core.pipeline import Pipeline
from logview.core.text_search import text_mask


def selected_rows(pipeline: Pipeline, filters: Filters) -> np.ndarray:
    """Row numbers to show, in timeline order."""
    timeline = pipeline.timeline
    mask = filters.column_mask(timeline)
    for pattern, keep in filters.text_patterns:
        hits = text_mask(pipeline, pattern)
        selected = hits if keep else ~hits
        mask = selected if mask is None else mask & selected
    return timeline.positions(mask)
