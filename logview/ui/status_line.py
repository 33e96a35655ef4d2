"""The text of the status bar and of the key bar, fitted to the terminal's width.

Pure text, no Textual: the bars draw it, and so does the first frame drawn
before Textual is loaded. At 80 columns not everything fits: each part has a
rank, and the least needed go first, so that what the user acts on (records
shown of the total, the search's matches, whether the view follows) stays.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text

from logview.ui.colors import COLORS
from logview.ui.commands import key_bar_items

SEPARATOR = " │ "
FOLLOW_STYLE = Style(bold=True, color=COLORS["badge-text"], bgcolor=COLORS["follow"])
PAUSED_STYLE = Style(bold=True, color=COLORS["badge-text"], bgcolor=COLORS["paused"])
KEY_STYLE = Style(bold=True, color=COLORS["key"])
HINT_STYLE = Style(color=COLORS["hint"])
#: The key bar's last items, kept at any width.
ALWAYS_SHOWN = ("keys", "quit")
PALETTE_HINT = ("^p", "palette")


class StatusParts(NamedTuple):
    """What the status bar tells, before it is fitted to a width."""

    shown: int
    total: int
    #: "following" (a badge), "paused" (follow paused by scrolling up; G resumes) or "".
    follow: str = ""
    #: The search and its matches: "/needle: match 3 of 64".
    search: str = ""
    #: Progress, errors, a notice ("reading… 2,000 records").
    note: str = ""
    sources: str = ""
    #: The time of the record under the cursor.
    time: str = ""
    #: The first column shown, when the view is scrolled sideways.
    column: int = 0


def status_text(parts: StatusParts, width: int) -> Text:
    """The status line for ``parts``, dropping the least needed parts until it fits in ``width``."""
    # (rank, text, style): the highest ranks go first; ranks 0 and 1 stay, the line's end cut if need be.
    pieces: list[tuple[int, str, Style | None]] = []
    if parts.total or not parts.note.startswith("reading"):
        pieces.append((0, f"{parts.shown:,} / {parts.total:,} records", None))
    if parts.follow == "following":
        pieces.append((0, " FOLLOW ", FOLLOW_STYLE))
    elif parts.follow == "paused":
        pieces.append((0, " PAUSED: G follows ", PAUSED_STYLE))
    if parts.search:
        pieces.append((0, parts.search, None))
    if parts.note:
        pieces.append((1, parts.note, None))
    if parts.time:
        pieces.append((2, parts.time, None))
    if parts.column:
        pieces.append((2, f"col {parts.column + 1}", None))
    if parts.sources:
        pieces.append((3, parts.sources, None))
    while len(pieces) > 1 and _width(pieces) > width:
        worst = max(rank for rank, _, _ in pieces)
        if worst <= 1:
            break
        last = max(index for index, (rank, _, _) in enumerate(pieces) if rank == worst)
        del pieces[last]
    if _width(pieces) > width:
        # Still too wide (80 columns, paused, a search): the shorter spellings, so that the search's count stays seen.
        pieces = [(rank, _compact(piece, parts), style) for rank, piece, style in pieces]
    text = Text(no_wrap=True, end="", overflow="ellipsis")
    for index, (_, piece, style) in enumerate(pieces):
        if index:
            text.append(SEPARATOR)
        text.append(piece, style or Style())
    text.truncate(max(width, 0), overflow="ellipsis")
    return text


def _compact(piece: str, parts: StatusParts) -> str:
    """A part of the status line in its short spelling: "1,000 records" when all are shown, the badge without its hint."""
    if piece == " PAUSED: G follows ":
        return " PAUSED "
    if parts.shown == parts.total and piece == f"{parts.shown:,} / {parts.total:,} records":
        return f"{parts.total:,} records"
    return piece


def key_bar_text(width: int) -> Text:
    """The key bar: the main keys and what they do, as many as fit, with ? and q always last."""
    items = key_bar_items()
    kept = [item for item in items if item[1] in ALWAYS_SHOWN]
    optional = [item for item in items if item[1] not in ALWAYS_SHOWN]
    chosen: list[tuple[str, str]] = []
    for item in optional:
        if _items_width([*chosen, item, *kept]) <= width:
            chosen.append(item)
    shown = [*chosen, *kept]
    text = _items(shown)
    if _items_width([*shown, PALETTE_HINT]) + 2 <= width:
        palette = _items([PALETTE_HINT])
        text.append(" " * (width - text.cell_len - palette.cell_len))
        text.append_text(palette)
    text.truncate(max(width, 0))
    return text


def _items(items: list[tuple[str, str]]) -> Text:
    text = Text(no_wrap=True, end="")
    for keys, label in items:
        text.append(" ")
        text.append(keys, KEY_STYLE)
        text.append(f" {label} ", HINT_STYLE)
    return text


def _items_width(items: list[tuple[str, str]]) -> int:
    return sum(len(keys) + len(label) + 3 for keys, label in items)


def _width(pieces: list[tuple[int, str, Style | None]]) -> int:
    return sum(len(piece) for _, piece, _ in pieces) + len(SEPARATOR) * (len(pieces) - 1)
