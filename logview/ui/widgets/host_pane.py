"""The Hosts pane: every host records came from (the journal's ``_HOSTNAME``, a sender's), with its count."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from textual.message import Message

from logview.core.index.host_clocks import HostClocks
from logview.core.index.symbols import ProcessTable
from logview.ui.widgets.toggled_pane import ToggledPane

#: A host's clock is shown beside it when it is at least this far (ms) from this machine's: less is the delivery's delay.
SKEW_SHOWN_MS = 500
#: How the records of no host (files, a local queue) are listed beside hosts.
NO_HOST_LABEL = "(this machine)"


class HostPane(ToggledPane[str, str]):
    """Checked hosts are shown; "" stands for the records that name no host.

    The kept list is ``--host``, the hidden entries are host names (see
    ToggledPane). A host's count is its processes' (a host is a process's,
    symbols.ProcessTable).
    """

    @dataclass
    class Changed(Message):
        hosts: tuple[str, ...]
        hidden: frozenset[str]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown_hosts: list[str] = []

    def update_counts(self, processes: ProcessTable, counts: np.ndarray, clocks: HostClocks | None = None) -> int:
        """Show each host's count, and its clock against this machine's once measured; how many hosts there are (0: no pane)."""
        per_host: dict[str, int] = {}
        for code, host in enumerate(processes.hosts):
            count = int(counts[code]) if code < len(counts) else 0
            per_host[host or ""] = per_host.get(host or "", 0) + count
        names = sorted(name for name in per_host if name)
        if not names:
            return 0
        if per_host.get("", 0):
            names.append("")
        self._shown_hosts = names
        self.show_items([(_label(name, per_host[name], clocks), name, self.is_shown(name)) for name in names])
        return len(names)

    def _in_kept(self, value: str) -> bool:
        return value in self.kept

    def _entries(self) -> list[str]:
        return self._shown_hosts

    def _changed(self) -> Changed:
        return self.Changed(self.kept, frozenset(self.hidden))


def _label(host: str, count: int, clocks: HostClocks | None) -> str:
    """``host-2 (80)``, and ``+1.2s`` when its clock is measured to be that far ahead of this machine's (records received live).

    Within SKEW_SHOWN_MS the measure cannot tell a lead from the delivery's delay, so nothing is shown.
    """
    label = f"{host or NO_HOST_LABEL} ({count:,})"
    offset = clocks.offset(host) if clocks is not None and host else None
    return label if offset is None or abs(offset.ahead) < SKEW_SHOWN_MS else f"{label} {offset.ahead / 1000:+.1f}s"
