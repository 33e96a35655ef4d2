"""The viewer's colours keep their meaning on 256- and 16-colour terminals.

A 16-colour terminal shows the nearest of its own colours: named colours, mapped
through Textual's theme first, came out as WARNING bright red and ERROR magenta.
"""

from __future__ import annotations

import io
import logging

import pytest
from rich.color import Color, ColorSystem
from rich.console import Console

from logview.core.record import Record
from logview.ui.colors import CHROME, COLORS
from logview.ui.record_lines import ColumnWidths, level_style, record_lines

#: The 16-colour numbers (normal and bright) each role must come out as.
EXPECTED = {
    "time": {6, 14},  # cyan
    "logger": {2, 10},  # green
    "process": {4, 12},  # blue
    "debug": {7, 8},  # grey
    "warning": {3, 11},  # yellow
    "error": {1, 9},  # red
    "critical": {1, 9},  # a red background
    "critical-text": {15, 7},  # white on it
    "match": {5, 13},  # magenta
    "follow": {2, 10},  # a green badge
    "paused": {3, 11},  # a yellow one
    "off": {7},  # light grey: readable on the dark grey (8) of an unfocused pane's highlighted row
}


def sixteen(color: str) -> int | None:
    return Color.parse(color).downgrade(ColorSystem.STANDARD).number


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_colour_keeps_its_meaning_in_16_colours(role: str) -> None:
    assert sixteen(COLORS[role]) in EXPECTED[role]


def test_a_switched_off_entry_reads_on_the_highlight_of_an_unfocused_pane_in_16_colours() -> None:
    """The sidebar's lists are Textual's: their highlighted row, when the pane has not the focus, is the theme's colour."""
    from textual.color import Color as TextualColor

    from logview.ui.app import LogViewApp

    variables = LogViewApp([]).get_css_variables()
    highlight = TextualColor.parse(CHROME["surface"]) + TextualColor.parse(variables["block-cursor-blurred-background"])
    assert sixteen(COLORS["off"]) not in {sixteen(highlight.hex), sixteen(CHROME["surface"])}


def test_a_focused_border_is_not_an_alarm_in_16_colours() -> None:
    assert sixteen(CHROME["border-focus"]) in {3, 11}  # yellow, as orange is there; not the red of errors


@pytest.mark.parametrize(("level", "codes"), [(logging.WARNING, {"33", "93"}), (logging.ERROR, {"31", "91"})])
def test_a_record_line_on_a_16_colour_terminal(level: int, codes: set[str]) -> None:
    record = Record(0, logging.getLevelName(level), level, "app", 1, "something happened", "app.log", 1, "", {})
    console = Console(file=io.StringIO(), color_system="standard", force_terminal=True, width=200)
    (line,) = record_lines(record, ColumnWidths(level=8, logger=16, pid=6), folded=False)
    console.print(line)
    written = console.file.getvalue()  # type: ignore[attr-defined]
    level_codes = {code for code in codes if f"\x1b[{code}m{logging.getLevelName(level)}" in written}
    assert level_codes, written
    assert level_style(level).color is not None and level_style(level).color.name.startswith("#")
