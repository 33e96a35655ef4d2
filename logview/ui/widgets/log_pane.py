"""The log pane: the records of one view, with a cursor on one of them, and the keys and the mouse that move it.

It shows the view's selection, or, while the index is read, the newest
records read from the inputs' ends (the preview); it follows the newest
record as records arrive. Drawing its lines is lines_pane.py's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from textual import events
from textual.message import Message
from textual.reactive import reactive

from logview.core.display_lines import DisplayLines
from logview.core.record import NO_TIME, Record
from logview.core.records import RecordReader
from logview.core.view_rows import ViewRows
from logview.ui.commands import bindings
from logview.ui.record_lines import process_label
from logview.ui.widgets.lines_pane import LinesPane

#: Columns moved by one press of ← or →.
SIDEWAYS_STEP = 8
#: Lines moved by one turn of the mouse wheel.
WHEEL_LINES = 3


class LogPane(LinesPane, can_focus=True):
    """Records of one view, with a cursor on one record."""

    BINDINGS = bindings("log")

    # No scrollbar of Textual's: one would take a row or a column from the records, and appear and
    # vanish as wider lines are built. The pane draws its own in its last column (see _scrollbar),
    # only when the records do not fit, and moves sideways without one.
    DEFAULT_CSS = """
    LogPane { background: $surface; overflow: hidden hidden; scrollbar-size: 0 0; }
    """

    follow: reactive[bool] = reactive(False)
    """Stay on the last record as records arrive."""
    follow_paused: bool = False
    """Follow was on until the user scrolled up: ``G`` turns it back on."""

    @dataclass
    class RecordChosen(Message):
        """Enter was pressed on a record."""

        pane: LogPane
        record: Record
        #: Its row in the timeline, for its bytes; None for a record shown before the index had it.
        row: int | None = None

    @dataclass
    class CursorMoved(Message):
        pane: LogPane
        row: int | None

    @dataclass
    class ScrolledSideways(Message):
        """The first column shown changed (→, ←, wrapping): the status bar tells it."""

        pane: LogPane

    @dataclass
    class Focused(Message):
        """This pane took the focus: the sidebar now edits its filters."""

        pane: LogPane

    def __init__(self, reader: RecordReader, *, id: str | None = None) -> None:
        super().__init__(reader, id=id)
        #: Whether the user has moved the cursor: until then a new selection opens at the top.
        self._cursor_placed = False
        #: The scrollbar is being dragged with the mouse.
        self._dragging = False
        #: The rows of the latest selection given: shown, or waiting behind the preview.
        self._selection = ViewRows(0)
        #: The newest records, read from the inputs' ends before the index has them (logview.core.newest): shown
        #: instead of the selection while the index is read, so that the view opens at the true end at once.
        self._preview: list[Record] | None = None
        #: The newest records as they were given, to come back to with G while the index is read.
        self._newest: list[Record] | None = None
        #: The latest selection given is the index's last word (no input is being read any more).
        self._final = True

    # -- content ----------------------------------------------------------------

    @property
    def selection(self) -> ViewRows:
        """The latest selection given (not the preview's records, which are no rows of the timeline)."""
        return self._selection

    @property
    def previewing(self) -> bool:
        return self._preview is not None

    def show_preview(self, records: list[Record], folded: bool | None = None) -> None:
        """Show ``records``, the newest, at the bottom with the cursor on the last, until the index has them."""
        folded = self.folded if folded is None else folded
        self._preview = self._newest = records
        self._final = False  # the index does not have them yet
        self.widths = self.widths.grown(*_widths_of(records))
        self.display_lines = DisplayLines.of_counts([record.message.count("\n") for record in records], folded)
        self._columns = self.widths.fitted(self.text_width)
        self._forget_lines()
        self._size_to_content()
        self.set_reactive(LogPane.follow, True)
        self.follow_paused = False
        self.move_to(len(records) - 1, by_user=False)

    def offer_newest(self, records: list[Record]) -> None:
        """The newest records, found while the index is read, after the pane opened: shown while it follows, else kept for G."""
        if self.follow and self._preview is None:
            self.show_preview(records)
        else:
            self._newest = records
            self._final = False  # the index is being read (the app says so): until a final selection comes

    def end_preview(self, at_top: bool = False) -> None:
        """Show the latest selection instead of the preview: at its top, or where the view follows."""
        if self._preview is None:
            return
        self._preview = None
        self.display_lines = DisplayLines(self.reader.timeline, ViewRows(0), self.folded)
        if at_top:
            self.set_reactive(LogPane.follow, False)
            self._cursor_placed = False
        self.show(self._selection, final=self._final)
        if not at_top:
            self.move_to(max(self.record_count - 1, 0))

    def open_as(self, other: LogPane) -> None:
        """Show what ``other`` shows, where it shows it: its records, cursor and scroll, following when it follows.

        A split pane is opened to compare with the view the user is at, not
        with the oldest record. The display lines, the selection and the
        preview's records are never changed in place (a new selection makes
        new ones), so both panes can hold the same.
        """
        self.widths, self._columns = other.widths, other._columns
        self.set_reactive(LogPane.wrap, other.wrap)
        self.set_reactive(LogPane.follow, other.follow)
        self.follow_paused = other.follow_paused
        self._selection, self._final = other._selection, other._final
        self._preview, self._newest = other._preview, other._newest
        self.display_lines = other.display_lines
        self._forget_lines()
        self._size_to_content()
        self.scroll_to(y=other.scroll_y, animate=False, immediate=True, force=True)
        # Not move_to: the pane has no size until it is laid out, and would scroll the cursor into a screen of
        # one line. Laid out beside the other, as tall, it shows the same lines (on_resize keeps the cursor on screen).
        self._cursor_placed = other._cursor_placed
        self.cursor = other.cursor

    @property
    def selection_cursor(self) -> int:
        """The cursor as an index into the selection: past its end while the preview (the newest records, after it) is shown."""
        return len(self._selection) if self._preview is not None else self.cursor

    @property
    def record_count(self) -> int:
        """The records the pane shows: the preview's, or the selection's."""
        return len(self._preview) if self._preview is not None else len(self._selection)

    def show(self, selection: ViewRows, folded: bool | None = None, final: bool = True) -> None:
        """Show a new selection, keeping the cursor on the same record when it is still there.

        While the preview is shown, a selection that is not ``final`` (the index
        is still being read) waits behind it; a final one takes its place with
        the cursor on the same record, counted from the end.
        """
        # The cursor's record in the selection shown until now: read before the new one replaces it, whose
        # record at the cursor's index is another one (the records above it may be hidden now).
        current = self.current_row
        # Its screen row, kept when it is on screen.
        row_on_screen = self.display_lines.first_line_of(self.cursor) - int(self.scroll_y) if current is not None else -1
        self._selection = selection
        self._final = final
        if self._preview is not None:
            if not final:
                return
            self._leave_preview(selection, folded)
            return
        folded = self.folded if folded is None else folded
        previous = self.display_lines
        self.widths = self.widths.grown(*self._column_widths())
        self.display_lines = DisplayLines(self.reader.timeline, selection, folded)
        columns = self.widths.fitted(self.text_width)
        if columns != self._columns or folded != previous.folded:
            self._columns = columns
            self._forget_lines()
        else:
            self._keep_lines_still_shown(previous.selection)
        self._size_to_content()
        if self.follow or current is None or not self._cursor_placed:
            index = len(selection) - 1 if self.follow else 0
        else:
            index = self._index_nearest_in_time(selection, current)
        keep_row = self._cursor_placed and not self.follow and 0 <= row_on_screen < self.size.height and len(selection) > 0
        if keep_row:
            # The cursor's record stays on the row it was on: records arriving move nothing, and a filter closes
            # the records up around it. Centring it moved the view under the user at every refresh.
            top = self.display_lines.first_line_of(max(index, 0)) - row_on_screen
            self.scroll_to(y=max(top, 0), animate=False, immediate=True, force=True)
        self.move_to(max(index, 0), center=self._cursor_placed and not self.follow and not keep_row, by_user=self._cursor_placed)
        self.refresh()

    def _leave_preview(self, selection: ViewRows, folded: bool | None) -> None:
        """The index is complete: its last records are the preview's, so the cursor and the view stay on the same ones."""
        from_end = len(self._preview or []) - 1 - self.cursor
        lines_from_end = len(self.display_lines) - int(self.scroll_y)
        self._preview = None
        folded = self.folded if folded is None else folded
        self.widths = self.widths.grown(*self._column_widths())
        self.display_lines = DisplayLines(self.reader.timeline, selection, folded)
        self._columns = self.widths.fitted(self.text_width)
        self._forget_lines()
        self._size_to_content()
        if self.follow:
            self.move_to(len(selection) - 1, by_user=False)
        else:
            self.scroll_to(y=max(len(self.display_lines) - lines_from_end, 0), animate=False, immediate=True, force=True)
            self.move_to(max(len(selection) - 1 - from_end, 0))
        self.refresh()

    def _index_nearest_in_time(self, selection: ViewRows, row: int) -> int:
        """Where the cursor goes when ``selection`` replaces the view: ``row`` itself, or the shown record nearest it in time."""
        before, after = selection.neighbours(row)
        if before is None or after is None or before == after:
            return next((index for index in (before, after) if index is not None), 0)
        moment, earlier, later = self.reader.timeline.times_at(np.array([row, selection[before], selection[after]])).tolist()
        if NO_TIME in (moment, earlier, later):
            return before
        return before if moment - earlier <= later - moment else after

    def _keep_lines_still_shown(self, previous: ViewRows) -> None:
        """Keep the built lines of the records that stay at the same place and are complete (an index growing, a refresh)."""
        same = self._built.keep_still_shown(previous, self.selection, self.reader.timeline.open_rows())
        self._wrapped.forget(kept=same)

    @property
    def current_record(self) -> Record | None:
        """The record under the cursor: the preview's, or the selection's."""
        if self._preview is not None:
            return self._preview[self.cursor] if self.cursor < len(self._preview) else None
        row = self.current_row
        return None if row is None else self.reader.record(row)

    def cursor_time(self) -> int | None:
        """The time (ms) of the record under the cursor, None without one."""
        if self._preview is not None:
            record = self.current_record
            moment = NO_TIME if record is None else record.time
        else:
            row = self.current_row
            if row is None:
                return None
            moment = int(self.reader.timeline.times_at(np.array([row]))[0])
        return None if moment == NO_TIME else moment

    @property
    def current_row(self) -> int | None:
        if self._preview is not None:
            return None
        selection = self.selection
        if len(selection) == 0 or self.cursor >= len(selection):
            return None
        return selection[self.cursor]

    def _column_widths(self) -> tuple[list[str], list[str], list[str]]:
        """The level names, loggers and process labels the index holds, for the columns' widths."""
        symbols = self.reader.timeline.symbols
        processes = symbols.processes
        count = len(processes.hosts)  # appended last: a code being added meanwhile is left for the next look
        labels = [
            (f"{host}:" if host else "") + (str(pid) if pid is not None else (name or ""))
            for pid, name, host in zip(processes.pids[1:count], processes.names[1:count], processes.hosts[1:count], strict=True)
        ]
        return [name for name in symbols.levels.values if name], [name for name in symbols.loggers.values if name], labels

    def watch_wrap(self, wrap: bool) -> None:
        self._size_to_content()
        if wrap:
            self.scroll_to(x=0, animate=False, immediate=True, force=True)
        # The rows above the cursor's record changed: it may be off screen (or, following, no longer at the bottom).
        self._keep_in_view()
        self.refresh()

    def records_between(self, start: int, stop: int) -> Iterable[Record]:
        """The records shown from index ``start`` to ``stop``: the preview's, or the selection's read from the index."""
        if self._preview is not None:
            return iter(self._preview[start:stop])
        return self.reader.records(self.selection[start:stop], line_numbers=False)

    # -- cursor and scrolling -----------------------------------------------------

    def move_to(self, index: int, center: bool = False, by_user: bool = True) -> None:
        """Put the cursor on the selection's ``index``-th record and scroll it into view."""
        self._cursor_placed = by_user
        count = self.record_count
        index = max(0, min(index, count - 1)) if count else 0
        self.cursor = index
        if count:
            first = self.display_lines.first_line_of(index)
            lines = self.display_lines.lines_of(index)
            height = max(self.size.height, 1)
            top = int(self.scroll_y)
            if center:
                self.scroll_to(y=max(0, first - height // 2), animate=False, immediate=True, force=True)
            elif first < top:
                self.scroll_to(y=first, animate=False, immediate=True, force=True)
            elif first + lines > top + height:
                self.scroll_to(y=first + min(lines, height) - height, animate=False, immediate=True, force=True)
            if self.wrap:
                self._scroll_wrapped_into_view(first, first + lines - 1)
        self.refresh()
        self.post_message(self.CursorMoved(self, self.current_row))

    def _scroll_wrapped_into_view(self, first: int, last: int) -> None:
        """When wrapping: display lines ``first`` to ``last`` (a record) whole on screen, their start when they cannot be.

        The scroll above counts display lines, and rows wrapped above the
        record may have pushed its end, or all of it, off the bottom: its last
        row then goes to the bottom, as the unwrapped view does.
        """
        height, top = max(self.size.height, 1), int(self.scroll_y)
        if first < top:
            target = first
        elif self._wrapped.rows_between(top, last, self.text_width, height) > height:
            target = min(self._wrapped.top_above(last, self.text_width, height), first)
        else:
            return
        self.scroll_to(y=target, animate=False, immediate=True, force=True)

    def pause_follow(self) -> None:
        if self.follow:
            self.follow = False
            self.follow_paused = True

    def action_cursor(self, step: int) -> None:
        if step < 0:
            self.pause_follow()
            if self._preview is not None and self.cursor + step < 0:
                self.end_preview()  # above the newest records: what the index has read so far
                return
        self.move_to(self.cursor + step)

    def action_page(self, pages: int) -> None:
        if pages < 0:
            self.pause_follow()
            if self._preview is not None and self.cursor == 0:
                self.end_preview()
                return
        height = max(self.size.height - 1, 1)
        line = self.display_lines.first_line_of(self.cursor) if self.record_count else 0
        target = max(0, min(line + pages * height, len(self.display_lines) - 1))
        index, _ = self.display_lines.locate(target) if len(self.display_lines) else (0, 0)
        self.scroll_to(y=max(0, int(self.scroll_y) + pages * height), animate=False, immediate=True, force=True)
        self.move_to(index)

    def action_top(self) -> None:
        self.pause_follow()
        self.end_preview(at_top=True)
        self.move_to(0)

    def action_bottom(self) -> None:
        """The newest record, following from there: being at the end is following, as in tail -f and lnav.

        While the index is read, that is the newest records read from the
        inputs' ends, not the last record the index has got to.
        """
        self.follow_paused = False
        if self._preview is None and self._newest is not None and not self._final:
            self.show_preview(self._newest)
            return
        if self.follow:
            self.move_to(self.record_count - 1)
        else:
            self.follow = True  # watch_follow moves to the end

    def action_open_record(self) -> None:
        row = self.current_row
        # With the fields a source keeps apart (the journal's others): the details view shows every field.
        record = self.reader.record(row, details=True) if self._preview is None and row is not None else self.current_record
        if record is not None:
            self.post_message(self.RecordChosen(self, record, self.current_row))

    def action_toggle_fold(self) -> None:
        if self._preview is not None:
            self.show_preview(self._preview, folded=not self.folded)
        else:
            self.show(self.selection, folded=not self.folded)

    def on_focus(self) -> None:
        self.post_message(self.Focused(self))
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        """Following, the newest record stays at the bottom; else the cursor stays on screen.

        The scroll offset alone keeps the top line: on a shorter pane the
        newest record, and the cursor, went below the bottom under FOLLOW.
        """
        if not self._fit_columns():
            self._size_to_content()
        self._keep_in_view()

    def _keep_in_view(self) -> None:
        """After the rows changed under it: following, the newest record at the bottom; else the cursor's on screen."""
        if self.record_count:
            self.move_to(self.record_count - 1 if self.follow else self.cursor, by_user=self._cursor_placed)

    def watch_follow(self, follow: bool) -> None:
        if follow:
            self.action_bottom()

    def watch_scroll_x(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_x(old_value, new_value)
        if round(old_value) != round(new_value):
            self.post_message(self.ScrolledSideways(self))

    def action_sideways(self, step: int) -> None:
        if not self.wrap:
            self.scroll_to(x=max(0, int(self.scroll_x) + step * SIDEWAYS_STEP), animate=False, immediate=True, force=True)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.pause_follow()
        self.scroll_to(y=max(0, int(self.scroll_y) - WHEEL_LINES), animate=False, immediate=True, force=True)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.scroll_to(y=int(self.scroll_y) + WHEEL_LINES, animate=False, immediate=True, force=True)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if self._scrollbar_width and event.x >= self.size.width - 1:
            event.stop()
            self._dragging = True
            self.capture_mouse()
            self._scroll_to_fraction(event.y)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            self._scroll_to_fraction(event.y)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()

    def _scroll_to_fraction(self, y: int) -> None:
        """Scroll as the scrollbar says: screen line ``y`` stands for that fraction of the lines."""
        height = max(self.size.height - 1, 1)
        fraction = min(max(y, 0), height) / height
        self.pause_follow()
        self.scroll_to(y=round(fraction * self.max_scroll_y), animate=False, immediate=True, force=True)

    def on_click(self, event: events.Click) -> None:
        if not len(self.display_lines) or (self._scrollbar_width and event.x >= self.size.width - 1):
            return
        if self.wrap:
            rows = self._wrapped_rows(int(self.scroll_y), self.text_width)
            index = rows[event.y][0] if 0 <= event.y < len(rows) else None
        else:
            line = int(self.scroll_y) + event.y
            index = self.display_lines.locate(line)[0] if line < len(self.display_lines) else None
        if index is None:
            return
        if index < self.record_count - 1:
            self.pause_follow()  # as moving up does: the next record to arrive must not take the cursor from the one clicked
        self.move_to(index)


def _widths_of(records: list[Record]) -> tuple[list[str], list[str], list[str]]:
    """The level names, loggers and process labels of some records, for the columns' widths."""
    return (
        [record.level for record in records if record.level],
        [record.logger for record in records if record.logger],
        [label for label in map(process_label, records) if label],
    )
