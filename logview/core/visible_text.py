"""Text made safe to show on a terminal: control characters spelled out (``\\x1b``), never sent raw.

A log line may hold anything a program printed. An escape sequence in it, sent
to a terminal as is, would move the cursor, recolour the screen or retitle the
window: ``--print`` to a terminal and the viewer show such characters escaped.
Output to a pipe or a file stays a byte-exact copy of the log.
"""

from __future__ import annotations

import re

#: C0 controls but tab and newline, a carriage return not ending a line, DEL, and the C1 controls.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
#: Every carriage return too: a screen line holds none. Tabs are expanded instead.
_LINE_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
TAB_SIZE = 8


def _spelled(found: re.Match[str]) -> str:
    return f"\\x{ord(found.group()):02x}"


def _json_spelled(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


def escape_controls(text: str) -> str:
    """``text`` (lines with their ends) with control characters spelled out; tabs and line ends kept."""
    return text if _CONTROLS.search(text) is None else _CONTROLS.sub(_spelled, text)


def escape_json_controls(text: str) -> str:
    """JSON text with the control characters JSON leaves raw (DEL, C1) as ``\\u`` escapes: still valid JSON."""
    return text if _CONTROLS.search(text) is None else _CONTROLS.sub(_json_spelled, text)


def visible(line: str) -> str:
    """One screen line: every control character spelled out, then tabs expanded to the columns it is shown in."""
    if _LINE_CONTROLS.search(line) is not None:
        line = _LINE_CONTROLS.sub(_spelled, line)
    return line.expandtabs(TAB_SIZE) if "\t" in line else line
