"""The text filters of the focused pane, like lnav's filter-in and filter-out: listed, removable."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class TextFilterList(OptionList):
    """``+ regex`` shows only matching records, ``− regex`` hides them; Delete removes one."""

    BINDINGS = [Binding("delete,backspace,x", "remove", "Remove filter")]

    DEFAULT_CSS = """
    TextFilterList { height: auto; max-height: 8; }
    """

    @dataclass
    class Removed(Message):
        pattern: str
        keep: bool

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Text filters (+ −)"
        self.patterns: list[tuple[str, bool]] = []

    def set_patterns(self, include: tuple[str, ...], exclude: tuple[str, ...]) -> None:
        self.patterns = [(pattern, True) for pattern in include] + [(pattern, False) for pattern in exclude]
        self.clear_options()
        if not self.patterns:
            self.add_option(Option("none: + shows matches only, − hides them", disabled=True))
            return
        self.add_options([Option(f"{'+' if keep else '−'} {pattern}") for pattern, keep in self.patterns])
        self.highlighted = 0

    def action_remove(self) -> None:
        if self.highlighted is None or self.highlighted >= len(self.patterns):
            return
        pattern, keep = self.patterns[self.highlighted]
        self.post_message(self.Removed(pattern, keep))
