"""The details view's body: the record's fields, then its message or a piece of its bytes, drawn a row at a time.

A piece is up to MAX_RECORD_BYTES (4 MiB): made into one Static, rich would
lay all of its some 60,000 rows out before the first frame (seconds). Here
the text is only cut into rows of the view's width (slices, for ASCII), and a
row becomes a strip when it is on screen.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, chop_cells
from rich.console import Group, RenderableType
from rich.segment import Segment
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from logview.ui.cells import shown

__all__ = ["RecordBody", "rows_of"]

_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def rows_of(text: str, width: int) -> list[str]:
    """``text``'s lines as the screen shows them (cells.shown), cut into rows of ``width`` cells."""
    width = max(width, 1)
    rows: list[str] = []
    for line in text.split("\n"):
        line = shown(line)
        if len(line) <= width and line.isascii():
            rows.append(line)
        elif _one_cell_each(line):
            rows.extend(line[start : start + width] for start in range(0, len(line), width))
        else:
            rows.extend(chop_cells(line, width) or [""])  # seconds for megabytes: only where characters differ in width
    return rows


def _one_cell_each(line: str) -> bool:
    """Whether every character of ``line`` takes one cell (ASCII, "é", the cut mark's "…"): its rows are then slices."""
    return line.isascii() or all(cell_len(char) == 1 for char in set(_NOT_ASCII.findall(line)))


class RecordBody(ScrollView, can_focus=True):
    """What is above the text (fields, titles) laid out by rich, as it is short; the text's rows cut here, and drawn as shown."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self._above: list[RenderableType] = []
        self._text = ""
        #: The rows at the width they were cut for: (width, the strips above, the text's rows).
        self._laid_out: tuple[int, list[Strip], list[str]] | None = None

    def show(self, above: list[RenderableType], text: str) -> None:
        """Show ``above`` then ``text``, from the top."""
        self._above, self._text = above, text
        self._laid_out = None
        if self.size.width:  # else once the view has its size (on_resize): not twice, for the console's width first
            self._lay_out()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    @property
    def text_rows(self) -> int:
        """How many rows the text takes at the current width."""
        return len(self._lay_out()[2])

    def _lay_out(self) -> tuple[int, list[Strip], list[str]]:
        width = self.scrollable_content_region.width or self.app.console.width
        if self._laid_out is None or self._laid_out[0] != width:
            options = self.app.console.options.update_width(width)
            above = [Strip(line) for line in self.app.console.render_lines(Group(*self._above), options, pad=False)]
            self._laid_out = (width, above, rows_of(self._text, width))
            self.virtual_size = Size(width, len(above) + len(self._laid_out[2]))
        return self._laid_out

    def on_resize(self) -> None:
        self._lay_out()

    def render_line(self, y: int) -> Strip:
        width, above, rows = self._lay_out()
        index = y + self.scroll_offset.y
        if index < len(above):
            strip = above[index]
        elif index < len(above) + len(rows):
            strip = Strip([Segment(rows[index - len(above)])])
        else:
            strip = Strip.blank(width)
        return strip.crop_extend(0, width, self.rich_style).apply_style(self.rich_style)
