"""The lines a log pane has built for its records, and the strips drawn from them.

Building a record's lines reads its bytes and lays out its columns; drawing
a line styles every cell. The pane (widgets/log_pane.py) decides what is
shown and where; this keeps both kinds of work for as long as the records
they were made from stay where they are, so a refresh that changes nothing,
or moves only the cursor, draws again only what changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np
from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.strip import Strip

from logview.core.record import Record
from logview.core.view_rows import ViewRows
from logview.ui.record_lines import ColumnWidths, record_lines, under_cursor

__all__ = ["READ_BATCH", "BuiltLines", "StripKey", "covering", "drawn"]

#: Records built at once when the screen needs one: neighbours are usually needed next.
READ_BATCH = 64

#: A line drawn: (record index, line of the record, scroll line, scroll x, width, under the cursor, focused).
StripKey = tuple[int, int, int, int, int, bool, bool]


class BuiltLines:
    """The built lines of a pane's records by their index in what it shows, and the strips drawn from them."""

    def __init__(self) -> None:
        self._lines: LRUCache[int, list[Text]] = LRUCache(1024)
        #: Lines drawn, by StripKey: a refresh that changes nothing, or moves the cursor, draws again only what changed.
        self.strips: LRUCache[StripKey, Strip] = LRUCache(1024)
        #: The widest line built so far, in cells: how far the pane scrolls sideways.
        self.max_width = 0
        #: Each source's last record when the lines were last kept or forgotten: its lines may be incomplete.
        self._open_rows = np.zeros(0, dtype=np.int64)

    def cached(self, index: int) -> list[Text] | None:
        return self._lines.get(index)

    def build(
        self,
        index: int,
        count: int,
        read: Callable[[int, int], Iterable[Record]],
        columns: ColumnWidths,
        folded: bool,
        search: re.Pattern[str] | None,
    ) -> list[Text]:
        """The ``index``-th record's lines, built with its neighbours: ``read(start, stop)`` gives the records of a range."""
        start = max(0, min(index, count - READ_BATCH))
        stop = min(count, start + READ_BATCH)
        for offset, record in enumerate(read(start, stop)):
            lines = record_lines(record, columns, folded, search)
            self._lines[start + offset] = lines
            self.max_width = max(self.max_width, max(line.cell_len for line in lines))
        return self._lines[index]

    def forget(self, open_rows: np.ndarray) -> None:
        """Drop every line built and drawn: the records, their highlights or their layout changed."""
        self._lines.clear()
        self.strips.clear()
        self._open_rows = open_rows

    def keep_still_shown(self, previous: ViewRows, selection: ViewRows, open_rows: np.ndarray) -> set[int]:
        """Keep the lines of the records that stay at the same index and are complete; the indices kept.

        While a file is indexed, the view is refreshed every second with the
        same records at its top: building them again would cost the loader
        a few milliseconds per line.
        """
        shared = min(len(previous), len(selection))
        indices = np.array(sorted(index for index in list(self._lines.keys()) if index < shared), dtype=np.int64)
        same: set[int] = set()
        if len(indices):
            rows = selection.take(indices)
            # A source's last record may have grown since its lines were built: the last ones now and at the previous show.
            unchanged = (previous.take(indices) == rows) & ~np.isin(rows, np.r_[self._open_rows, open_rows])
            same = set(indices[unchanged].tolist())
        for index in list(self._lines.keys()):
            if index not in same:
                self._lines.discard(index)
        for key in list(self.strips.keys()):
            if key[0] not in same:
                self.strips.discard(key)
        self._open_rows = open_rows
        return same


def drawn(text: Text, scroll_x: int, width: int, line: int, cursor: bool, focused: bool, console: Console, base_style: Style) -> Strip:
    """Screen line ``line`` of ``text``, from column ``scroll_x``, ``width`` cells wide, on the pane's own colours."""
    text = covering(text, scroll_x + width)
    if cursor:
        text = under_cursor(text, focused)
    # On the pane's own colours: a cell without a background would show the terminal's.
    segments = Segment.apply_style(text.render(console), base_style)
    strip = Strip(segments).crop_extend(scroll_x, scroll_x + width, base_style)
    return strip.apply_offsets(scroll_x, line)


def covering(text: Text, cells: int) -> Text:
    """The start of ``text`` that fills ``cells`` cells, or all of it.

    Rendering measures every character: a 4 MiB line (a record at the length
    cap) took seconds to draw for the screenful of it that shows. A character
    takes one or two cells, or none (a combining mark), so the cut is widened
    until it covers ``cells``.
    """
    end = cells
    while end < len(text) and cell_len(text.plain[:end]) < cells:
        end *= 2
    return text if end >= len(text) else text[:end]
