"""The Hosts pane: every host records came from (the journal's ``_HOSTNAME``, a sender's), with its count."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from textual.message import Message
from textual.widgets import SelectionList

from logview.core.index.symbols import ProcessTable
from logview.ui.widgets.counted_list import CountedSelectionList

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

    def update_counts(self, processes: ProcessTable, counts: np.ndarray) -> int:
        """Show each host's count; how many hosts there are (0: the pane takes no rows)."""
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
        self.show_items([(f"{name or NO_HOST_LABEL} ({per_host[name]:,})", name, self.is_shown(name)) for name in names])
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
