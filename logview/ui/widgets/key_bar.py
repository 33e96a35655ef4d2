"""The key bar at the bottom: the main keys and what they do, as many as the width holds (? lists them all)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from logview.ui.status_line import key_bar_text


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar { height: 1; background: $panel; }
    """

    def render(self) -> Text:
        return key_bar_text(self.content_region.width)
