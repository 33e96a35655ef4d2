"""The log pane's screen rows when it wraps: display lines folded to the pane's width, only those near the screen.

The pane scrolls by display lines (the one at its top) whether it wraps or
not, so only the lines on screen, and the screen's worth above the end, are
ever folded: the cost does not grow with the number of records. No Textual
here: the pane hands over how to find a display line and read its text.
"""

from __future__ import annotations

from collections.abc import Callable, Container

from rich.console import Console
from rich.text import Text
from textual.cache import LRUCache

__all__ = ["WrappedRows"]

#: (index of the record in the selection, the text of one screen row).
Row = tuple[int, Text]


class WrappedRows:
    """Display lines folded to a width, and the screens they make.

    ``locate`` gives a display line's record (its index in the selection) and
    the line of the record it is, ``text`` that line's text, and ``console``
    the console it is measured with.
    """

    def __init__(self, locate: Callable[[int], tuple[int, int]], text: Callable[[int, int], Text], console: Callable[[], Console]) -> None:
        self._locate = locate
        self._text = text
        self._console = console
        #: Display lines folded, by (record index, line of the record, width): the rows they take.
        self._folded: LRUCache[tuple[int, int, int], list[Text]] = LRUCache(1024)
        #: The last screen made: ((top line, lines in all, width, height), its rows).
        self._screen: tuple[tuple[int, int, int, int], list[Row]] | None = None

    def forget(self, kept: Container[int] | None = None) -> None:
        """Drop the folded lines (but those of the records ``kept``, which are unchanged) and the screen made."""
        self._screen = None
        if kept is None:
            self._folded.clear()
            return
        for key in list(self._folded.keys()):
            if key[0] not in kept:
                self._folded.discard(key)

    def screen(self, top: int, total: int, width: int, height: int) -> list[Row]:
        """The ``height`` rows from display line ``top`` down, of ``total`` lines.

        The last screen (``top`` as far down as the pane scrolls, see
        :meth:`top_above`) ends with the last line's last row at the bottom,
        as the unwrapped view does, the lines above it filling the screen's
        top rows, the first of them cut.
        """
        key = (top, total, width, height)
        if self._screen is not None and self._screen[0] == key:
            return self._screen[1]
        rows: list[Row] = []
        line = top
        while len(rows) < height and line < total:
            rows.extend(self._pieces(line, width))
            line += 1
        if len(rows) < height and line == total:
            above = top
            while len(rows) < height and above > 0:
                above -= 1
                rows[:0] = self._pieces(above, width)
            rows = rows[-height:]
        self._screen = (key, rows[:height])
        return self._screen[1]

    def rows_between(self, top: int, last: int, width: int, limit: int) -> int:
        """Screen rows of display lines ``top`` to ``last``, counted up to ``limit`` + 1 at most."""
        rows = 0
        for line in range(top, last + 1):
            rows += len(self.folded(line, width))
            if rows > limit:
                break
        return rows

    def top_above(self, line: int, width: int, height: int) -> int:
        """The top display line of the screen whose last row is display line ``line``'s last.

        ``line`` itself when its rows alone take more than the screen.
        """
        rows, top = len(self.folded(line, width)), line
        while top > 0:
            above = len(self.folded(top - 1, width))
            if rows + above > height:
                break
            rows, top = rows + above, top - 1
        return top

    def folded(self, line: int, width: int) -> list[Text]:
        """Display line ``line`` folded to ``width``: its rows on screen (one at least)."""
        index, part = self._locate(line)
        key = (index, part, width)
        folded = self._folded.get(key)
        if folded is None:
            text = self._text(index, part).copy()
            text.no_wrap = False
            text.overflow = "fold"
            folded = list(text.wrap(self._console(), max(width, 1))) or [Text("", end="")]
            self._folded[key] = folded
        return folded

    def _pieces(self, line: int, width: int) -> list[Row]:
        index, _ = self._locate(line)
        return [(index, piece) for piece in self.folded(line, width)]
