"""The app's search state: the positions of a search's matches in a view, kept until the view or the search changes."""

from __future__ import annotations

import numpy as np

from logview.core.search_state import SearchState
from logview.core.view_rows import ViewRows


def test_a_new_search_at_a_freed_searchs_address_gets_its_own_positions() -> None:
    """A search's rows may be allocated where the last search's freed rows were: the same id(), other matches.

    Kept by id(), the positions were the last search's: "no match" for a
    search with ten matches, now and then on a loaded machine.
    """
    selection = ViewRows(100)
    state = SearchState()
    for attempt in range(200):
        state.start(f"first {attempt}")
        state.found(f"first {attempt}", np.zeros(0, dtype=np.int64))
        assert len(state.positions("log", selection)) == 0
        state.start(f"second {attempt}")  # the first search's rows are freed here, unless something keeps them
        rows = np.arange(50, 60, dtype=np.int64)  # in CPython, most often at the freed array's address
        state.found(f"second {attempt}", rows)
        del rows
        assert state.positions("log", selection).tolist() == list(range(50, 60)), attempt
