"""The level pane: every level present, custom ones too, toggled one by one."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from textual.binding import Binding
from textual.message import Message
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from logview.core.index.symbols import LevelTable


class LevelPane(SelectionList[str]):
    """Checked levels are shown; ``a`` keeps the highlighted level and those above it."""

    BINDINGS = [Binding("a", "and_above", "This level and above")]

    @dataclass
    class Changed(Message):
        hidden: frozenset[str]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Levels (l)"
        self._level_order: list[tuple[int, str]] = []
        self._hidden_levels: set[str] = set()

    def update_counts(self, levels: LevelTable, counts: np.ndarray) -> None:
        """Show every level seen so far, ordered by level number, with its count."""
        present = [(levels.numbers[code] or 0, name, code) for code, name in levels.items()]
        present.sort()
        highlighted = self.highlighted
        self.clear_options()
        self._level_order = [(number, name) for number, name, _ in present]
        self.add_options(
            [
                Selection(f"{name} ({int(counts[code]) if code < len(counts) else 0:,})", name, name not in self._hidden_levels)
                for _, name, code in present
            ]
        )
        if highlighted is not None and highlighted < self.option_count:
            self.highlighted = highlighted

    def set_hidden(self, hidden: set[str]) -> None:
        self._hidden_levels = set(hidden)

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        name = event.selection.value
        if name in self._hidden_levels:
            self._hidden_levels.discard(name)
        else:
            self._hidden_levels.add(name)
        self.post_message(self.Changed(frozenset(self._hidden_levels)))

    def action_and_above(self) -> None:
        if self.highlighted is None or self.highlighted >= len(self._level_order):
            return
        floor = self._level_order[self.highlighted][0]
        self._hidden_levels = {name for number, name in self._level_order if number < floor}
        for number, name in self._level_order:
            if number < floor:
                self.deselect(name)
            else:
                self.select(name)
        self.post_message(self.Changed(frozenset(self._hidden_levels)))
