"""The run of characters every match of a search pattern must contain, found in bytes at ``bytes.find`` speed.

Most lines of a log cannot match a search. When every match of a pattern
must contain a known run of characters, the lines holding that run are found
over a whole chunk of bytes in C, and only those lines are split, stripped of
their headers and matched by the regex engine. The pattern is read with a
small grammar that Rust's regex and Python's ``re`` read alike (literal
characters, escaped punctuation, ``.``, ``\\d``-style classes, bracket
classes, anchors and quantifiers, after an optional leading ``(?i)``); any
other pattern has no literal, and is searched line by line as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from logview.core.parse.format_set import FormatSet
from logview.core.parse.format_string import LogFormat

__all__ = ["RequiredLiteral", "candidate_lines", "header_anchored", "required_literal"]

#: Escaped, these stand for themselves in both engines (``\\<`` and ``\\>`` do not: Rust reads them as word boundaries).
_SELF_ESCAPES = frozenset(".^$*+?()[]{}|\\/-")
#: Escapes that stand for one character of a class, or for a position: no literal.
_CLASS_ESCAPES = frozenset("dDwWsSbB")
#: ASCII letters that a non-ASCII character matches when case is ignored (ſ, the Kelvin sign, İ and ı in Python's re).
_FOLD_UNSAFE = frozenset("iksIKS")
#: A counted repetition both engines accept.
_COUNTED = re.compile(r"\{(\d+)(?:,\d*)?\}")
#: What a line that is not UTF-8 holds in place of its bad bytes, once read: the bytes never hold it.
_REPLACEMENT = "\ufffd"
#: The shortest run worth a search of its own: a shorter one is found on most lines.
MIN_NEEDLE = 2
#: The byte every letter has in lower case: or-ed over a chunk and the needle, it ignores ASCII case.
_CASE_BIT = 0x20


@dataclass(frozen=True)
class RequiredLiteral:
    """Bytes that every matching line holds: exactly, or with ``fold`` up to ASCII case (the needles are then or-ed with 0x20).

    Under ``fold`` a few ASCII letters also match non-ASCII characters (``k``
    the Kelvin sign, ``s`` the long s, ``i`` dotted and dotless I in Python's
    re): ``ascii_needle`` holds them and serves text that is all ASCII;
    ``needle`` leaves them out and serves any text (None when too short).
    """

    needle: bytes | None
    ascii_needle: bytes
    fold: bool

    def for_text(self, is_ascii: bool) -> bytes | None:
        """The needle to look for in text that is (or may not be) all ASCII."""
        return self.ascii_needle if is_ascii else self.needle


class _Runs:
    """Runs of characters that every match holds, cut wherever a match may hold something else."""

    def __init__(self) -> None:
        self.done: list[str] = []
        self.current: list[str] = []

    def add(self, atom: str | None, repeat: str) -> None:
        if atom is None or repeat == "optional":
            self.cut()
        elif repeat == "more":
            # "ab+c" holds "ab" and "bc", not "abc".
            self.current.append(atom)
            self.cut()
            self.current.append(atom)
        else:
            self.current.append(atom)

    def cut(self) -> None:
        self.done.append("".join(self.current))
        self.current = []

    def longest(self, fold: bool) -> bytes | None:
        self.cut()
        longest = max((run.encode() for run in self.done), key=len)
        if len(longest) < MIN_NEEDLE:
            return None
        return bytes(byte | _CASE_BIT for byte in longest) if fold else longest


def required_literal(pattern: str) -> RequiredLiteral | None:
    """The longest run of characters every match of ``pattern`` contains, or None when none can be told safely."""
    fold = pattern.startswith("(?i)")
    body = pattern[4:] if fold else pattern
    any_text, ascii_text = _Runs(), _Runs()
    at = 0
    while at < len(body):
        char = body[at]
        atom: str | None
        if char == "\\":
            escaped = body[at + 1 : at + 2]
            if escaped and escaped in _SELF_ESCAPES:
                atom = escaped
            elif escaped and escaped in _CLASS_ESCAPES:
                atom = None
            else:
                return None
            at += 2
        elif char == "[":
            end = _class_end(body, at)
            if end is None:
                return None
            atom, at = None, end
        elif char in ".^$":
            atom, at = None, at + 1
        elif char in "|()*+?{}]":
            return None
        else:
            atom, at = char, at + 1
        repeat, at = _quantifier(body, at)
        if repeat is None:
            return None
        if atom == _REPLACEMENT or (fold and atom is not None and not atom.isascii()):
            # The text searched stands U+FFFD for bytes that are not UTF-8; ignoring case, a non-ASCII character
            # may match an ASCII one (the Kelvin sign, k).
            atom = None
        ascii_text.add(atom, repeat)
        any_text.add(None if fold and atom in _FOLD_UNSAFE else atom, repeat)
    ascii_needle = ascii_text.longest(fold)
    if ascii_needle is None:
        return None
    return RequiredLiteral(any_text.longest(fold), ascii_needle, fold)


def _class_end(body: str, start: int) -> int | None:
    """Where the bracket class opening at ``start`` ends (one past its ``]``), when both engines read it so."""
    at = start + 1
    if body[at : at + 1] == "^":
        at += 1
    if body[at : at + 1] == "]":
        at += 1
    while at < len(body):
        char = body[at]
        if char == "\\":
            escaped = body[at + 1 : at + 2]
            if not escaped or not (escaped in _SELF_ESCAPES or escaped in _CLASS_ESCAPES):
                return None
            at += 2
        elif char == "[":
            return None  # Rust nests classes and reads [:alpha:]; Python reads a bracket
        elif char == "]":
            return at + 1
        else:
            at += 1
    return None


def _quantifier(body: str, at: int) -> tuple[str | None, int]:
    """The repetition after an atom: "once", "optional" (may be absent) or "more" (at least once); None to give up."""
    char = body[at : at + 1]
    if char in ("*", "?"):
        kind, at = "optional", at + 1
    elif char == "+":
        kind, at = "more", at + 1
    elif char == "{":
        counted = _COUNTED.match(body, at)
        if counted is None:
            return None, at
        kind, at = ("optional" if int(counted.group(1)) == 0 else "more"), counted.end()
    else:
        return "once", at
    if body[at : at + 1] in ("?", "+"):  # lazy, or Python's possessive: the same characters are required
        at += 1
    if body[at : at + 1] in ("*", "+", "?", "{"):
        return None, at
    return kind, at


def header_anchored(log_format: object) -> bool:
    """Whether a format's header is only ever cut from a line's start: what is left of a line is then its end, and holds
    no literal that the whole line does not."""
    if isinstance(log_format, FormatSet):
        return all(member.prefix_regex.startswith("^") for member in log_format.formats)
    if isinstance(log_format, LogFormat):
        return log_format.prefix_regex.startswith("^")
    return True


#: A chunk with more than a line holding the literal per this many bytes is matched whole: finding the lines one
#: by one in Python would cost more than matching them all in Rust.
DENSE_BYTES = 512
#: ... but a small chunk's lines are found one by one up to this many: a pass over a chunk costs polars' few calls,
#: a few milliseconds, while the candidates of every small file share one.
MIN_DENSE_LINES = 256


def dense_limit(size: int) -> int:
    """The most lines holding the literal that a chunk of ``size`` bytes has its candidates found one by one for."""
    return max(size // DENSE_BYTES, MIN_DENSE_LINES)


def candidate_lines(
    chunk: bytes | bytearray, literal: RequiredLiteral, limit: int, scratch: bytearray | None = None, end: int | None = None
) -> tuple[list[int], list[int]] | None:
    """The starts and ends (before the newline) of the lines of ``chunk`` that hold ``literal``; None past ``limit`` lines
    (or when no needle serves this chunk).

    A line is found once however often it holds the needle: the search goes on
    from the end of each line found. Over a chunk or-ed with 0x20 a needle may
    span a newline (or-ed, it reads ``*``); the line where it starts is then a
    candidate that the exact match turns down. ``scratch`` holds the or-ed
    chunk: reused, it costs a tenth of a new buffer (whose pages are faulted in).
    ``end``: where the chunk ends in a longer buffer (one reused for every
    chunk, for the same reason).
    """
    # The chunk is looked at for non-ASCII bytes (a pass over it) only when that changes the needle.
    needle = literal.ascii_needle if literal.needle == literal.ascii_needle else literal.for_text(chunk.isascii())
    if needle is None:
        return None
    size = len(chunk) if end is None else end
    haystack: bytes | bytearray = chunk
    if literal.fold:
        import numpy as np  # only to ignore case: the search of an exact literal runs without it (sparse_print.py)

        if scratch is None or len(scratch) < len(chunk):
            scratch = bytearray(len(chunk))
        folded = np.frombuffer(scratch, dtype=np.uint8)[: len(chunk)]
        np.bitwise_or(np.frombuffer(chunk, dtype=np.uint8), np.uint8(_CASE_BIT), out=folded)
        haystack = scratch
    find = haystack.find
    starts: list[int] = []
    ends: list[int] = []
    found = find(needle, 0, size)
    while found >= 0:
        if len(starts) == limit:
            return None
        line_end = chunk.find(b"\n", found, size)
        if line_end < 0:
            line_end = size
        starts.append(chunk.rfind(b"\n", 0, found) + 1)
        ends.append(line_end)
        found = find(needle, line_end + 1, size)
    return starts, ends
