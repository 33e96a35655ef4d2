"""The directories the follower watches: those of the followed paths and globs, or their nearest ancestors that exist.

A path or glob may name a directory that does not exist yet; it is waited
for as ``tail -F`` waits, by watching the ancestor in which it will be made.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

__all__ = ["GLOB_CHARS", "directories_to_watch"]

#: The characters that make a name a glob.
GLOB_CHARS = set("*?[")


def directories_to_watch(paths: Iterable[str], patterns: Iterable[str]) -> set[str]:
    """The directories of ``paths`` and of the globs ``patterns``, or their nearest ancestors that exist.

    A directory that does not exist yet is waited for: its creation is a
    change in the nearest ancestor that exists, and once it is made, the
    directories asked for again include it.
    """
    wanted = {os.path.dirname(os.path.abspath(path)) for path in paths}
    wanted.update(_outside_globs(os.path.dirname(os.path.abspath(pattern))) for pattern in patterns)
    return {_nearest_existing(directory) for directory in wanted}


def _nearest_existing(directory: str) -> str:
    """``directory``, or its nearest ancestor that is a directory (``/`` at worst): the one whose changes show it being made."""
    while not os.path.isdir(directory) and os.path.dirname(directory) != directory:
        directory = os.path.dirname(directory)
    return directory


def _outside_globs(directory: str) -> str:
    """The part of a glob's directory before its first component with a wildcard (``/logs`` for ``/logs/*/app``)."""
    while GLOB_CHARS & set(directory) and os.path.dirname(directory) != directory:
        directory = os.path.dirname(directory)
    return directory
