"""A logging format string split into its literal text and its placeholders.

The first step of compiling a format (parse/format_string.py): what
``logging.Formatter`` accepts in each style, and how each placeholder pads
its value.
"""

from __future__ import annotations

import re
import string
from typing import NamedTuple

__all__ = ["STYLES", "FieldSpec", "FormatError", "split_format"]

STYLES = ("%", "{", "$")


# logging's own validation pattern for %-style fields.
_PERCENT_FIELD = re.compile(
    r"%\((?P<key>[^)]+)\)(?P<flags>[#0+ -]*)(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?(?P<conv>[diouxXeEfFgGcrsa%])"
)
_BRACE_SPEC = re.compile(
    r"^(?:(?P<fill>.)?(?P<align>[<>=^]))?(?P<sign>[-+ ])?z?#?(?P<zero>0)?(?P<width>\d+)?[,_]?(?:\.(?P<precision>\d+))?(?P<type>[bcdeEfFgGnosxX%])?$"
)
_DOLLAR_FIELD = re.compile(r"\$(?:(?P<escaped>\$)|(?P<named>[_a-zA-Z][_a-zA-Z0-9]*)|\{(?P<braced>[_a-zA-Z][_a-zA-Z0-9]*)\})")


class FormatError(ValueError):
    """The format string is not one logging would accept."""


class FieldSpec(NamedTuple):
    """One ``%(name)s``-like placeholder: which attribute, and how it is padded."""

    name: str
    width: int = 0
    align: str = ""  # "<", ">", "^" or "" (no padding)
    fill: str = " "
    precision: int | None = None
    numeric: bool = False
    #: How its value is read (parse/field_values.py); "" for the field's default reading.
    reading: str = ""
    #: Written as an integer (``%(relativeCreated)6d``, ``{msecs:d}``): no fraction to read.
    integral: bool = False


def split_format(fmt: str, style: str) -> list[str | FieldSpec]:
    """``fmt``'s literal text and placeholders, in order; FormatError if logging would not accept it."""
    if style == "%":
        return _split_percent(fmt)
    if style == "{":
        return _split_brace(fmt)
    return _split_dollar(fmt)


def _split_percent(fmt: str) -> list[str | FieldSpec]:
    pieces: list[str | FieldSpec] = []
    literal: list[str] = []
    i = 0
    while i < len(fmt):
        if fmt.startswith("%%", i):
            literal.append("%")
            i += 2
            continue
        if fmt[i] == "%":
            found = _PERCENT_FIELD.match(fmt, i)
            if found is None:
                raise FormatError(f"invalid %-style field at position {i} in {fmt!r}")
            if literal:
                pieces.append("".join(literal))
                literal = []
            flags = found["flags"] or ""
            width = found["width"]
            precision = found["precision"]
            if width == "*" or precision == "*":
                raise FormatError(f"'*' widths cannot be used with named fields in {fmt!r}")
            numeric = found["conv"] in "diouxXeEfFgG"
            align = ""
            if width:
                align = "<" if "-" in flags else ">"
            pieces.append(
                FieldSpec(
                    name=found["key"],
                    width=int(width or 0),
                    align=align,
                    fill="0" if ("0" in flags and numeric and "-" not in flags) else " ",
                    precision=int(precision) if precision and not numeric else None,
                    numeric=numeric,
                    integral=found["conv"] in "diouxX",
                )
            )
            i = found.end()
            continue
        literal.append(fmt[i])
        i += 1
    if literal:
        pieces.append("".join(literal))
    return pieces


def _split_brace(fmt: str) -> list[str | FieldSpec]:
    pieces: list[str | FieldSpec] = []
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError as error:
        raise FormatError(f"invalid {{-style format {fmt!r}: {error}") from None
    for literal, name, spec, conversion in parsed:
        if literal:
            pieces.append(literal)
        if name is None:
            continue
        if conversion not in (None, "r", "s", "a"):
            raise FormatError(f"invalid conversion !{conversion} for {{{name}}} in {fmt!r}")
        if not name.isidentifier():
            raise FormatError(f"invalid field {{{name}}} in {fmt!r}")
        found = _BRACE_SPEC.match(spec or "")
        if found is None:
            raise FormatError(f"invalid format spec {spec!r} for {{{name}}} in {fmt!r}")
        numeric = (found["type"] or "") in "bdeEfFgGnoxX%" and found["type"] is not None
        width = int(found["width"] or 0)
        align = found["align"] or ""
        fill = found["fill"] or (" " if not found["zero"] else "0")
        if width and not align:
            align = ">" if numeric or found["zero"] else "<"
        pieces.append(
            FieldSpec(
                name=name,
                width=width,
                align=align if width else "",
                fill=fill,
                precision=int(found["precision"]) if found["precision"] and not numeric else None,
                numeric=numeric,
                integral=(found["type"] or "") in ("b", "d", "n", "o", "x", "X") and found["type"] is not None,
            )
        )
    return pieces


def _split_dollar(fmt: str) -> list[str | FieldSpec]:
    pieces: list[str | FieldSpec] = []
    position = 0
    for found in _DOLLAR_FIELD.finditer(fmt):
        literal = fmt[position : found.start()]
        position = found.end()
        if found["escaped"]:
            pieces.append(literal + "$")
            continue
        if literal:
            pieces.append(literal)
        pieces.append(FieldSpec(name=found["named"] or found["braced"]))
    if fmt[position:]:
        pieces.append(fmt[position:])
    # Merge adjacent literals so the next-literal rule sees whole separators.
    merged: list[str | FieldSpec] = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged
