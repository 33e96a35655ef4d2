"""The logger pane: the dotted hierarchy as a tree, a count per node, toggled by subtree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from logview.core.filters import logger_matches
from logview.core.index.symbols import SymbolTable
from logview.ui.commands import bindings

SHOWN, HIDDEN, MIXED = "☑", "☐", "▣"


class LoggerTree(Tree[str]):
    """Space toggles the highlighted logger and everything under it.

    The state is the ``--logger`` list (only those subtrees are shown when it
    is given) and the hidden subtrees (``--exclude-logger`` and toggles): the
    two logger criteria of :class:`Filters`.
    """

    BINDINGS = bindings("loggers")

    @dataclass
    class Changed(Message):
        shown: tuple[str, ...]
        hidden: tuple[str, ...]
        hidden_names: frozenset[str]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("loggers", id=id)
        self.show_root = False
        self.hidden: set[str] = set()
        self.shown: set[str] = set()
        #: Loggers whose own records stay hidden while a descendant is shown again.
        self.hidden_names: set[str] = set()
        self._logger_nodes: dict[str, TreeNode[str]] = {}
        self._subtree_counts: dict[str, int] = {}
        self._labels: dict[str, str] = {}

    @property
    def logger_nodes(self) -> Mapping[str, TreeNode[str]]:
        """Each logger's node by its dotted name, parents first: where to move the cursor to reach a logger."""
        return self._logger_nodes

    @property
    def subtree_counts(self) -> Mapping[str, int]:
        """The records of each logger and the loggers under it, under the other filters: the counts the labels show."""
        return self._subtree_counts

    def update_counts(self, loggers: SymbolTable, counts: np.ndarray) -> None:
        """Add loggers seen so far and refresh every node's count (its subtree's records)."""
        totals: dict[str, int] = {}
        for code, name in loggers.items():
            count = int(counts[code]) if code < len(counts) else 0
            parts = name.split(".")
            for depth in range(1, len(parts) + 1):
                prefix = ".".join(parts[:depth])
                totals[prefix] = totals.get(prefix, 0) + count
        self._subtree_counts = totals
        for name in sorted(totals):
            if name not in self._logger_nodes:
                parent_name = name.rpartition(".")[0]
                parent = self._logger_nodes.get(parent_name, self.root) if parent_name else self.root
                self._logger_nodes[name] = parent.add(name, data=name, expand=True, allow_expand=True)
        self._relabel()
        for node in self._logger_nodes.values():
            node.allow_expand = bool(node.children)

    def _relabel(self) -> None:
        """Give each node its label, setting only those that changed: each one set redraws the tree."""
        for name, node in self._logger_nodes.items():
            label = self._label(name)
            if label != self._labels.get(name):
                self._labels[name] = label
                node.set_label(label)

    def _label(self, name: str) -> str:
        return f"{self._mark(name)} {name.rpartition('.')[2]} ({self._subtree_counts.get(name, 0):,})"

    def _mark(self, name: str) -> str:
        """☑ the whole subtree shown, ☐ all of it hidden, ▣ some of each."""
        subtree = [logger for logger in self._logger_nodes if logger_matches(logger, name)]
        hidden = sum(1 for logger in subtree if self.is_hidden(logger))
        if hidden == 0:
            return SHOWN
        return HIDDEN if hidden == len(subtree) else MIXED

    def is_hidden(self, name: str) -> bool:
        if name in self.hidden_names:
            return True
        if self.shown and not any(logger_matches(name, shown) for shown in self.shown):
            return True
        return any(logger_matches(name, hidden) for hidden in self.hidden)

    def set_state(self, shown: set[str], hidden: set[str], hidden_names: set[str]) -> None:
        self.shown = set(shown)
        self.hidden = set(hidden)
        self.hidden_names = set(hidden_names)

    def action_toggle_logger(self) -> None:
        node = self.cursor_node
        if node is None or node.data is None:
            return
        name = node.data
        if self.shown and not any(logger_matches(name, shown) for shown in self.shown):
            # Outside the --logger subtrees: showing it adds its subtree to them.
            self.shown.add(name)
            self.hidden = {hidden for hidden in self.hidden if not logger_matches(hidden, name)}
        elif self.is_hidden(name):
            # Show this subtree again: drop every hide at or under it, and above it split the hide.
            ancestors = [hidden for hidden in self.hidden if logger_matches(name, hidden) and hidden != name]
            self.hidden = {hidden for hidden in self.hidden if not logger_matches(hidden, name)}
            self.hidden_names = {hidden for hidden in self.hidden_names if not logger_matches(hidden, name)}
            for ancestor in ancestors:
                self.hidden.discard(ancestor)
                self._hide_siblings_of_path(ancestor, name)
        else:
            self.hidden = {hidden for hidden in self.hidden if not logger_matches(hidden, name)}
            self.hidden_names = {hidden for hidden in self.hidden_names if not logger_matches(hidden, name)}
            self.hidden.add(name)
        self._relabel()
        self.post_message(self.Changed(tuple(sorted(self.shown)), tuple(sorted(self.hidden)), frozenset(self.hidden_names)))

    def _hide_siblings_of_path(self, ancestor: str, shown: str) -> None:
        """Keep hidden everything under ``ancestor`` except the path down to ``shown``."""
        node = self._logger_nodes[ancestor]
        path = shown.split(".")
        depth = len(ancestor.split("."))
        while depth < len(path):
            keep = ".".join(path[: depth + 1])
            for child in node.children:
                if child.data is not None and child.data != keep:
                    self.hidden.add(child.data)
            self.hidden_names.add(".".join(path[:depth]))
            node = self._logger_nodes[keep]
            depth += 1
