"""Recognise rotation sets and put their files in the order they were written.

RotatingFileHandler writes ``app.log`` and shifts older files to ``app.log.1``
… ``app.log.N`` (higher is older); TimedRotatingFileHandler names them
``app.log.2023-01-20`` (and ``_HH``, ``_HH-MM``, ``_HH-MM-SS``); the cookbook's
rotator and namer add ``.gz``. The shell's order (``app.log.10`` before
``app.log.2``) is never the writing order.
"""

from __future__ import annotations

import re
from typing import NamedTuple

COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz")
_NUMBERED = re.compile(r"^(?P<base>.+)\.(?P<number>\d+)$")
_TIMED = re.compile(r"^(?P<base>.+)\.(?P<stamp>\d{4}-\d{2}-\d{2}(?:_\d{2}(?:-\d{2}){0,2})?)$")


class RotationName(NamedTuple):
    """Where one file name stands in its rotation set."""

    name: str
    base: str
    rank: tuple[int, int | str]  # sorts oldest first: timed (0, stamp), numbered (1, -n), current (2, 0)


def parse_rotation_name(name: str) -> RotationName:
    core = name
    for suffix in COMPRESSED_SUFFIXES:
        if core.endswith(suffix):
            core = core[: -len(suffix)]
            break
    timed = _TIMED.match(core)
    if timed:
        return RotationName(name, timed["base"], (0, timed["stamp"]))
    numbered = _NUMBERED.match(core)
    if numbered:
        return RotationName(name, numbered["base"], (1, -int(numbered["number"])))
    return RotationName(name, core, (2, 0))


def order_rotation_sets(names: list[str]) -> list[str]:
    """Group names by rotation base and order each group oldest first.

    Groups keep the position of their first member in ``names``; names that
    belong to no set keep their own position.
    """
    parsed = [parse_rotation_name(name) for name in names]
    groups: dict[str, list[RotationName]] = {}
    for item in parsed:
        groups.setdefault(item.base, []).append(item)
    ordered: list[str] = []
    for members in groups.values():
        # A stable sort keeps the given order among equal ranks (duplicates).
        members.sort(key=lambda item: (item.rank[0], item.rank[1]) if item.rank[0] != 0 else (0, str(item.rank[1])))
        ordered.extend(item.name for item in members)
    return ordered
