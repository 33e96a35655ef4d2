"""The search bar: a regex or plain text; a bad regex is reported here, never raised."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class SearchBar(Input):
    """Enter searches; Escape closes the bar."""

    BINDINGS = [Binding("escape", "close", "Close search", show=False)]

    DEFAULT_CSS = """
    SearchBar { dock: bottom; display: none; }
    SearchBar.-open { display: block; }
    SearchBar.-error { border: tall $error; border-title-color: $error; }
    """

    @dataclass
    class Search(Message):
        pattern: re.Pattern[str] | None
        text: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="search: regex or text (Enter to search, Esc to close)", id=id)

    def open(self) -> None:
        self.add_class("-open")
        self.focus()

    def action_close(self) -> None:
        self.remove_class("-open")
        self.screen.focus_next()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value
        error = search_error(text) if text else None
        if error is not None:
            # Reported here, in the bar, which stays open for the pattern to be mended.
            self.border_title = error
            self.add_class("-error")
            return
        self.border_title = None
        self.remove_class("-error")
        self.post_message(self.Search(compile_search(text), text))
        self.remove_class("-open")


def compile_search(text: str) -> re.Pattern[str] | None:
    """The pattern for ``text``: a regex when it compiles, else None."""
    if not text:
        return None
    try:
        return re.compile(text)
    except re.error:
        return None


def search_error(text: str) -> str | None:
    try:
        re.compile(text)
    except re.error as error:
        return f"invalid regex {text!r}: {error}"
    return None
