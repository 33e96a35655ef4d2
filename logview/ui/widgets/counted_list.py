"""A selection list whose options carry counts that change while records arrive."""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.text import Text
from textual.widgets import OptionList, SelectionList
from textual.widgets.selection_list import Selection

from logview.ui.colors import COLORS

Value = TypeVar("Value")


class CountedSelectionList(SelectionList[Value], Generic[Value]):
    """Options shown again and again with new counts, rebuilt only when the options themselves change.

    Clearing and adding options makes Textual lay the whole screen out again;
    a live source changes the counts several times a second, so when only
    the prompts differ they are replaced in place, and nothing is done when
    nothing differs.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: The prompts shown, in order.
        self._prompts: list[str | Text] = []

    DEFAULT_CSS = f"""
    CountedSelectionList > .selection-list--button, CountedSelectionList > .selection-list--button-highlighted {{
        color: {COLORS["off"]};
    }}
    """

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Toggle the option the key was pressed on, not the one highlighted when the message comes.

        Textual's SelectionList toggles whatever is highlighted when it
        handles the message, so ``space`` then ``down`` typed fast toggled
        the option below. The option is taken by its value: the options may
        have been rebuilt since (new counts, a new process).
        """
        event.stop()
        event.prevent_default()  # not SelectionList's own handler, which would toggle the highlighted option too
        value = event.option.value if isinstance(event.option, Selection) else None
        if value is not None and any(self.get_option_at_index(index).value == value for index in range(self.option_count)):
            self.toggle(value)

    def show_items(self, items: list[tuple[str, Value, bool]]) -> None:
        """Show one option per (prompt, value, checked), keeping the highlight where it was.

        An entry switched off is greyed, its box's mark too: Textual's own
        unchecked box is a black mark on dark blue, which reads as nothing.
        """
        checked = set(self.selected)
        values = [self.get_option_at_index(index).value for index in range(self.option_count)]
        shown = [(value, value in checked) for value in values]
        prompts = [prompt if on else Text(prompt, style=COLORS["off"]) for prompt, _, on in items]
        if shown == [(value, check) for _, value, check in items]:
            for index, (prompt, old_prompt) in enumerate(zip(prompts, self._prompts, strict=True)):
                if prompt != old_prompt:
                    self.replace_option_prompt_at_index(index, prompt)
            self._prompts = prompts
            return
        self._prompts = prompts
        highlighted = self.highlighted
        with self.prevent(SelectionList.SelectionToggled, SelectionList.SelectedChanged):
            self.clear_options()
            self.add_options([Selection(prompt, value, checked) for prompt, (_, value, checked) in zip(prompts, items, strict=True)])
        if self.option_count:
            self.highlighted = min(highlighted or 0, self.option_count - 1)
