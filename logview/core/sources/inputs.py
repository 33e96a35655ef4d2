"""Turn command-line input arguments into the ordered list of inputs to read.

Arguments may be paths, shell globs the shell did not expand (quoted, or
from a config), or ``-`` for standard input. Rotation sets are put in
writing order whatever order they were given in.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field

from logview.core.sources.rotation import order_rotation_sets

_GLOB_CHARS = set("*?[")


@dataclass
class ExpandedInputs:
    names: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def expand_inputs(arguments: list[str]) -> ExpandedInputs:
    """Expand globs, drop duplicates, order rotation sets; unmatched globs become errors."""
    result = ExpandedInputs()
    seen: set[str] = set()
    expanded: list[str] = []
    for argument in arguments:
        if argument != "-" and _GLOB_CHARS & set(argument) and not os.path.exists(argument):
            matches = sorted(glob.glob(argument))
            if not matches:
                result.errors.append(f"{argument}: no file matches this pattern")
            candidates = matches
        else:
            candidates = [argument]
        for name in candidates:
            if name not in seen or name == "-":
                seen.add(name)
                expanded.append(name)
    result.names = order_rotation_sets(expanded)
    return result
