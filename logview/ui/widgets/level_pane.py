"""The level pane: every level present, custom ones too, toggled one by one."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from textual.message import Message
from textual.widgets import SelectionList

from logview.core.index.symbols import LevelTable
from logview.ui.commands import bindings
from logview.ui.widgets.counted_list import CountedSelectionList


class LevelPane(CountedSelectionList[str]):
    """Checked levels are shown; ``a`` keeps the highlighted level and those above it.

    The pane's state is a floor (``--level``, or ``a``) and a set of hidden
    level names, exactly the two level criteria of :class:`Filters`.
    """

    BINDINGS = bindings("levels")

    @dataclass
    class Changed(Message):
        floor: int | None
        hidden: frozenset[str]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.floor: int | None = None
        self.hidden: set[str] = set()
        self._level_order: list[tuple[int, str]] = []

    def set_state(self, floor: int | None, hidden: set[str]) -> None:
        self.floor = floor
        self.hidden = set(hidden)

    def is_shown(self, number: int, name: str) -> bool:
        return name not in self.hidden and (self.floor is None or number >= self.floor)

    def update_counts(self, levels: LevelTable, counts: np.ndarray) -> None:
        """Show every level seen so far, ordered by level number, with its count."""
        present = sorted((levels.numbers[code] or 0, name, code) for code, name in levels.items())
        self._level_order = [(number, name) for number, name, _ in present]
        self.show_items(
            [
                (f"{name} ({int(counts[code]) if code < len(counts) else 0:,})", name, self.is_shown(number, name))
                for number, name, code in present
            ]
        )

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        name = event.selection.value
        if self.floor is not None:
            # A toggle under a floor: the floor becomes the levels it hides, then the toggle applies.
            self.hidden |= {level for number, level in self._level_order if number < self.floor}
            self.floor = None
        if name in self.hidden:
            self.hidden.discard(name)
        else:
            self.hidden.add(name)
        self.post_message(self.Changed(self.floor, frozenset(self.hidden)))

    def action_and_above(self) -> None:
        if self.highlighted is None or self.highlighted >= len(self._level_order):
            return
        self.floor = self._level_order[self.highlighted][0]
        self.hidden = set()
        with self.prevent(SelectionList.SelectionToggled, SelectionList.SelectedChanged):
            for number, name in self._level_order:
                if self.is_shown(number, name):
                    self.select(name)
                else:
                    self.deselect(name)
        self.post_message(self.Changed(self.floor, frozenset(self.hidden)))
