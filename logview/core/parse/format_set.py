"""The formats of a file written in more than one: a service whose format changed between runs, or a handler
whose formatter was swapped (the logging cookbook's "use of alternative formatting styles").

A line starts a record when any of the formats reads it, and its fields come
from the first one that does: the file's main format comes first, so every
line it reads is read as it would be alone.
"""

from __future__ import annotations

import re
import string
from typing import NamedTuple

from logview.core.parse.format_string import FormatError, LogFormat, compile_format

#: A %-style field with its flags, width and precision, or an escaped percent sign.
_PERCENT_FIELD = re.compile(r"%%|%\((?P<key>[^)]+)\)[#0+ -]*\d*(?P<precision>\.\d+)?(?P<conv>[diouxXeEfFgGcrsa])")
#: The start of a {-style spec that pads: fill and alignment, sign, "#", "0" and the width (a precision stays).
_BRACE_PADDING = re.compile(r"^(?:.?[<>=^])?[-+ ]?z?#?0?\d*")
#: Unpadded variants by what they are made from: detection asks for the same ones for every file.
_UNPADDED: dict[tuple[str, str, str | None, str], LogFormat | None] = {}


class FormatSet(NamedTuple):
    """Two or more formats of one file, the main one first."""

    formats: tuple[LogFormat, ...]

    @property
    def primary(self) -> LogFormat:
        return self.formats[0]

    @property
    def fmt(self) -> str:
        """The formats' strings, as a file's format is named (the status line, --explain-format)."""
        return " | ".join(member.fmt for member in self.formats)

    @property
    def origin(self) -> str:
        """Where each format came from, as --explain-format says it."""
        return " | ".join(member.origin for member in self.formats)

    @property
    def prefix_regex(self) -> str:
        """Everything before the message, in whichever format the line was written: stripping it leaves the message.

        Both engines take the first alternative that matches, and every
        alternative is anchored at the line's start, so a line loses the
        prefix of the first format that reads it, as its fields come from.
        """
        return "|".join(f"(?:{member.prefix_regex})" for member in self.formats)

    def reading(self, line: str) -> LogFormat | None:
        """The first format that reads ``line`` as a record's first line, or None (it continues a record)."""
        for member in self.formats:
            if member.compiled.match(line) is not None:
                return member
        return None

    def match(self, line: str) -> dict[str, str] | None:
        """The fields of one line as the first format that reads it gives them, or None."""
        member = self.reading(line)
        return member.match(line) if member is not None else None


def unpadded(log_format: LogFormat) -> LogFormat | None:
    """The same fields and separators without widths, or None when the format pads nothing.

    A ``$``-style formatter cannot pad, so a program that swaps a padded
    formatter for one of that style (the cookbook does) writes the same
    fields unpadded; so does one whose padding was taken out of its format.
    """
    if not any(spec.width for spec in log_format.fields):
        return None
    key = (log_format.fmt, log_format.style, log_format.datefmt, log_format.origin)
    if key not in _UNPADDED:
        _UNPADDED[key] = _compile_unpadded(log_format)
    return _UNPADDED[key]


def _compile_unpadded(log_format: LogFormat) -> LogFormat | None:
    if log_format.style == "%":
        fmt = _PERCENT_FIELD.sub(
            lambda found: found[0] if found[0] == "%%" else f"%({found['key']}){found['precision'] or ''}{found['conv']}", log_format.fmt
        )
    else:
        fmt = "".join(
            literal.replace("{", "{{").replace("}", "}}") + (_brace_field(name, spec, conversion) if name is not None else "")
            for literal, name, spec, conversion in string.Formatter().parse(log_format.fmt)
        )
    try:
        return compile_format(
            fmt,
            log_format.style,
            log_format.datefmt,
            origin=f"{log_format.origin or log_format.fmt}, unpadded",
            written_in_utc=log_format.date is not None and log_format.date.written_in_utc,
        )
    except FormatError:
        return None


def _brace_field(name: str, spec: str | None, conversion: str | None) -> str:
    kept = _BRACE_PADDING.sub("", spec or "", count=1)
    return "{" + name + (f"!{conversion}" if conversion else "") + (f":{kept}" if kept else "") + "}"
