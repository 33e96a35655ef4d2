"""A pane's display lines drawn one screen line at a time (Textual's Line API), with its own scrollbar.

Only the lines on screen are built: ``render_line`` maps a screen line to a
record through :class:`DisplayLines` and has that record's lines built when
it is first shown, so scrolling 10 million records costs what scrolling ten
does. What records there are, and where the cursor is, is the log pane's
(log_pane.py): this class asks it through ``record_count`` and
``records_between``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from logview.core.display_lines import DisplayLines
from logview.core.record import Record
from logview.core.records import RecordReader
from logview.core.view_rows import ViewRows
from logview.ui.built_lines import BuiltLines, drawn
from logview.ui.record_lines import ColumnWidths
from logview.ui.wrapped_rows import WrappedRows

__all__ = ["THUMB", "TRACK", "LinesPane"]

#: The scrollbar: a thin track in the pane's last column, and the thumb over it.
TRACK = Segment("▕", Style(color="#3a3a3a"))
THUMB = Segment("▐", Style(color="#9e9e9e"))


class LinesPane(ScrollView):
    """Draws the display lines of some records: their columns fitted to the width, wrapped or scrolled sideways."""

    cursor: reactive[int] = reactive(0, always_update=True)
    """Index of the record under the cursor (drawn highlighted)."""
    wrap: reactive[bool] = reactive(False)
    """Wrap long lines to the pane's width instead of scrolling sideways."""

    def __init__(self, reader: RecordReader, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.reader = reader
        self.display_lines = DisplayLines(reader.timeline, ViewRows(0), folded=False)
        #: The header columns as wide as the labels of the records seen; they only widen.
        self.widths = ColumnWidths()
        #: The columns the lines are built with: ``widths`` fitted to the pane's width (ColumnWidths.fitted).
        self._columns = ColumnWidths()
        self.search: re.Pattern[str] | None = None
        #: The records' lines built so far, and the strips drawn from them.
        self._built = BuiltLines()
        #: The screen rows when wrapping.
        self._wrapped = WrappedRows(lambda line: self.display_lines.locate(line), self._line_text, lambda: self.app.console)
        self._base_style = Style()

    @property
    def record_count(self) -> int:
        """The records shown (the log pane's)."""
        raise NotImplementedError

    def records_between(self, start: int, stop: int) -> Iterable[Record]:
        """The records shown from index ``start`` to ``stop`` (the log pane's)."""
        raise NotImplementedError

    @property
    def folded(self) -> bool:
        return self.display_lines.folded

    def set_search(self, pattern: re.Pattern[str] | None) -> None:
        self.search = pattern
        self._forget_lines()
        self.refresh()

    def _fit_columns(self) -> bool:
        """The header columns for the pane's width now: the lines built go when the columns change (a resize, a split).

        True when the pane was sized to its content again (wrapped, its rows changed with its lines).
        """
        columns = self.widths.fitted(self.text_width)
        if columns == self._columns:
            return False
        self._columns = columns
        self._forget_lines()
        if self.wrap:
            self._size_to_content()  # the rows the lines wrap to changed
        return self.wrap

    def _forget_lines(self) -> None:
        """Drop the built lines: the records, their highlights or their layout changed."""
        self._built.forget(self.reader.timeline.open_rows())
        self._wrapped.forget()

    def _size_to_content(self) -> None:
        """Scroll over the display lines; sideways only over the widest line built so far, and not when wrapping.

        Wrapped, the view still scrolls by display lines (the one at the top),
        but the last screen starts at the line whose rows, down to the end,
        fill the pane: the unwrapped count would stop the scroll a screen of
        rows short of the newest record.
        """
        if self.wrap:
            height, total = self.size.height, len(self.display_lines)
            last_top = self._wrapped.top_above(total - 1, self.text_width, height) if total and height else 0
            self.virtual_size = Size(self.size.width, last_top + height)
            return
        # The scrollbar's column is counted in: the widest line can be scrolled wholly into view beside it.
        width = max(self._built.max_width + self._scrollbar_width, self.size.width)
        self.virtual_size = Size(width, len(self.display_lines))

    @property
    def _scrollbar_width(self) -> int:
        """1 when the records do not fit on the pane's height (and the scrollbar is drawn), else 0."""
        return 1 if len(self.display_lines) > self.size.height else 0

    @property
    def text_width(self) -> int:
        """Columns for the records: the pane's width less the scrollbar's."""
        return max(self.size.width - self._scrollbar_width, 0)

    def render_lines(self, crop: Region) -> list[Strip]:
        # The pane's style is worked out from its ancestors' styles: once per frame, not once per line.
        self._base_style = self.rich_style
        # The width the columns were fitted to may be older than this frame's (the first one, when the pane had none).
        self._fit_columns()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        strip = self._render_record_line(y)
        if not self._scrollbar_width:
            return strip
        return Strip.join([strip, Strip([self._scrollbar(y)])])

    def _render_record_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        line = scroll_y + y
        width = self.text_width
        if self.wrap:
            rows = self._wrapped_rows(scroll_y, width)
            if y >= len(rows):
                return Strip.blank(width, self._base_style)
            index, text = rows[y]
            scroll_x = 0
        elif line >= len(self.display_lines):
            return Strip.blank(width, self._base_style)
        else:
            index, part = self.display_lines.locate(line)
            key = (index, part, line, scroll_x, width, index == self.cursor, self.has_focus)
            strip = self._built.strips.get(key)
            if strip is not None:
                return strip
            texts = self._record_lines(index)
            strip = self._render_text(texts[min(part, len(texts) - 1)], index, scroll_x, line, width)
            self._built.strips[key] = strip
            return strip
        return self._render_text(text, index, scroll_x, line, width)

    def _scrollbar(self, y: int) -> Segment:
        """The scrollbar's cell on screen line ``y``: the thumb where the view is, over the whole of the lines."""
        # Wrapped, the last screen starts further down than a screen of lines from the end (_size_to_content).
        height, total = max(self.size.height, 1), max(self.virtual_size.height if self.wrap else len(self.display_lines), 1)
        thumb = max(1, round(height * height / total))
        top = round((height - thumb) * self.scroll_y / max(total - height, 1))
        cell = THUMB if top <= y < top + thumb else TRACK
        return Segment(cell.text, self._base_style + cell.style)

    def _render_text(self, text: Text, index: int, scroll_x: int, line: int, width: int) -> Strip:
        return drawn(text, scroll_x, width, line, index == self.cursor, self.has_focus, self.app.console, self._base_style)

    def _wrapped_rows(self, top: int, width: int) -> list[tuple[int, Text]]:
        """The screen rows from display line ``top`` down, each long line folded to ``width``."""
        return self._wrapped.screen(top, len(self.display_lines), width, max(self.size.height, 1))

    def _line_text(self, index: int, part: int) -> Text:
        """Line ``part`` of the ``index``-th record's lines."""
        texts = self._record_lines(index)
        return texts[min(part, len(texts) - 1)]

    def _record_lines(self, index: int) -> list[Text]:
        cached = self._built.cached(index)
        if cached is not None:
            return cached
        lines = self._built.build(index, self.record_count, self.records_between, self._columns, self.folded, self.search)
        if self.virtual_size.width < self._built.max_width + self._scrollbar_width and not self.wrap:
            self._size_to_content()
        return lines
