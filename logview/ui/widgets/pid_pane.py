"""The PID pane: every process, with its name where the format logs one, and its count."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from textual.message import Message
from textual.widgets import SelectionList

from logview.core.index.symbols import ProcessTable
from logview.ui.widgets.counted_list import CountedSelectionList


class PidPane(CountedSelectionList[int]):
    """Checked processes are shown.

    The state is the ``--pid`` list (shown when given) and a set of hidden
    process codes; the first toggle turns the list into hidden codes.
    """

    @dataclass
    class Changed(Message):
        pids: tuple[int, ...]
        hidden_codes: frozenset[int]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pids: tuple[int, ...] = ()
        self.hidden: set[int] = set()
        self._processes: ProcessTable | None = None

    def set_state(self, pids: tuple[int, ...], hidden: set[int]) -> None:
        self.pids = pids
        self.hidden = set(hidden)

    def is_shown(self, code: int) -> bool:
        if code in self.hidden:
            return False
        return not self.pids or (self._processes is not None and self._processes.pids[code] in self.pids)

    def update_counts(self, processes: ProcessTable, counts: np.ndarray) -> None:
        self._processes = processes
        # By pid, then name: the order the codes were given in depends on which file a parse thread read first.
        codes = sorted(
            range(1, len(processes)),
            key=lambda code: (processes.pids[code] is None, processes.pids[code] or 0, processes.names[code] or ""),
        )
        self.show_items(
            [(f"{processes.label(code)} ({int(counts[code]) if code < len(counts) else 0:,})", code, self.is_shown(code)) for code in codes]
        )

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled[int]) -> None:
        event.stop()
        code = event.selection.value
        if self.pids and self._processes is not None:
            self.hidden |= {other for other in range(1, len(self._processes)) if self._processes.pids[other] not in self.pids}
            self.pids = ()
        if code in self.hidden:
            self.hidden.discard(code)
        else:
            self.hidden.add(code)
        self.post_message(self.Changed(self.pids, frozenset(self.hidden)))
