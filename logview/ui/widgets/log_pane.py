"""The log pane: the selected records, one screen line at a time (Textual's Line API).

Only the lines on screen are built: ``render_line`` maps a screen line to a
record through :class:`DisplayLines` and reads that record's bytes when it is
first shown, so scrolling 10 million records costs what scrolling ten does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from logview.core.display_lines import DisplayLines
from logview.core.record import Record, format_time
from logview.core.records import RecordReader
from logview.core.view_rows import ViewRows

#: Styles by level number band; a custom level takes the band below it.
LEVEL_STYLES: tuple[tuple[int, Style], ...] = (
    (50, Style(bold=True, color="white", bgcolor="red")),
    (40, Style(color="red")),
    (30, Style(color="yellow")),
    (20, Style()),
    (0, Style(dim=True)),
)
MATCH_STYLE = Style(bgcolor="magenta", color="white", bold=True)
CURSOR_STYLE = Style(reverse=True)
FOLD_MARKER = " ⏎ +{} lines"
#: Records built at once when the screen needs one: neighbours are usually needed next.
READ_BATCH = 64


def level_style(levelno: int | None) -> Style:
    if levelno is None:
        return Style()
    for threshold, style in LEVEL_STYLES:
        if levelno >= threshold:
            return style
    return Style(dim=True)


@dataclass(frozen=True)
class ColumnWidths:
    """Widths of the header columns, so that messages line up."""

    level: int = 8
    logger: int = 16
    pid: int = 6


class LogPane(ScrollView, can_focus=True):
    """Records of one view, with a cursor on one record."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup,b", "page(-1)", "Page up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("home,g", "top", "Top", show=False),
        Binding("end,G", "bottom", "Bottom"),
        Binding("left", "scroll_left", "Left", show=False),
        Binding("right", "scroll_right", "Right", show=False),
        Binding("enter", "open_record", "Details"),
        Binding("z", "toggle_fold", "Fold"),
    ]

    DEFAULT_CSS = """
    LogPane { background: $surface; }
    LogPane:focus { background-tint: $foreground 3%; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)
    """Index into the selection of the record under the cursor."""
    follow: reactive[bool] = reactive(False)
    """Stay on the last record as records arrive."""
    follow_paused: bool = False
    """Follow was on until the user scrolled up: ``G`` turns it back on."""
    wrap: reactive[bool] = reactive(False)
    """Wrap long lines to the pane's width instead of scrolling sideways."""

    @dataclass
    class RecordChosen(Message):
        """Enter was pressed on a record."""

        pane: LogPane
        row: int

    @dataclass
    class CursorMoved(Message):
        pane: LogPane
        row: int | None

    @dataclass
    class Focused(Message):
        """This pane took the focus: the sidebar now edits its filters."""

        pane: LogPane

    def __init__(self, reader: RecordReader, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.reader = reader
        self.display_lines = DisplayLines(reader.timeline, ViewRows(0), folded=False)
        self.widths = ColumnWidths()
        self.search: re.Pattern[str] | None = None
        self._lines: LRUCache[int, list[Text]] = LRUCache(4096)
        #: Lines drawn, by (record index, line of the record, scroll line, scroll x, width, under the cursor, focused):
        #: a refresh that changes nothing, or moves the cursor, draws again only what changed.
        self._strips: LRUCache[tuple[int, int, int, int, int, bool, bool], Strip] = LRUCache(1024)
        self._max_width = 0
        #: Each source's last record when the lines were last kept or forgotten: its lines may be incomplete.
        self._open_rows = np.zeros(0, dtype=np.int64)
        #: Screen rows of the wrapped view: ((scroll line, width), [(record index, text of the row)]).
        self._wrap_plan: tuple[tuple[int, int], list[tuple[int, Text]]] | None = None
        #: Whether the user has moved the cursor: until then a new selection opens at the top.
        self._cursor_placed = False
        self._base_style = Style()

    # -- content ----------------------------------------------------------------

    @property
    def selection(self) -> ViewRows:
        return self.display_lines.selection

    @property
    def folded(self) -> bool:
        return self.display_lines.folded

    def show(self, selection: ViewRows, folded: bool | None = None) -> None:
        """Show a new selection, keeping the cursor on the same record when it is still there."""
        current = self.current_row
        folded = self.folded if folded is None else folded
        previous, widths = self.display_lines, self._column_widths()
        self.display_lines = DisplayLines(self.reader.timeline, selection, folded)
        if widths != self.widths or folded != previous.folded:
            self._forget_lines()
        else:
            self._keep_lines_still_shown(previous.selection)
        self.widths = widths
        self._size_to_content()
        if self.follow or current is None or not self._cursor_placed:
            index = len(selection) - 1 if self.follow else 0
        else:
            index = selection.index_near(current)
        self.move_to(max(index, 0), center=self._cursor_placed and not self.follow, by_user=self._cursor_placed)
        self.refresh()

    def set_search(self, pattern: re.Pattern[str] | None) -> None:
        self.search = pattern
        self._forget_lines()
        self.refresh()

    def _keep_lines_still_shown(self, previous: ViewRows) -> None:
        """Keep the built lines of the records that stay at the same place and are complete (an index growing, a refresh).

        While a file is indexed, the view is refreshed every second with the
        same records at its top: building them again would cost the loader
        a few milliseconds per line.
        """
        self._wrap_plan = None
        open_rows = self.reader.timeline.open_rows()
        shared = min(len(previous), len(self.selection))
        indices = np.array(sorted(index for index in list(self._lines.keys()) if index < shared), dtype=np.int64)
        same: set[int] = set()
        if len(indices):
            rows = self.selection.take(indices)
            # A source's last record may have grown since its lines were built: the last ones now and at the previous show.
            unchanged = (previous.take(indices) == rows) & ~np.isin(rows, np.r_[self._open_rows, open_rows])
            same = set(indices[unchanged].tolist())
        for index in list(self._lines.keys()):
            if index not in same:
                self._lines.discard(index)
        for key in list(self._strips.keys()):
            if key[0] not in same:
                self._strips.discard(key)
        self._open_rows = open_rows

    def _forget_lines(self) -> None:
        """Drop the built lines: the records, their highlights or their layout changed."""
        self._lines.clear()
        self._strips.clear()
        self._open_rows = self.reader.timeline.open_rows()
        self._wrap_plan = None

    def _size_to_content(self) -> None:
        """Scroll over the display lines; sideways only over the widest line built so far, and not when wrapping."""
        width = self.size.width if self.wrap else max(self._max_width, self.size.width)
        self.virtual_size = Size(width, len(self.display_lines))

    @property
    def current_row(self) -> int | None:
        selection = self.selection
        if len(selection) == 0 or self.cursor >= len(selection):
            return None
        return selection[self.cursor]

    def _column_widths(self) -> ColumnWidths:
        symbols = self.reader.timeline.symbols
        levels = [len(name) for name in symbols.levels.values if name]
        loggers = [len(name) for name in symbols.loggers.values if name]
        processes = symbols.processes
        # As _process_label shows them: the pid, or the process name when there is no pid.
        pids = [
            len(str(pid) if pid is not None else (name or "")) for pid, name in zip(processes.pids[1:], processes.names[1:], strict=True)
        ]
        return ColumnWidths(
            level=max(levels, default=0),
            logger=min(max(loggers, default=0), 24),
            pid=min(max(pids, default=0), 24),
        )

    # -- rendering --------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The pane's style is worked out from its ancestors' styles: once per frame, not once per line.
        self._base_style = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        line = scroll_y + y
        width = self.size.width
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
            strip = self._strips.get(key)
            if strip is not None:
                return strip
            texts = self._record_lines(index)
            strip = self._render_text(texts[min(part, len(texts) - 1)], index, scroll_x, line, width)
            self._strips[key] = strip
            return strip
        return self._render_text(text, index, scroll_x, line, width)

    def _render_text(self, text: Text, index: int, scroll_x: int, line: int, width: int) -> Strip:
        if index == self.cursor:
            text = text.copy()
            text.stylize(CURSOR_STYLE if self.has_focus else Style(underline=True))
        segments = list(text.render(self.app.console))
        strip = Strip(segments).crop_extend(scroll_x, scroll_x + width, self._base_style)
        return strip.apply_offsets(scroll_x, line)

    def _wrapped_rows(self, top: int, width: int) -> list[tuple[int, Text]]:
        """The screen rows from display line ``top`` down, each long line folded to ``width``.

        Scrolling still moves by display lines, so only the lines on screen are
        ever wrapped: the cost does not grow with the number of records.
        """
        key = (top, width)
        if self._wrap_plan is not None and self._wrap_plan[0] == key:
            return self._wrap_plan[1]
        rows: list[tuple[int, Text]] = []
        line = top
        height = max(self.size.height, 1)
        console = self.app.console
        while len(rows) < height and line < len(self.display_lines):
            index, part = self.display_lines.locate(line)
            texts = self._record_lines(index)
            text = texts[min(part, len(texts) - 1)].copy()
            text.no_wrap = False
            text.overflow = "fold"
            rows.extend((index, piece) for piece in text.wrap(console, max(width, 1)))
            line += 1
        self._wrap_plan = (key, rows[:height])
        return self._wrap_plan[1]

    def watch_wrap(self, wrap: bool) -> None:
        self._wrap_plan = None
        self._size_to_content()
        if wrap:
            self.scroll_to(x=0, animate=False, immediate=True)
        self.refresh()

    def _record_lines(self, index: int) -> list[Text]:
        cached = self._lines.get(index)
        if cached is not None:
            return cached
        start = max(0, min(index, len(self.selection) - READ_BATCH))
        stop = min(len(self.selection), start + READ_BATCH)
        for offset, record in enumerate(self.reader.records(self.selection[start:stop], line_numbers=False)):
            lines = self._format(record)
            self._lines[start + offset] = lines
            self._max_width = max(self._max_width, max(line.cell_len for line in lines))
        if self.virtual_size.width < self._max_width and not self.wrap:
            self.virtual_size = Size(self._max_width, self.virtual_size.height)
        return self._lines[index]

    def _format(self, record: Record) -> list[Text]:
        widths = self.widths
        style = level_style(record.levelno)
        message_lines = record.message.split("\n") if record.message else [""]
        head = Text(no_wrap=True, end="")
        stamp = format_time(record.time)
        head.append((stamp.replace("T", " ") if stamp else "-").ljust(23), "cyan" if stamp else "dim")
        head.append(" ")
        if widths.level:
            head.append((record.level or "").ljust(widths.level), style)
            head.append(" ")
        if widths.logger:
            head.append(_fit(record.logger or "", widths.logger), "green")
            head.append(" ")
        if widths.pid:
            head.append(_fit(_process_label(record), widths.pid).rjust(widths.pid), "blue")
            head.append(" ")
        indent = head.cell_len
        first = head + Text(message_lines[0], style=style, end="")
        extra = len(message_lines) - 1
        if self.folded and extra:
            first.append(FOLD_MARKER.format(extra), "bold magenta")
        lines = [first]
        if not self.folded:
            lines.extend(
                Text(" " * indent + line, style=style if record.levelno and record.levelno >= 40 else "", end="")
                for line in message_lines[1:]
            )
        if self.search is not None:
            for line in lines:
                line.highlight_regex(self.search, MATCH_STYLE)
        return lines

    # -- cursor and scrolling -----------------------------------------------------

    def move_to(self, index: int, center: bool = False, by_user: bool = True) -> None:
        """Put the cursor on the selection's ``index``-th record and scroll it into view."""
        self._cursor_placed = by_user
        count = len(self.selection)
        index = max(0, min(index, count - 1)) if count else 0
        self.cursor = index
        if count:
            first = self.display_lines.first_line_of(index)
            lines = self.display_lines.lines_of(index)
            height = max(self.size.height, 1)
            top = int(self.scroll_y)
            if center:
                self.scroll_to(y=max(0, first - height // 2), animate=False, immediate=True)
            elif first < top:
                self.scroll_to(y=first, animate=False, immediate=True)
            elif first + lines > top + height:
                self.scroll_to(y=first + min(lines, height) - height, animate=False, immediate=True)
            if self.wrap and not any(shown == index for shown, _ in self._wrapped_rows(int(self.scroll_y), self.size.width)):
                # Wrapped lines above pushed the cursor off screen: bring its record to the top.
                self.scroll_to(y=first, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.CursorMoved(self, self.current_row))

    def pause_follow(self) -> None:
        if self.follow:
            self.follow = False
            self.follow_paused = True

    def action_cursor(self, step: int) -> None:
        if step < 0:
            self.pause_follow()
        self.move_to(self.cursor + step)

    def action_page(self, pages: int) -> None:
        if pages < 0:
            self.pause_follow()
        height = max(self.size.height - 1, 1)
        line = self.display_lines.first_line_of(self.cursor) if len(self.selection) else 0
        target = max(0, min(line + pages * height, len(self.display_lines) - 1))
        index, _ = self.display_lines.locate(target) if len(self.display_lines) else (0, 0)
        self.scroll_to(y=max(0, int(self.scroll_y) + pages * height), animate=False, immediate=True)
        self.move_to(index)

    def action_top(self) -> None:
        self.pause_follow()
        self.move_to(0)

    def action_bottom(self) -> None:
        if self.follow_paused:
            self.follow_paused = False
            self.follow = True
        self.move_to(len(self.selection) - 1)

    def action_open_record(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.RecordChosen(self, row))

    def action_toggle_fold(self) -> None:
        self.show(self.selection, folded=not self.folded)

    def on_focus(self) -> None:
        self.post_message(self.Focused(self))
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def watch_follow(self, follow: bool) -> None:
        if follow:
            self.action_bottom()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.pause_follow()  # the scrolling itself is Widget's own handler

    def on_click(self, event: events.Click) -> None:
        if not len(self.display_lines):
            return
        line = int(self.scroll_y) + event.y
        if line < len(self.display_lines):
            self.move_to(self.display_lines.locate(line)[0])


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else "…" + text[-(width - 1) :]


def _process_label(record: Record) -> str:
    name = record.fields.get("processName")
    if record.pid is not None:
        return str(record.pid)
    return name or ""
