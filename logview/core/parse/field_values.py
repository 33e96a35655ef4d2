"""What a string field of a log line can hold, and the ways of reading it ("readings").

A logger name is usually one dotted word, a level one of a few capitalised
words, a thread name ``Thread-1`` -- but Python also writes ``Thread-1
(worker)``, ``Level 5`` and custom levels such as ``verbose``, and the
cookbook names processes ``listener (for worker 3)``. Each field has a
default reading, the strictest (it keeps the patterns of common formats, and
so the bulk parser's speed, as they were), and looser ones that detection
switches to when the sample needs them (parse/reading_choice.py).

Every pattern keeps to what CPython's ``re`` and Rust's ``regex`` share.
"""

from __future__ import annotations

from logview.core.parse.escape import escape

__all__ = [
    "LEVELNAME",
    "NAME_FIELDS",
    "NON_SPACE",
    "READINGS",
    "TOKEN_FIELDS",
    "WORD_FIELDS",
    "default_reading",
    "loose_pattern",
    "name_extended",
    "readings_of",
    "token",
]

# "Level 5" is what logging writes for an unnamed level. Spelled so that the
# next character always decides the branch: the Rust engine then extracts
# groups with its one-pass matcher, twice as fast as with a plain alternation.
LEVELNAME = "[A-Z](?:evel -?[0-9]+|[A-Z0-9_]*)"
# ASCII whitespace spelled out: the Rust engine's \S is Unicode-aware and
# makes extraction more than twice as slow.
NON_SPACE = "[^ \\t\\n\\r\\f\\v]+"
#: A parenthesised suffix, one level of nesting inside: " (worker)", " (for worker 3)", " (for Thread-1 (main))".
_SUFFIX = " \\((?:[^()\\n]|\\([^()\\n]*\\))*\\)"

#: Names of code and loggers: one word by default, words with spaces only when the sample needs them.
TOKEN_FIELDS = frozenset({"name", "module", "filename", "funcName"})
#: A web server's access log's address, ident and user: each one word, "-" when unknown. Read as free text, the
#: three side by side would try every split of a long line that is not an access log's (cubic time in Python's re).
WORD_FIELDS = frozenset({"remote_addr", "ident", "user"})
#: Names Python or the program gives processes, threads and tasks: ``Thread-1 (worker)``, ``worker 1``.
NAME_FIELDS = frozenset({"processName", "threadName", "taskName"})

#: Each reading's rule, as --explain-format says it.
READINGS: dict[str, str] = {
    "level name": "a level name: capitals, digits and _, or 'Level N'",
    "custom level": "a word of letters, digits, _ and - (a custom level name such as 'verbose' or 'Notice'), or 'Level N'",
    "word": "one word without spaces",
    "words": "words one space apart, the first not starting with a digit, as few as what follows allows",
    "shortest": "any text, as short as the rest of the line allows",
    "name (suffix)": "a word and its parenthesised suffix if any: 'Thread-1 (worker)', 'listener (for worker 3)'",
    "name number (suffix)": "a word, a number and a parenthesised suffix, each but the word if any: 'worker 1'",
}

_READINGS_OF: dict[str, tuple[str, ...]] = {
    "levelname": ("level name", "custom level"),
    **{name: ("word", "words") for name in TOKEN_FIELDS},
    **{name: ("shortest", "name (suffix)", "name number (suffix)") for name in NAME_FIELDS},
}


def readings_of(name: str) -> tuple[str, ...]:
    """The readings of field ``name``, its default first; () for a field read one way only (numbers, dates, free text)."""
    return _READINGS_OF.get(name, ())


def default_reading(name: str) -> str:
    return _READINGS_OF.get(name, ("",))[0]


def token(following: str) -> str:
    """A run of characters without spaces that stops before the next literal's first character."""
    stop = following[:1]
    if stop and not stop.isspace():
        return f"[^ \\t\\n\\r\\f\\v{escape(stop)}]+"
    return NON_SPACE


def name_extended(reading: str) -> str | None:
    """A name *with* the suffix or number its reading allows, or None for a reading without one.

    Tried before the plain name, and, for a padded field, before the exact
    width: ``Thread-1 (fetch)`` padded to 8 is not ``Thread-1`` followed by
    a message "(fetch) ...".
    """
    if reading == "name (suffix)":
        return f"{NON_SPACE}{_SUFFIX}"
    if reading == "name number (suffix)":
        return f"{NON_SPACE}(?: [0-9]+(?:{_SUFFIX})?|{_SUFFIX})"
    return None


def loose_pattern(reading: str, following: str) -> str | None:
    """The value pattern of a reading other than a field's default, or None for a default one."""
    if reading == "custom level":
        return "(?:Level -?[0-9]+|[A-Za-z][A-Za-z0-9_-]*)"
    if reading == "words":
        # Words one space apart, as few as what follows allows; never a run of
        # spaces (padding), nor a number first (a date, a pid: another field).
        word = token(following)[:-1]
        return f"{word[:-1]}0-9]{word}*(?: {word}+)*?"
    extended = name_extended(reading)
    if extended is not None:
        return f"{extended}|{NON_SPACE}"
    return None
