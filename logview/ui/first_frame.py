"""The viewer's first frame, drawn before Textual is loaded: the screen the app opens with, cell for cell.

Loading Textual alone takes about 0.3 s, and a Textual app shows its first
frame about half a second after the start; lnav shows a small file in a
fifth of that. So the command line draws the app's first screen itself, from
the newest records read from the inputs' ends (core/newest.py), with rich's
styles and the app's own parts (layout, colours, the log pane's lines, the
status and key bars), and then starts Textual, which draws the same frame
over it. tests/functional/test_first_frame.py compares the two cell by cell.

Keys typed meanwhile wait in the terminal: it is put in raw mode at once
(no echo, nothing read), and the app reads them when it starts. Textual's
driver is given the terminal's own settings to restore when the app ends
(ui/driver.py).
"""

from __future__ import annotations

import os
import shutil
import sys
import termios
from collections.abc import Sequence

from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from logview.core.config import NamedFormat
from logview.core.newest import newest_records
from logview.core.parse.format_string import LogFormat
from logview.core.record import Record, format_time
from logview.ui.colors import CHROME
from logview.ui.layout import SIDEBAR_PANES, Box, screen_layout, sidebar_shown
from logview.ui.record_lines import ColumnWidths, process_label, record_lines, under_cursor
from logview.ui.status_line import StatusParts, key_bar_text, status_text

#: Smaller terminals get no first frame: the layout does not fit them as the app's does.
MIN_WIDTH, MIN_HEIGHT = 40, 16

BORDER = Style(color=CHROME["border"], bgcolor=CHROME["surface"])
TITLE = Style(color=CHROME["title"], bgcolor=CHROME["surface"])
PANE = Style(color=CHROME["text"], bgcolor=CHROME["surface"])
BACKGROUND = Style(color=CHROME["text"], bgcolor=CHROME["background"])
UNDERLINE = Style(color=CHROME["border"], bgcolor=CHROME["background"])
LOG = Style(color=CHROME["text"], bgcolor=CHROME["log-focus"])
BAR = Style(color=CHROME["text"], bgcolor=CHROME["panel"])
TRACK = Style(color="#3a3a3a")
THUMB = Style(color="#9e9e9e")


Row = list[Segment]


def first_screen(width: int, height: int, records: list[Record], sidebar: bool | None = None) -> list[Row]:
    """The app's first screen, ``width`` × ``height``, with ``records`` (the newest, oldest first) in its log pane."""
    layout = screen_layout(width, height, sidebar_shown(width) if sidebar is None else sidebar)
    rows: list[Row] = [[] for _ in range(height)]
    for box, (_, title) in zip(layout.sidebar, SIDEBAR_PANES, strict=False):  # no boxes when the sidebar is hidden
        if box.height:  # the hosts pane has none until a record names a host
            _place(rows, box, _bordered_pane(box, title))
    _place(rows, layout.histogram, _histogram(layout.histogram))
    _place(rows, layout.log, log_lines(layout.log, records))
    status = first_status(records)
    _place(rows, layout.status, [_bar(status_text(status, layout.status.width - 2), layout.status.width, padding=1)])
    _place(rows, layout.keys, [_bar(key_bar_text(layout.keys.width), layout.keys.width)])
    return rows


def first_status(records: list[Record]) -> StatusParts:
    """The status bar of a viewer that has read nothing yet, follows, and has the newest record under its cursor."""
    return StatusParts(0, 0, follow="following", note="reading…", time=format_time(records[-1].time) or "" if records else "")


def log_lines(box: Box, records: list[Record]) -> list[Row]:
    """The log pane following the newest of ``records``: its last lines at the bottom, the cursor on the last record."""
    # A record's lines are its message's, whatever the columns: the scrollbar, then the columns fitted beside it.
    scrollbar = sum(record.message.count("\n") + 1 for record in records) > box.height
    text_width = box.width - (1 if scrollbar else 0)
    widths = (
        ColumnWidths()
        .grown(
            [record.level for record in records if record.level],
            [record.logger for record in records if record.logger],
            [label for label in map(process_label, records) if label],
        )
        .fitted(text_width)
    )
    lines: list[tuple[int, Text]] = [
        (index, text) for index, record in enumerate(records) for text in record_lines(record, widths, folded=False)
    ]
    top = max(len(lines) - box.height, 0)
    shown = lines[top : top + box.height]
    cursor = len(records) - 1
    rows: list[Row] = []
    for y in range(box.height):
        if y < len(shown):
            index, text = shown[y]
            if index == cursor:
                text = under_cursor(text)
            row = Segment.adjust_line_length(list(Segment.apply_style(text_segments(text), LOG)), text_width, LOG)
        else:
            row = [Segment(" " * text_width, LOG)]
        if scrollbar:
            row.append(_scrollbar_cell(y, box.height, len(lines), top))
        rows.append(row)
    return rows


def text_segments(text: Text) -> list[Segment]:
    """What rich's Text.render makes of a Text whose styles are Style objects, without a Console (40 ms to import).

    As rich does, a Text without spans is drawn without its own style too.
    """
    plain = text.plain
    if not plain:
        return []
    if not text.spans:
        return [Segment(plain)]
    styles = [text.style if isinstance(text.style, Style) else Style(), *(span.style for span in text.spans)]
    cuts = sorted({0, len(plain), *(span.start for span in text.spans), *(span.end for span in text.spans)})
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start >= end:
            continue
        active = [styles[0]] + [styles[index + 1] for index, span in enumerate(text.spans) if span.start <= start < span.end]
        segments.append(Segment(plain[start:end], Style.combine(style for style in active if isinstance(style, Style))))
    return segments


def _scrollbar_cell(y: int, height: int, total: int, top: int) -> Segment:
    """The log pane's own scrollbar, as LogPane._scrollbar draws it."""
    thumb = max(1, round(height * height / total))
    start = round((height - thumb) * top / max(total - height, 1))
    return Segment("▐", LOG + THUMB) if start <= y < start + thumb else Segment("▕", LOG + TRACK)


def _bordered_pane(box: Box, title: str) -> list[Row]:
    inner = box.width - 2
    label = f" {title} "
    top = [Segment("╭─", BORDER), Segment(label, TITLE), Segment("─" * max(inner - 1 - len(label), 0) + "╮", BORDER)]
    middle = [Segment("│", BORDER), Segment(" " * inner, PANE), Segment("│", BORDER)]
    bottom = [Segment("╰" + "─" * inner + "╯", BORDER)]
    return [top] + [list(middle) for _ in range(box.height - 2)] + [bottom]


def _histogram(box: Box) -> list[Row]:
    """The histogram strip before its first count: blank, over its line."""
    return [[Segment(" " * box.width, BACKGROUND)] for _ in range(box.height - 1)] + [[Segment("─" * box.width, UNDERLINE)]]


def _bar(text: Text, width: int, padding: int = 0) -> Row:
    inner = list(Segment.apply_style(text_segments(text), BAR))
    inner = Segment.adjust_line_length(inner, width - 2 * padding, BAR)
    return [Segment(" " * padding, BAR), *inner, Segment(" " * padding, BAR)] if padding else inner


def _place(rows: list[Row], box: Box, lines: list[Row]) -> None:
    """Put ``lines`` in ``box``: the parts are laid out left to right, so a row is built by appending."""
    for y, line in enumerate(lines[: box.height]):
        rows[box.y + y].extend(line)


# -- the terminal ---------------------------------------------------------------


class FirstFrame:
    """A first frame on the terminal, and what to give back before Textual, or the shell, takes over."""

    __slots__ = ("records", "saved", "keys_fd", "screen_fd", "handed_over")

    def __init__(self, records: list[Record], saved: list, keys_fd: int, screen_fd: int) -> None:
        self.records = records
        #: The terminal's settings before the frame put it in raw mode, and the descriptors read and written.
        self.saved = saved
        self.keys_fd = keys_fd
        self.screen_fd = screen_fd
        #: Textual has taken the terminal over (its driver keeps and restores the settings from then on).
        self.handed_over = False

    def undo(self) -> None:
        """When the app never started: leave the frame's screen and give the terminal back as it was."""
        if self.handed_over:
            return
        os.write(self.screen_fd, b"\x1b[?25h\x1b[?1049l")
        # TCSANOW, not TCSAFLUSH: what was typed is the shell's now.
        termios.tcsetattr(self.keys_fd, termios.TCSANOW, self.saved)
        self.handed_over = True


def color_system(environ: dict[str, str]) -> ColorSystem | None:
    """The colours Textual's console will use, as rich decides them for a terminal (rich.console._detect_color_system)."""
    forced = environ.get("TEXTUAL_COLOR_SYSTEM", "auto")
    if forced != "auto":
        return {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT, "truecolor": ColorSystem.TRUECOLOR}.get(forced)
    term = environ.get("TERM", "").strip().lower()
    if term in ("dumb", "unknown"):
        return None
    if environ.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return ColorSystem.TRUECOLOR
    colors = term.rpartition("-")[2]
    return {"kitty": ColorSystem.EIGHT_BIT, "256color": ColorSystem.EIGHT_BIT, "16color": ColorSystem.STANDARD}.get(
        colors, ColorSystem.STANDARD
    )


def encode(rows: list[Row], system: ColorSystem) -> str:
    """The escape sequences that draw ``rows`` on a terminal with ``system`` colours."""
    out = ["\x1b[?2026h"]  # one synchronized update, where the terminal has them
    for y, row in enumerate(rows):
        out.append(f"\x1b[{y + 1};1H")
        out.extend(segment.style.render(segment.text, color_system=system) if segment.style else segment.text for segment in row)
    out.append("\x1b[?2026l")
    return "".join(out)


def draw_first_frame(
    paths: list[str], user_formats: tuple[LogFormat, ...], named_formats: Sequence[NamedFormat] = (), sidebar: bool | None = None
) -> FirstFrame | None:
    """Draw the app's first screen of ``paths`` now, on the terminal Textual will use; None where it would not be the app's.

    It holds twice as many of the newest records as the log pane has lines
    (a screen to scroll up through while the index is read, and the scrollbar
    the index's view will have): the app shows the same ones until the index
    has them. ``sidebar``: shown or not whatever the width (the config's
    default), as the app will show it.
    """
    environ = dict(os.environ)
    if "NO_COLOR" in environ:
        return None
    system = color_system(environ)
    stream = sys.__stderr__  # Textual's driver writes to standard error
    keys = sys.__stdin__
    if system is None or stream is None or keys is None or not stream.isatty() or not keys.isatty():
        return None
    # As Textual's driver reads it (COLUMNS and LINES first), so that both draw at the same size.
    width, height = shutil.get_terminal_size()
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        return None
    shown = sidebar_shown(width) if sidebar is None else sidebar
    newest = newest_records(paths, 2 * screen_layout(width, height, shown).log.height, user_formats, named_formats=named_formats)
    if newest is None or not newest.records:
        return None
    records = newest.records
    fd = keys.fileno()
    try:
        saved = termios.tcgetattr(fd)
        raw = termios.tcgetattr(fd)
    except termios.error:
        return None
    # Keys typed from now on wait, unread and not echoed, for the app: no line editing, no signals (Ctrl+C
    # is a key for the app), no flow control.
    raw[3] &= ~(termios.ECHO | termios.ICANON | termios.ISIG | termios.IEXTEN)
    raw[0] &= ~(termios.IXON | termios.ICRNL)
    termios.tcsetattr(fd, termios.TCSANOW, raw)
    frame = FirstFrame(records, saved, fd, stream.fileno())
    try:
        text = "\x1b[?1049h\x1b[?25l" + encode(first_screen(width, height, records, shown), system)
        os.write(stream.fileno(), text.encode("utf-8"))
    except Exception:
        frame.undo()
        raise
    from logview.core.parse.remembered import save

    save()  # the formats detected for the frame, written once it is drawn
    return frame
