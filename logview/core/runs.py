"""Runs of equal neighbours in a column, so that a pass can do one numpy step per run instead of one per row."""

from __future__ import annotations

import numpy as np


def equal_runs(values: np.ndarray) -> list[tuple[int, int]]:
    """``(start, stop)`` of each run of equal consecutive ``values``, in order; none for an empty array."""
    if len(values) == 0:
        return []
    cuts = (np.flatnonzero(values[1:] != values[:-1]) + 1).tolist()
    return list(zip([0, *cuts], [*cuts, len(values)], strict=True))
