"""Text the log pane can send to a terminal as is: every character drawn at the width the pane lays it out with.

Textual places a row's characters by rich's cell widths, and the terminal by
its own (wcwidth): where the two differ, the rest of the row moves, and the
scrollbar in the pane's last column with it. Random bytes decoded as UTF-8
are full of such characters: unassigned code points, private-use ones,
spacing marks that rich counts as 0 cells and terminals as 1, format
characters that some terminals draw and others act on (a right-to-left
override reverses what follows it). Those are spelled out (``\\u202e``), as
control characters already are (logview.core.visible_text), so that what is
on screen is what the log holds, in rows of the pane's width.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rich.cells import get_character_cell_size

from logview.core.visible_text import spelled, visible

__all__ = ["shown"]

#: Control, format, surrogate, private-use and unassigned characters, line and paragraph separators: they print
#: nothing of their own, act on the text around them, or print a glyph of the user's font of any width.
UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
#: Variation selectors: they widen an emoji before them to 2 cells on some terminals, not on others.
SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def shown(line: str) -> str:
    """One screen line: each character a terminal would draw at another width than rich counts, or not draw, spelled out.

    Then control characters spelled out and tabs expanded (``visible``).
    """
    if not line.isascii():
        # Each distinct character judged once, and replaced by a regex: a line of megabytes (a cut record's piece) in C.
        unsettled = sorted(char for char in set(_NOT_ASCII.findall(line)) if _unsettled(char))
        if unsettled:
            line = re.sub("[" + "".join(map(re.escape, unsettled)) + "]", lambda found: spelled(found[0]), line)
    return visible(line)


@lru_cache(maxsize=4096)
def _unsettled(char: str) -> bool:
    """Whether ``char`` prints nothing of its own, or has a width by rich's table other than by Unicode's, which terminals follow.

    Unicode's: 2 cells for East Asian wide and full-width characters, none
    for combining marks, 1 for the others. Where rich's table is newer
    (a symbol made wide since), or counts differently (spacing marks,
    emoji skin tones, Hangul fillers), terminals disagree too.
    """
    category = unicodedata.category(char)
    if category in UNPRINTABLE or any(ord(char) in selectors for selectors in SELECTORS):
        return True
    expected = 0 if category in ("Mn", "Me") else 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return get_character_cell_size(char) != expected
