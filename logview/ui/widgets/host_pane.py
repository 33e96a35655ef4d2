"""The Hosts pane: every host records came from (the journal's ``_HOSTNAME``, a sender's), with its count."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from textual.message import Message
from textual.widgets import SelectionList

from logview.core.index.host_clocks import HostClocks
from logview.core.index.symbols import ProcessTable
from logview.ui.widgets.counted_list import CountedSelectionList

#: A host's clock is shown beside it when it is at least this far (ms) from this machine's: less is the delivery's delay.
SKEW_SHOWN_MS = 500
#: How the records of no host (files, a local queue) are listed beside hosts.
NO_HOST_LABEL = "(this machine)"


class HostPane(CountedSelectionList[str]):
    """Checked hosts are shown; "" stands for the records that name no host.

    The state is the ``--host`` list (shown when given) and a set of hidden
    hosts; the first toggle turns the list into hidden hosts. A host's count
    is its processes' (a host is a process's, symbols.ProcessTable).
    """

    @dataclass
    class Changed(Message):
        hosts: tuple[str, ...]
        hidden: frozenset[str]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hosts: tuple[str, ...] = ()
        self.hidden: set[str] = set()
        self._shown_hosts: list[str] = []

    def set_state(self, hosts: tuple[str, ...], hidden: set[str]) -> None:
        self.hosts = hosts
        self.hidden = set(hidden)

    def is_shown(self, host: str) -> bool:
        return host not in self.hidden and (not self.hosts or host in self.hosts)

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

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        host = event.selection.value
        if self.hosts:
            self.hidden |= {other for other in self._shown_hosts if other not in self.hosts}
            self.hosts = ()
        if host in self.hidden:
            self.hidden.discard(host)
        else:
            self.hidden.add(host)
        self.post_message(self.Changed(self.hosts, frozenset(self.hidden)))


def _label(host: str, count: int, clocks: HostClocks | None) -> str:
    """``host-2 (80)``, and ``+1.2s`` when its clock is measured to be that far ahead of this machine's (records received live).

    Within SKEW_SHOWN_MS the measure cannot tell a lead from the delivery's delay, so nothing is shown.
    """
    label = f"{host or NO_HOST_LABEL} ({count:,})"
    offset = clocks.offset(host) if clocks is not None and host else None
    return label if offset is None or abs(offset.ahead) < SKEW_SHOWN_MS else f"{label} {offset.ahead / 1000:+.1f}s"
