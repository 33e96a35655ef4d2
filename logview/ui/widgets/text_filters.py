"""The text filters of the focused pane, like lnav's filter-in and filter-out: listed, switched off and on, removed."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from logview.core.filters import TextFilter
from logview.ui.commands import bindings


class TextFilterList(OptionList):
    """``+ regex`` keeps the records matching it (any of the filter-ins), ``− regex`` hides them.

    Space switches the highlighted filter off (it stays listed, filtering
    nothing) and on again; Delete removes it.
    """

    BINDINGS = bindings("filters")

    DEFAULT_CSS = """
    TextFilterList { height: auto; max-height: 8; }
    """

    @dataclass
    class Changed(Message):
        """The filters as the user left them."""

        filters: tuple[TextFilter, ...]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filters: tuple[TextFilter, ...] = ()

    def set_filters(self, filters: tuple[TextFilter, ...]) -> None:
        self.filters = filters
        highlighted = self.highlighted
        self.clear_options()
        if not filters:
            return  # the border's title tells the keys
        self.add_options([Option(_label(text_filter)) for text_filter in filters])
        self.highlighted = min(highlighted or 0, len(filters) - 1)

    def action_toggle_filter(self) -> None:
        index = self._highlighted_filter()
        if index is not None:
            old = self.filters[index]
            changed = TextFilter(old.pattern, old.keep, not old.enabled)
            self.post_message(self.Changed((*self.filters[:index], changed, *self.filters[index + 1 :])))

    def action_remove(self) -> None:
        index = self._highlighted_filter()
        if index is not None:
            self.post_message(self.Changed(self.filters[:index] + self.filters[index + 1 :]))

    def _highlighted_filter(self) -> int | None:
        index = self.highlighted
        return index if index is not None and index < len(self.filters) else None


def _label(text_filter: TextFilter) -> str:
    sign = "+" if text_filter.keep else "−"
    return f"{sign} {text_filter.pattern}" if text_filter.enabled else f"{sign} {text_filter.pattern} (off)"
