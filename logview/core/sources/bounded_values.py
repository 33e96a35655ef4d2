"""A sender's values, copied and shown within a budget, without recursion.

``repr`` and ``%`` formatting recurse into containers and follow every
reference: a list nested 16,000 deep overflows them, and 30 levels that each
hold the level below twice is 2**30 items from a 328-byte pickle. So a
value is first copied by an explicit walk that counts each value every time
it is reached (shared ones too) and each character, and stops at a depth;
what is left out is a visible ``…``. The copy is then small and shallow
enough for ``repr`` and ``%``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

__all__ = ["MAX_DEPTH", "MAX_INT_BITS", "MAX_NODES", "Budget", "bounded_copy", "bounded_text", "cut_mark", "cut_text"]

#: Values (every item, key and value, counted each time it is reached) copied from one sent value.
MAX_NODES = 10_000
#: Containers nested deeper than this are shown as ``…``: repr's recursion stays far from any limit.
MAX_DEPTH = 32
#: Integers longer than this are shown by their size: str() refuses over 4,300 digits (~14,000 bits).
MAX_INT_BITS = 10_000

_CONTAINERS = frozenset((list, tuple, dict, set, frozenset))


class Cut:
    """Stands in a copy where values were left out: ``repr`` and ``str`` show what it replaced."""

    __slots__ = ("shown",)

    def __init__(self, shown: str) -> None:
        self.shown = shown

    def __repr__(self) -> str:
        return self.shown

    __str__ = __repr__


_MORE = Cut("…")


@dataclass
class Budget:
    """What is left to copy, shared by the values of one record; ``cuts`` says why anything was left out."""

    nodes: int = MAX_NODES
    chars: int = 1 << 20
    cuts: set[str] = field(default_factory=set)


def bounded_copy(value: Any, budget: Budget) -> Any:
    """A copy of ``value`` within ``budget`` and ``MAX_DEPTH``, made of the same plain types and :class:`Cut`.

    Walked with an explicit stack: nothing here or in the ``repr`` of the copy
    recurses more than ``MAX_DEPTH`` deep, whatever the sender nested.
    """
    top: list[Any] = []
    # Each open container: its type, an iterator over what it holds (a dict's keys and values in turn), and their copies.
    stack: list[tuple[type, Iterator[Any], list[Any]]] = [(list, iter((value,)), top)]
    while stack:
        _kind, children, copies = stack[-1]
        opened = False
        for child in children:
            budget.nodes -= 1
            if budget.nodes < 0:
                budget.cuts.add(f"over {MAX_NODES:,} values")
                copies.append(_MORE)
                break
            kind = type(child)
            if kind not in _CONTAINERS:
                copies.append(_scalar(child, budget))
            elif len(stack) > MAX_DEPTH:
                budget.cuts.add(f"nested over {MAX_DEPTH} deep")
                copies.append(_MORE)
            else:
                held = chain.from_iterable(child.items()) if kind is dict else iter(child)
                stack.append((kind, held, []))
                opened = True
                break
        if opened:
            continue
        kind, _children, copies = stack.pop()
        if stack:
            stack[-1][2].append(_build(kind, copies))
    return top[0]


def _scalar(value: Any, budget: Budget) -> Any:
    kind = type(value)
    if kind is str or kind is bytes or kind is bytearray:
        size = len(value)
        budget.chars -= size
        if budget.chars < 0:
            budget.cuts.add("over the length of a message")
            kept = max(0, size + budget.chars)
            budget.chars = 0
            return value[:kept] + ("…" if kind is str else b"...")
        return value
    if kind is int:
        bits = value.bit_length()
        if bits > MAX_INT_BITS:
            budget.cuts.add(f"an integer over {MAX_INT_BITS:,} bits")
            return Cut(f"<an integer of {bits:,} bits>")
        budget.chars -= bits // 3 + 1
        return value
    if value is None or kind is bool or kind is float:
        budget.chars -= 8
        return value
    return Cut(f"<{kind.__name__}>")  # nothing else comes out of a plain-data pickle


def _build(kind: type, copies: list[Any]) -> Any:
    if kind is dict:
        if len(copies) % 2:
            copies.append(_MORE)  # cut between a key and its value
        return dict(zip(copies[::2], copies[1::2], strict=True))
    return kind(copies)


def bounded_text(value: Any, limit: int) -> tuple[str, set[str]]:
    """``value`` as ``str`` shows it, within ``limit`` characters and marked where cut, and why it was cut (empty if not)."""
    if type(value) is str:
        return cut_text(value, limit)
    budget = Budget(chars=limit)
    text, cuts = cut_text(str(bounded_copy(value, budget)), limit)
    return text + cut_mark(budget), budget.cuts | cuts


def cut_mark(budget: Budget) -> str:
    """What says, after a value's text, that values were left out of it (each is a ``…`` where it was)."""
    return f" [logview: cut: {', '.join(sorted(budget.cuts))}]" if budget.cuts else ""


def cut_text(text: str, limit: int) -> tuple[str, set[str]]:
    """``text`` if it is within ``limit`` characters, else its start, marked with how much was cut."""
    if len(text) <= limit:
        return text, set()
    return f"{text[:limit]}… [logview: {len(text) - limit:,} more characters cut]", {f"over {limit:,} characters"}
