"""A record as the log pane draws it: aligned columns, coloured by level, its message made safe to show.

Pure text in, rich Text out, with no Textual import: the log pane uses it for
the lines on screen, and the first frame, drawn before Textual is loaded,
uses it for the same lines, so that the two cannot differ.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from rich.cells import cell_len, get_character_cell_size, set_cell_size
from rich.style import Style
from rich.text import Text

from logview.core.record import Record, format_time
from logview.ui.cells import shown
from logview.ui.colors import COLORS

#: Styles by level number band; a custom level takes the band below it. Colours that a 16-colour
#: terminal shows as red, yellow and grey (see tests/unit/test_colors.py), not the nearest of its palette.
LEVEL_STYLES: tuple[tuple[int, Style], ...] = (
    (50, Style(bold=True, color=COLORS["critical-text"], bgcolor=COLORS["critical"])),
    (40, Style(color=COLORS["error"])),
    (30, Style(color=COLORS["warning"])),
    (20, Style()),
    (0, Style(color=COLORS["debug"])),
)
TIME_STYLE = Style(color=COLORS["time"])
NO_TIME_STYLE = Style(color=COLORS["debug"])
LOGGER_STYLE = Style(color=COLORS["logger"])
PROCESS_STYLE = Style(color=COLORS["process"])
MATCH_STYLE = Style(bgcolor=COLORS["match"], color=COLORS["match-text"], bold=True)
CURSOR_STYLE = Style(reverse=True)
UNFOCUSED_CURSOR_STYLE = Style(underline=True)
FOLD_STYLE = Style(bold=True, color=COLORS["fold"])
FOLD_MARKER = " ⏎ +{} lines"
#: Columns the time takes: 2024-03-01 12:00:00.000
TIME_WIDTH = 23
#: The time of day alone, on a narrow pane: 12:00:00.000
TIME_OF_DAY_WIDTH = 12


#: The level column is never narrower: a WARNING or CRITICAL seen late would push every message along.
LEVEL_MIN_WIDTH = 8
#: Longer loggers and process names are cut from the left.
NAME_MAX_WIDTH = 24
#: Columns a pane keeps for the message before its header columns give way (ColumnWidths.fitted).
MESSAGE_ROOM = 40
#: The narrowest the logger column gets when it gives way.
NARROW_LOGGER_WIDTH = 10
#: Below this room for the message, the process column, then the logger column, are hidden.
MESSAGE_MIN_ROOM = 20


class ColumnWidths(NamedTuple):
    """Widths of the header columns, so that messages line up; 0 hides a column nothing fills."""

    level: int = 0
    logger: int = 0
    pid: int = 0
    #: TIME_WIDTH, or TIME_OF_DAY_WIDTH on a narrow pane (see fitted).
    time: int = TIME_WIDTH

    def grown(self, levels: list[str], loggers: list[str], processes: list[str]) -> ColumnWidths:
        """Wide enough for these labels too. Columns only ever widen: a narrower one would move every message."""
        return ColumnWidths(
            level=max(self.level, _width(levels, LEVEL_MIN_WIDTH, None)),
            logger=max(self.logger, _width(loggers, 0, NAME_MAX_WIDTH)),
            pid=max(self.pid, _width(processes, 0, NAME_MAX_WIDTH)),
        )

    @property
    def header(self) -> int:
        """Cells before the message: each column shown and the space after it."""
        return sum(width + 1 for width in self if width)

    def fitted(self, width: int) -> ColumnWidths:
        """The columns on a pane whose records have ``width`` cells (the pane less its scrollbar).

        As wide as their labels while that leaves the message MESSAGE_ROOM
        columns: at 80 columns a full header took 57 and left the message 22.
        On a narrower pane they give way, in this order, until it has them:

        1. the time drops its date (12:00:00.000, 11 columns less): the
           status bar tells the cursor's full time, and the histogram's
           labels the days the records span;
        2. the logger column narrows as far as needed, down to
           NARROW_LOGGER_WIDTH, its names cut from the left (the end of a
           dotted name says the most).

        On a pane narrower still (a split at 80 columns, the sidebar open
        beside the log), where the message would have fewer than
        MESSAGE_MIN_ROOM columns, the process column goes, then the logger
        column: the sidebar's panes and the record's details tell them. The
        level column stays: it is narrow, and it is the record's colour.

        The log pane and the first frame both draw with these columns: the
        rule is here, once.
        """
        full = self._replace(time=TIME_WIDTH)
        if width - full.header >= MESSAGE_ROOM:
            return full
        fitted = full._replace(time=TIME_OF_DAY_WIDTH)
        short = MESSAGE_ROOM - (width - fitted.header)
        if short > 0 and fitted.logger > NARROW_LOGGER_WIDTH:
            fitted = fitted._replace(logger=max(NARROW_LOGGER_WIDTH, fitted.logger - short))
        for column in ("pid", "logger"):
            if width - fitted.header >= MESSAGE_MIN_ROOM:
                break
            fitted = fitted._replace(**{column: 0})
        return fitted


def _width(labels: list[str], minimum: int, maximum: int | None) -> int:
    if not labels:
        return 0
    width = max(minimum, max(_cells(label) for label in labels))
    return width if maximum is None else min(width, maximum)


def _cells(label: str) -> int:
    """The cells ``label`` takes on screen (a column's width is worked out over every label in the index, at each refresh)."""
    return len(label) if label.isascii() and label.isprintable() else cell_len(shown(label))


def level_style(levelno: int | None) -> Style:
    if levelno is None:
        return Style()
    for threshold, style in LEVEL_STYLES:
        if levelno >= threshold:
            return style
    return LEVEL_STYLES[-1][1]


def record_lines(record: Record, widths: ColumnWidths, folded: bool, search: re.Pattern[str] | None = None) -> list[Text]:
    """The screen lines of ``record``: its header columns and first line, then its other lines indented (or folded)."""
    style = level_style(record.levelno)
    message_lines = [shown(line) for line in record.message.split("\n")] if record.message else [""]
    head = Text(no_wrap=True, end="")
    stamp = format_time(record.time)
    if stamp:
        stamp = stamp[11:] if widths.time == TIME_OF_DAY_WIDTH else stamp.replace("T", " ")
    head.append((stamp or "-").ljust(widths.time), TIME_STYLE if stamp else NO_TIME_STYLE)
    head.append(" ")
    if widths.level:
        head.append(fit(shown(record.level or ""), widths.level), style)
        head.append(" ")
    if widths.logger:
        head.append(fit(shown(record.logger or ""), widths.logger), LOGGER_STYLE)
        head.append(" ")
    if widths.pid:
        label = shown(process_label(record))
        # A pid to the right, as lnav aligns number fields and ps its PID column: digits line up by place.
        # A process name reads from its start.
        cell = label.rjust(widths.pid) if record.pid is not None and len(label) <= widths.pid else fit(label, widths.pid)
        head.append(cell, PROCESS_STYLE)
        head.append(" ")
    indent = head.cell_len
    first = head + Text(message_lines[0], style=style, end="")
    extra = len(message_lines) - 1
    if folded and extra:
        first.append(FOLD_MARKER.format(extra), FOLD_STYLE)
    lines = [first]
    if not folded:
        # An error's other lines (its traceback) in its colour. As a span: rich draws a Text's own style only with spans.
        rest_style = style if record.levelno is not None and record.levelno >= 40 else None
        for message_line in message_lines[1:]:
            rest = Text(" " * indent + message_line, end="")
            if rest_style is not None:
                rest.stylize(rest_style, indent)
            lines.append(rest)
    if search is not None:
        for text in lines:
            text.highlight_regex(search, MATCH_STYLE)
    return lines


def under_cursor(line: Text, focused: bool = True) -> Text:
    """A line of the record under the cursor: reversed (underlined when the pane has not the focus), from its text on.

    A traceback's lines are indented to the message's column; reversed, the
    indentation would be a block of the text's colour beside the record.
    """
    line = line.copy()
    line.stylize(CURSOR_STYLE if focused else UNFOCUSED_CURSOR_STYLE, len(line.plain) - len(line.plain.lstrip(" ")))
    return line


def fit(text: str, width: int) -> str:
    """``text`` padded to ``width`` cells, or cut from the left (the end of a dotted name says the most).

    In cells, not characters: a logger of wide characters takes twice as
    many, and would push its row's message along.
    """
    cells = cell_len(text)
    if cells <= width:
        return text + " " * (width - cells)
    if text.isascii():
        return "…" + text[len(text) - width + 1 :] if width > 1 else "…"[:width]
    # From the right, the characters that fit beside the ellipsis: one pass, each character measured once.
    start, room = len(text), width - 1
    while start > 0 and get_character_cell_size(text[start - 1]) <= room:
        start -= 1
        room -= get_character_cell_size(text[start])
    return set_cell_size("…" + text[start:], width)


def process_label(record: Record) -> str:
    """The pid, or the process name when the format logs no pid; after its host, for a record that names one (host-1:1234)."""
    label = str(record.pid) if record.pid is not None else record.fields.get("processName") or ""
    host = record.fields.get("hostname")
    return f"{host}:{label}" if host else label
