"""The search and the keys that move the cursor between records: /, n and N, e and E, w and W."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from logview.core.first_match import FirstMatch
from logview.core.search_state import SearchState
from logview.core.seek import next_at_level
from logview.core.view_rows import ViewRows
from logview.ui.widgets.log_pane import LogPane
from logview.ui.widgets.prompt_bar import regex_error, smart_case

if TYPE_CHECKING:
    from logview.ui.app import LogViewApp


class SearchKeys:
    """Asks for a search, has the session find its matches, and moves the active pane's cursor between them."""

    def __init__(self, app: LogViewApp) -> None:
        self.app = app
        self.session = app.session

    def ask(self) -> None:
        self.app.prompt.ask("Search: a regex or text, any case unless it has a capital", self.search_for, check=regex_error)

    def search_for(self, text: str) -> None:
        """Search every pane for ``text`` (smart case), and go to the first match from the cursor."""
        app, session = self.app, self.session
        pattern = smart_case(text)
        app.status.notice = ("", None)  # what the last search said ("wrapped to the top") is not about this one
        compiled = re.compile(pattern)
        for pane in app.query(LogPane):
            pane.set_search(compiled)
        if session.start_search(pattern, text):
            return  # a small log: answered here, drawn with the frame that closes the bar
        pane = app.log_pane
        near = None if session.indexing else (pane.selection, pane.selection_cursor)
        found = session.first_match_near(pattern, *near) if near is not None else None
        if found is not None and near is not None:
            # Found here, the match is on the frame that closes the bar; the count follows.
            session.first_match_found(pattern, near[0], found)
            near = None
        app.update_status()
        # After the frame that closes the bar (and shows the match): the count's thread would slow that frame down,
        # holding the GIL for most of its 5 ms turns.
        app.call_after_refresh(session.find_matches, pattern, near=near)

    def first_match_found(self, view: ViewRows, found: FirstMatch) -> bool:
        """The cursor to the first match, before the count, unless the pane shows other rows since."""
        pane = self.app.log_pane
        if pane.selection is not view:
            return False
        self.move_cursor(pane, found.position)
        if not found.below:
            self.app.update_status("none below: the nearest match above")
        return True

    def matches_found(self, jump: bool) -> None:
        if jump:
            self.first_match()
        else:
            self.app.update_status()

    def first_match(self) -> None:
        """A new search goes to the first match from the cursor down; with none below, to the nearest above.

        The viewer opens on the newest record: a search from there means the
        latest match, not the oldest one at the far end of a wrap.
        """
        pane = self.app.log_pane
        positions = self._matches(pane)
        if len(positions) == 0 or len(pane.selection) == 0:
            self.app.update_status()  # "no match"
            return
        below = int(np.searchsorted(positions, pane.selection_cursor))
        self.move_cursor(pane, int(positions[min(below, len(positions) - 1)]))
        if below == len(positions):
            self.app.update_status("none below: the nearest match above")

    def _matches(self, pane: LogPane) -> np.ndarray:
        return self.session.matches(pane.id or "", pane.selection)

    def next_match(self, step: int) -> None:
        pane = self.app.log_pane
        search = self.session.search
        if not search.text:
            self.ask()
            return
        if not search.ready or len(pane.selection) == 0:
            return
        cursor = pane.selection_cursor
        target = SearchState.next_position(self._matches(pane), cursor, step)
        if target is None:
            self.app.update_status()  # "no match"
            return
        wrapped = target < cursor if step > 0 else target > cursor
        self.move_cursor(pane, target)
        if wrapped:
            self.app.update_status("the search wrapped to the top" if step > 0 else "the search wrapped to the bottom")

    def next_at_level(self, level: int, step: int) -> None:
        """The next (``step`` 1) or previous record at ``level`` or above, as lnav's e/E and w/W."""
        pane = self.app.log_pane
        target = next_at_level(self.session.pipeline.timeline, pane.selection, pane.selection_cursor, step, level)
        if target is None:
            name = "error" if level >= 40 else "warning"
            self.app.update_status(f"no {name} {'below' if step > 0 else 'above'}")
            return
        self.move_cursor(pane, target)

    def move_cursor(self, pane: LogPane, index: int) -> None:
        """A jump to a record of the selection: following pauses (G resumes it), and the record is centred."""
        pane.pause_follow()
        pane.end_preview()
        pane.move_to(index, center=True)
        self.app.update_status()
