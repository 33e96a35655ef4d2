"""The PID pane: every process, with its name where the format logs one, and its count."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from textual.message import Message
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from logview.core.index.symbols import ProcessTable


class PidPane(SelectionList[int]):
    """Checked processes are shown; all checked means no PID filter."""

    @dataclass
    class Changed(Message):
        hidden_codes: frozenset[int]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Processes (p)"
        self._hidden_codes: set[int] = set()

    def update_counts(self, processes: ProcessTable, counts: np.ndarray) -> None:
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(
            [
                Selection(
                    f"{processes.label(code)} ({int(counts[code]) if code < len(counts) else 0:,})", code, code not in self._hidden_codes
                )
                for code in range(1, len(processes))
            ]
        )
        if highlighted is not None and highlighted < self.option_count:
            self.highlighted = highlighted

    def set_hidden(self, codes: set[int]) -> None:
        self._hidden_codes = set(codes)

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled[int]) -> None:
        event.stop()
        code = event.selection.value
        if code in self._hidden_codes:
            self._hidden_codes.discard(code)
        else:
            self._hidden_codes.add(code)
        self.post_message(self.Changed(frozenset(self._hidden_codes)))
