"""The viewer's colours, by role, in one table.

Explicit RGB values rather than named ANSI colours: Textual maps a named
colour through its theme to RGB and a 16-colour terminal then shows the
nearest of its own palette, which turned WARNING bright red and ERROR magenta.
Each value here is chosen so that its 256- and 16-colour downgrades keep its
meaning (tests/unit/test_colors.py checks them).
"""

from __future__ import annotations

COLORS: dict[str, str] = {
    # The record's columns.
    "time": "#56b6c2",  # cyan
    "logger": "#5faf5f",  # green
    "process": "#5f87d7",  # blue
    # Levels: DEBUG grey, INFO the default text colour, WARNING yellow, ERROR red, CRITICAL white on red.
    "debug": "#767676",
    "warning": "#d7af00",
    "error": "#ff5f5f",
    "critical": "#d70000",
    "critical-text": "#ffffff",
    # Search matches and folded records.
    "match": "#af00af",
    "match-text": "#ffffff",
    "fold": "#d75fd7",
    # The status bar's badges (following, paused) and the key bar.
    "follow": "#5faf00",
    "paused": "#d7af00",
    "badge-text": "#000000",
    "key": "#ffaf00",
    "hint": "#bcbcbc",
    # A level, logger or process switched off in the sidebar: a grey that stays light grey (7) on 16
    # colours, where #767676 was the dark grey (8) of an unfocused pane's highlighted row, and vanished.
    "off": "#808080",
}

#: The screen's own colours: backgrounds, borders and text, as Textual's dark theme has them. The
#: stylesheet takes them as ``$lv-…`` variables (LogViewApp.get_css_variables) and the first frame,
#: drawn before Textual is loaded, paints with the same values.
CHROME: dict[str, str] = {
    "background": "#121212",
    "surface": "#1E1E1E",
    "log": "#1E1E1E",
    "log-focus": "#232323",
    "panel": "#242F38",
    "border": "#33424E",
    # Orange; #FEA62B, Textual's, is bright red on 16 colours: an alarm where there is none.
    "border-focus": "#ffaf00",
    # The panes' titles: readable on the dark border, which Textual's default draws them in.
    "title": "#A8A8A8",
    "text": "#E0E0E0",
}


def css_variables() -> dict[str, str]:
    """The colours as the stylesheet's variables: ``$lv-border`` and so on."""
    return {f"lv-{name}": value for name, value in {**COLORS, **CHROME}.items()}
