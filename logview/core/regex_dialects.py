"""Whether Python's ``re`` reads a search pattern as the Rust regex engine (polars) does.

The index searches with Rust's regex; the small --print path (small_print.py)
with Python's ``re``. Most patterns mean the same to both; a few constructs do
not (Rust's nested classes and class operators, its word-boundary escapes,
Unicode's word and space classes and case folding past ASCII), and a pattern
using them is searched by the engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["reads_alike", "unicode_sensitive"]
#: What ``\w``, ``\s``, ``\d``, ``\b`` and case folding may read differently in Python and Rust: characters past ASCII,
#: and the separators (0x1c-0x1f) that Python's ``\s`` takes for white space.
_NOT_PLAIN_ASCII = re.compile(r"[^\x00-\x1b\x20-\x7f]")
#: Escapes whose meaning depends on what counts as a word or a space (a digit is Unicode's Nd to both).
_CLASS_ESCAPES = frozenset("wWsSbB")
#: Escapes Rust reads as something else than Python does (``\<`` a word's start, where Python reads ``<``).
_RUST_ONLY_ESCAPES = frozenset("<>pPzQEeKh")


def unicode_sensitive(pattern: str) -> bool | None:
    """Whether ``pattern`` means the same to Python's ``re`` and to Rust's regex only on plain ASCII text (True), on any
    text (False), or may mean something else (None: the engine searches it).

    A pattern Rust refuses is matched with ``re`` by the engine too, so only
    what both accept matters: Rust's nested classes and class operators
    (``[[:alpha:]]``, ``&&``, ``--``, ``~~``), its ``\\<``, ``\\b{start}`` and
    verbose mode's spaces in classes.
    """
    if not pattern.isascii():
        return None
    sensitive = False
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            escaped = pattern[index + 1 : index + 2]
            if escaped in _RUST_ONLY_ESCAPES or (escaped in "bB" and pattern[index + 2 : index + 3] == "{"):
                return None
            sensitive = sensitive or escaped in _CLASS_ESCAPES
            index += 2
            continue
        if in_class:
            if char == "[" or pattern[index : index + 2] in ("&&", "--", "~~"):
                return None
            if char == "]":
                in_class = False
        elif char == "[":
            in_class = True
            # A "]" or "^]" first in a class is one of its characters.
            index += 1 + (pattern[index + 1 : index + 3] == "^]") + (pattern[index + 1 : index + 2] == "]")
            continue
        elif pattern.startswith("(?", index) and index + 2 < len(pattern) and pattern[index + 2] not in ":P":
            flags = pattern[index + 2 : pattern.find(")", index) if ")" in pattern[index:] else len(pattern)].split(":")[0]
            if not set(flags) <= set("ims-"):
                return None
            sensitive = sensitive or "i" in flags
        index += 1
    return sensitive


def reads_alike(pattern: str, lines: Iterable[str]) -> bool:
    """Whether Python's ``re`` finds ``pattern`` in each of ``lines`` exactly where Rust's regex does."""
    sensitive = unicode_sensitive(pattern)
    if sensitive is None:
        return False
    return not sensitive or not any(_NOT_PLAIN_ASCII.search(line) for line in lines)
