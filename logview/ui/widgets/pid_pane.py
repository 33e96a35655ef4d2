"""The PID pane: every process, with its name where the format logs one, and its count."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from textual.message import Message

from logview.core.index.symbols import ProcessTable
from logview.ui.widgets.toggled_pane import ToggledPane


class PidPane(ToggledPane[int, int]):
    """Checked processes are shown.

    The kept list is ``--pid``, the hidden entries are process codes (see
    ToggledPane): a process may have a name and no pid, and a pid may be
    two processes on two hosts.
    """

    @dataclass
    class Changed(Message):
        pids: tuple[int, ...]
        hidden_codes: frozenset[int]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._processes: ProcessTable | None = None

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

    def _in_kept(self, value: int) -> bool:
        return self._processes is not None and self._processes.pids[value] in self.kept

    def _entries(self) -> range:
        # The table as it is now, not as last listed: a process come since then that --pid left out stays out.
        return range(1, len(self._processes)) if self._processes is not None else range(0)

    def _changed(self) -> Changed:
        return self.Changed(self.kept, frozenset(self.hidden))
