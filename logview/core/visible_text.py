"""Text made safe to show on a terminal: control characters spelled out (``\\x1b``), never sent raw.

A log line may hold anything a program printed. An escape sequence in it, sent
to a terminal as is, would move the cursor, recolour the screen or retitle the
window: ``--print`` to a terminal and the viewer show such characters escaped.
Output to a pipe or a file stays a byte-exact copy of the log.
"""

from __future__ import annotations

import re

#: Characters that act on the text around them rather than print: the bidirectional controls, which reorder
#: what follows them on screen (a line can then read as something it does not hold), and the Unicode line and
#: paragraph separators.
_ACTING = "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
#: C0 controls but tab and newline, a carriage return not ending a line, DEL, the C1 controls, and those.
_CONTROLS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_ACTING}]|\r(?!\n)")
#: Every carriage return too: a screen line holds none. Tabs are expanded instead.
_LINE_CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_ACTING}]")
TAB_SIZE = 8


def spelled(char: str) -> str:
    """A character as Python would write it in a string: ``\\x1b``, ``\\u202e``, ``\\U000e0001``."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _spelled(found: re.Match[str]) -> str:
    return spelled(found.group())


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
