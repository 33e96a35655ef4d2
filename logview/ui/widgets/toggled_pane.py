"""A sidebar pane narrowed by a list from the command line until its first toggle, then by the entries hidden."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

from textual.message import Message
from textual.widgets import SelectionList

from logview.ui.widgets.counted_list import CountedSelectionList

Value = TypeVar("Value")
Kept = TypeVar("Kept")


class ToggledPane(CountedSelectionList[Value], Generic[Value, Kept]):
    """Checked entries are shown: those the kept list names (all when it is empty), less the hidden ones.

    The state is the filters' two criteria: the kept list (``--host``,
    ``--pid``) and the entries hidden. A toggle is said by the hidden set
    alone, so the first one turns the list into the entries it leaves out;
    later ones add to and take from those. The list may name entries by
    something other than their values (pids against process codes), so a
    subclass says what there is and what the list keeps.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: Only what this names is shown (a filter from the command line); empty until set: everything.
        self.kept: tuple[Kept, ...] = ()
        self.hidden: set[Value] = set()

    def set_state(self, kept: tuple[Kept, ...], hidden: set[Value]) -> None:
        self.kept = kept
        self.hidden = set(hidden)

    def is_shown(self, value: Value) -> bool:
        return value not in self.hidden and (not self.kept or self._in_kept(value))

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled[Value]) -> None:
        event.stop()
        value = event.selection.value
        if self.kept:
            self.hidden |= {other for other in self._entries() if not self._in_kept(other)}
            self.kept = ()
        if value in self.hidden:
            self.hidden.discard(value)
        else:
            self.hidden.add(value)
        self.post_message(self._changed())

    def _in_kept(self, value: Value) -> bool:
        """Whether the kept list names ``value`` (only asked while the list is not empty)."""
        raise NotImplementedError

    def _entries(self) -> Iterable[Value]:
        """Every entry the kept list could leave out: those it does are what it becomes at the first toggle."""
        raise NotImplementedError

    def _changed(self) -> Message:
        """The pane's own message with the new state: the sidebar tells the panes' messages apart by their class."""
        raise NotImplementedError
