"""Turn command-line input arguments into the ordered list of inputs to read.

Arguments may be paths, shell globs the shell did not expand (quoted, or
from a config), or ``-`` for standard input. Rotation sets are put in
writing order whatever order they were given in.
"""

from __future__ import annotations

import glob
import os
from typing import NamedTuple

from logview.core.inputs.rotation import order_rotation_sets

_GLOB_CHARS = set("*?[")


class ExpandedInputs(NamedTuple):
    """The input names, rotation sets in the order written, and a line for each glob that matched nothing."""

    names: list[str]
    errors: list[str]
    #: The globs that matched nothing and are waited for (the files are followed): notices, not errors.
    waiting: list[str]


def waiting_line(pattern: str) -> str:
    """What is said of a glob that matches nothing yet, while its files are waited for."""
    return f"{pattern}: no file matches this pattern (waiting for one to appear)"


def expand_inputs(arguments: list[str], follow: bool = False) -> ExpandedInputs:
    """Expand globs, drop duplicates, order rotation sets; unmatched globs become errors, or, when ``follow``, are waited for."""
    errors: list[str] = []
    waiting: list[str] = []
    seen: set[str] = set()
    expanded: list[str] = []
    for argument in arguments:
        if argument != "-" and _GLOB_CHARS & set(argument) and not os.path.exists(argument):
            matches = sorted(glob.glob(argument))
            if not matches and follow:
                # As a missing file is (pipeline.py): the follower reads the files that match it once they are made.
                waiting.append(argument)
            elif not matches:
                errors.append(f"{argument}: no file matches this pattern")
            candidates = matches
        else:
            candidates = [argument]
        for name in candidates:
            if name not in seen or name == "-":
                seen.add(name)
                expanded.append(name)
    return ExpandedInputs(order_rotation_sets(expanded), errors, waiting)
