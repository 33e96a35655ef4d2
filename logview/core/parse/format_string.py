"""Compile a Python logging format string into a parser.

The same regex serves two engines: CPython's ``re`` (detection and showing one
record) and the Rust ``regex`` crate behind polars (the bulk path). So the
generated patterns keep to the syntax both share: ``(?P<name>...)`` groups,
character classes, greedy and lazy quantifiers, no look-around.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from logview.core.parse.escape import escape
from logview.core.parse.field_values import (
    LEVELNAME,
    NON_SPACE,
    READINGS,
    TOKEN_FIELDS,
    WORD_FIELDS,
    default_reading,
    loose_pattern,
    name_extended,
    readings_of,
    token,
)
from logview.core.parse.placeholders import STYLES, FieldSpec, FormatError, split_format
from logview.core.parse.timestamps import DateFormat, DateFormatError, compile_datefmt

__all__ = [
    "FREE_TEXT",
    "INDEXED_FIELDS",
    "INTEGER",
    "LEVELNAME",
    "NON_SPACE",
    "NUMBER",
    "STRICT_FIELDS",
    "STYLES",
    "TOKEN_FIELDS",
    "FieldSpec",
    "FormatError",
    "LogFormat",
    "compile_format",
    "compiled_regex",
    "describe_fields",
    "format_pieces",
    "with_readings",
]

NUMBER = "-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"
INTEGER = "-?[0-9]+"
FREE_TEXT = ".+?"

#: Fields whose pattern admits nothing but digits or a fixed vocabulary;
#: detection prefers formats with more of them when several match a file.
STRICT_FIELDS = frozenset({"asctime", "created", "relativeCreated", "msecs", "levelname", "levelno", "process", "thread", "lineno"})


#: The fields the index keeps a column for; the others are read when a record is shown.
INDEXED_FIELDS = frozenset({"asctime", "created", "msecs", "levelname", "levelno", "name", "process", "processName"})


#: The formats' regexes by their text, compiled once each (re's own cache costs a lookup of its own per line matched).
_COMPILED: dict[str, re.Pattern[str]] = {}


def compiled_regex(regex: str) -> re.Pattern[str]:
    """``regex`` compiled, once per process: formats that share a regex share its compiled pattern."""
    pattern = _COMPILED.get(regex)
    if pattern is None:
        pattern = _COMPILED[regex] = re.compile(regex)
    return pattern


class LogFormat(NamedTuple):
    """A compiled format: the regex that finds and splits a record's first line."""

    fmt: str
    style: str
    datefmt: str | None
    fields: tuple[FieldSpec, ...]
    regex: str
    index_regex: str
    #: Everything before the message: stripping it leaves the message to search.
    prefix_regex: str
    date: DateFormat | None
    literals: str
    #: The literal text between the fields, in order; ``leading``: the format starts with the first of them.
    literal_pieces: tuple[str, ...] = ()
    leading: bool = False
    #: What a first line must start with: the first field, its padding loosened, and the literals around it (or "").
    head_regex: str = ""
    #: Where the format came from, as --explain-format says it: "--format", a config file's formatter, a catalogue entry, "inferred".
    origin: str = ""
    #: (name, side, fill) of each padded field: what stripping its value takes away, in both engines.
    padded: tuple[tuple[str, str, str], ...] = ()

    def could_match(self, line: str) -> bool:
        """False when ``line`` cannot be one of this format's first lines: its literal text is not there, in order.

        The regex matches the literals as they are, so this is a necessary
        condition, and a cheap one: detection skips a candidate no line of the
        sample could match without compiling its regex.
        """
        pieces = self.literal_pieces
        if self.leading and not line.startswith(pieces[0]):
            return False
        at = 0
        for piece in pieces:
            at = line.find(piece, at)
            if at < 0:
                return False
            at += len(piece)
        return True

    @property
    def compiled(self) -> re.Pattern[str]:
        """The regex, compiled when first needed: detection compiles only the candidates it must try."""
        return compiled_regex(self.regex)

    @property
    def readings(self) -> dict[str, str]:
        """The fields read other than by default (a custom level, a thread name with its suffix), as detection chose them."""
        return {spec.name: spec.reading for spec in self.fields if spec.reading}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def free_text_fields(self) -> int:
        return sum(1 for f in self.fields if f.name != "message" and f.name not in STRICT_FIELDS and f.name not in TOKEN_FIELDS)

    @property
    def specificity(self) -> int:
        """How much a match of this format says about a line.

        Strict fields (digits, dates, level names) count 2, tokens 1, free
        text (which can swallow anything) 0, and each non-space literal
        character 1: `` - `` separators are evidence too.
        """
        weights = {"message": 0, **{name: 2 for name in STRICT_FIELDS}, **{name: 1 for name in TOKEN_FIELDS}}
        literal = sum(1 for char in self.literals if not char.isspace())
        return literal + sum(weights.get(f.name, 0) for f in self.fields)

    def match(self, line: str) -> dict[str, str] | None:
        """The fields of one line, padding stripped, or None if it is not a record's first line."""
        found = self.compiled.match(line)
        if found is None:
            return None
        fields = {key: value.strip() if key != "message" else value for key, value in found.groupdict().items() if value is not None}
        for key, side, fill in self.padded:
            value = fields.get(key)
            if value is not None:
                value = value.lstrip(fill) if side == "left" else value.rstrip(fill) if side == "right" else value.strip(fill)
                fields[key] = value if key == "message" else value.strip()
        if self.style == "$" and "message" in fields:
            # $-style fields have no width: spaces before the message are
            # another formatter's padding (a stream whose formatter was
            # swapped, as the cookbook's "alternative formatting styles" does).
            fields["message"] = fields["message"].lstrip(" ")
        return fields

    @property
    def padding(self) -> dict[str, tuple[str, str]]:
        """Each padded field's padding: the side it is on ("left", "right", "both") and its fill character.

        Both engines strip a value with this (``match`` here, the bulk
        parser in polars), so a value reads the same whichever engine read it.
        """
        return {key: (side, fill) for key, side, fill in self.padded}


_PADDING_SIDES = {"<": "right", ">": "left", "=": "left", "^": "both"}


def _padded_fields(fields: tuple[FieldSpec, ...]) -> tuple[tuple[str, str, str], ...]:
    """(name, side, fill) of each padded field, as LogFormat.padded holds them."""
    padded: dict[str, tuple[str, str, str]] = {}
    for spec in fields:
        if spec.width and spec.align and spec.name not in padded:
            # A zero fill pads numbers ("00042"): the number reads the same
            # with it, and stripping it would leave nothing of a 0.
            padded[spec.name] = (spec.name, _PADDING_SIDES[spec.align], " " if spec.fill == "0" else spec.fill)
    return tuple(padded.values())


def compile_format(
    fmt: str,
    style: str = "%",
    datefmt: str | None = None,
    origin: str = "",
    readings: Mapping[str, str] | None = None,
    written_in_utc: bool = False,
) -> LogFormat:
    """Compile ``fmt`` as logging.Formatter(fmt, datefmt, style) would write it; ``origin`` says where it came from.

    ``readings`` reads some fields other than by default (field name →
    a reading of parse/field_values.py): detection's choice for a sample.
    ``written_in_utc``: the Formatter's converter was ``time.gmtime``.
    """
    if style not in STYLES:
        raise FormatError(f"style must be one of {', '.join(STYLES)}, not {style!r}")
    pieces = split_format(fmt, style)
    if readings:
        pieces = _read_as(pieces, readings)
    fields = tuple(p for p in pieces if isinstance(p, FieldSpec))
    if not fields:
        raise FormatError(f"no fields in format {fmt!r}")
    try:
        date = compile_datefmt(datefmt, written_in_utc=written_in_utc) if any(f.name == "asctime" for f in fields) else None
    except DateFormatError as error:
        raise FormatError(str(error)) from None
    regex = _assemble(pieces, date, captured=None)
    index_regex = _assemble(pieces, date, captured=INDEXED_FIELDS)
    message_at = next((i for i, piece in enumerate(pieces) if isinstance(piece, FieldSpec) and piece.name == "message"), None)
    prefix_regex = _assemble(pieces[:message_at], date, captured=frozenset(), whole_line=False) if message_at is not None else index_regex
    return LogFormat(
        fmt=fmt,
        style=style,
        datefmt=datefmt,
        fields=fields,
        regex=regex,
        index_regex=index_regex,
        prefix_regex=prefix_regex,
        date=date,
        literals="".join(p for p in pieces if isinstance(p, str)),
        literal_pieces=tuple(p for p in pieces if isinstance(p, str) and p),
        leading=bool(pieces) and isinstance(pieces[0], str) and bool(pieces[0]),
        head_regex=_head(pieces, date),
        origin=origin,
        padded=_padded_fields(fields),
    )


def format_pieces(log_format: LogFormat) -> list[str | FieldSpec]:
    """The format's literal text and fields, in order, each field with its reading."""
    pieces = split_format(log_format.fmt, log_format.style)
    return _read_as(pieces, log_format.readings) if log_format.readings else pieces


def with_readings(log_format: LogFormat, readings: Mapping[str, str]) -> LogFormat:
    """``log_format`` compiled again with these readings (those not named keep theirs)."""
    return compile_format(
        log_format.fmt,
        log_format.style,
        log_format.datefmt,
        log_format.origin,
        {**log_format.readings, **readings},
        written_in_utc=log_format.date is not None and log_format.date.written_in_utc,
    )


def _read_as(pieces: list[str | FieldSpec], readings: Mapping[str, str]) -> list[str | FieldSpec]:
    for name, reading in readings.items():
        if reading not in readings_of(name):
            raise FormatError(f"no reading {reading!r} for field {name!r}")
    return [
        piece._replace(reading=readings.get(piece.name, "") if readings.get(piece.name) != default_reading(piece.name) else "")
        if isinstance(piece, FieldSpec)
        else piece
        for piece in pieces
    ]


def describe_fields(log_format: LogFormat) -> list[tuple[str, str]]:
    """How each field of ``log_format`` is matched, in order: (field name, the rule in a short sentence).

    For --explain-format: a field with several readings says which one was
    used and that the sample chose it, when it is not the default.
    """
    described: list[tuple[str, str]] = []
    seen: set[str] = set()
    for spec in log_format.fields:
        if spec.name in seen:
            continue
        seen.add(spec.name)
        rule = _rule(spec, log_format)
        if spec.width and spec.align:
            side = {"<": "right", ">": "left", "=": "left", "^": "both sides"}[spec.align]
            rule += (
                f"; padded to {spec.width} with {spec.fill!r} on the {side}"
                if side != "both sides"
                else f"; centred in {spec.width} with {spec.fill!r}"
            )
        described.append((spec.name, rule))
    return described


def _rule(spec: FieldSpec, log_format: LogFormat) -> str:
    name = spec.name
    if spec.precision is not None:
        return f"at most {spec.precision} characters (a precision)"
    if name == "asctime" and log_format.date is not None:
        return f"a time as datefmt {log_format.date.datefmt!r} writes it"
    if name == "message":
        return "the rest of the line, and the lines after it that start no record" if name == log_format.fields[-1].name else "any text"
    if spec.integral:
        return "an integer"
    if name in ("created", "relativeCreated", "msecs") or (spec.numeric and not readings_of(name)):
        return "a number"
    if name in ("levelno", "process", "thread", "lineno"):
        return "an integer"
    alternatives = readings_of(name)
    if not alternatives:
        return READINGS["shortest"]
    reading = spec.reading or alternatives[0]
    how = (
        "chosen on the sample over " + ", ".join(f"'{other}'" for other in alternatives if other != reading)
        if spec.reading
        else "the default"
    )
    return f"{READINGS[reading]} (reading '{reading}', {how})"


def _head(pieces: list[str | FieldSpec], date: DateFormat | None) -> str:
    """A pattern every first line of the format matches, and cheap to compile: detection counts the lines it reads.

    A format's whole regex takes about a millisecond to compile (a padded
    field is a branch per value length); this one, a tenth of that, is
    shared by the catalogue's many formats that start alike, and bounds the
    score of a candidate before its own regex is compiled (parse/detect.py).
    A padded field's exact padding is loosened to "any padding", which reads
    more lines, never fewer; a format that starts with padded free text has
    no head beyond its leading literal.
    """
    first = next(index for index, piece in enumerate(pieces) if isinstance(piece, FieldSpec))
    spec = pieces[first]
    assert isinstance(spec, FieldSpec)
    following = _next_literal(pieces, first)
    value = _value_pattern(spec, date, following, is_last=first == len(pieces) - 1)
    parts = ["^", *(escape(piece) for piece in pieces[:first] if isinstance(piece, str))]
    if spec.width and spec.align:
        value_class = _value_class(spec, following)
        if value == FREE_TEXT or value_class is None:
            return "".join(parts) if len(parts) > 1 else ""
        parts.append(_padded(spec, f"(?:{value_class}+)"))
    else:
        parts.append(_field_pattern(spec, value, following, None))
    if following and first + 1 < len(pieces) - 1:  # the last literal is optional on a first line
        parts.append(escape(following))
    return "".join(parts)


def _assemble(pieces: list[str | FieldSpec], date: DateFormat | None, captured: frozenset[str] | None, whole_line: bool = True) -> str:
    """The pattern for a record's first line, capturing every field or only ``captured``.

    The index's variant leaves out the trailing ``.*`` of a final message: a
    match of the prefix is a match of the line, and capturing the message is
    most of the cost of matching.
    """
    seen: set[str] = set()
    parts: list[str] = ["^"]
    for index, piece in enumerate(pieces):
        if isinstance(piece, str):
            if whole_line and index == len(pieces) - 1 and index > 0:
                # A suffix after the last field closes the *last* line of a
                # multi-line record, so the first line may lack it.
                parts.append(f"(?:{escape(piece)})?$")
            else:
                parts.append(escape(piece))
            continue
        following = _next_literal(pieces, index)
        value = _value_pattern(piece, date, following, is_last=index == len(pieces) - 1)
        if captured is not None and index == len(pieces) - 1 and value == ".*":
            break
        # A repeated field, or one the index does not keep, is matched but not captured.
        capture = piece.name not in seen and (captured is None or piece.name in captured)
        seen.add(piece.name)
        parts.append(_field_pattern(piece, value, following, piece.name if capture else None))
    return "".join(parts)


def _field_pattern(piece: FieldSpec, value: str, following: str, group: str | None) -> str:
    """One field with its padding, the same whether it is captured or not."""

    def wrap(body: str) -> str:
        return f"(?P<{group}>{body})" if group else f"(?:{body})"

    if piece.width and piece.align:
        if value == FREE_TEXT:
            # Free text padded to a width: exactly the width (padding
            # included, stripped later), or longer with no padding.
            return wrap(f".{{{piece.width}}}|.{{{piece.width + 1},}}?")
        extended = name_extended(piece.reading)
        if extended is not None:
            # A name with its suffix first (padded, if shorter than the width), then as free text.
            return wrap(f"{extended} {{0,{piece.width}}}|.{{{piece.width}}}|.{{{piece.width + 1},}}?")
        value_class = _value_class(piece, following)
        if value_class is not None:
            return wrap(_exact_width(piece, value_class))
    return _padded(piece, wrap(value))


def _next_literal(pieces: list[str | FieldSpec], index: int) -> str:
    following = pieces[index + 1] if index + 1 < len(pieces) else ""
    return following if isinstance(following, str) else ""


def _value_pattern(spec: FieldSpec, date: DateFormat | None, following: str, is_last: bool) -> str:
    """The pattern for a field's value, before padding."""
    name = spec.name
    if spec.precision is not None:
        return f".{{0,{spec.precision}}}" if spec.precision else ""
    if name == "asctime" and date is not None:
        return date.regex
    if name == "message":
        return ".*" if is_last else ".*?"
    if name in ("created", "relativeCreated", "msecs"):
        return INTEGER if spec.integral else NUMBER
    if name in ("levelno", "process", "thread", "lineno"):
        return INTEGER
    loose = loose_pattern(spec.reading, following) if spec.reading else None
    if loose is not None:
        return loose
    if name == "levelname":
        return LEVELNAME
    if name in TOKEN_FIELDS or name in WORD_FIELDS:
        return token(following)
    if spec.numeric:
        return NUMBER
    return FREE_TEXT


def _value_class(spec: FieldSpec, following: str) -> str | None:
    """The character class of a field whose padding can be matched exactly, or None."""
    if spec.precision is not None or loose_pattern(spec.reading, following) is not None:
        return None
    if spec.name == "levelname":
        return "[A-Z0-9_]"
    if (
        spec.name in ("levelno", "process", "thread", "lineno")
        or spec.integral
        or (spec.numeric and spec.name not in ("created", "relativeCreated", "msecs"))
    ):
        return "[-0-9]"
    if spec.name in ("created", "relativeCreated", "msecs"):
        return "[-+.0-9eE]"
    if spec.name in TOKEN_FIELDS:
        return token(following)[:-1]
    return None


def _exact_width(spec: FieldSpec, value_class: str) -> str:
    """Value and padding exactly as logging writes them: one branch per value length.

    Matching the padding exactly (rather than `` *``) keeps a field from
    taking the next field's spaces, and lets both regex engines reject lines
    that merely resemble the format (``    1 / 0`` is no ``%(relativeCreated)6d``).
    """
    width = spec.width
    fill = escape(spec.fill)
    branches: list[str] = []
    for size in range(1, width):
        pad = width - size
        if spec.align == "<":
            branches.append(f"{value_class}{{{size}}}{fill}{{{pad}}}")
        elif spec.align == "^":
            left = pad // 2
            before = f"{fill}{{{left}}}" if left else ""
            branches.append(f"{before}{value_class}{{{size}}}{fill}{{{pad - left}}}")
        else:
            branches.append(f"{fill}{{{pad}}}{value_class}{{{size}}}")
    branches.append(f"{value_class}{{{width},}}")
    return "(?:" + "|".join(branches) + ")"


def _padded(spec: FieldSpec, group: str) -> str:
    if not spec.width or not spec.align:
        return group
    fill = escape(spec.fill) + "*"
    if spec.align == "<":
        return group + fill
    if spec.align in (">", "="):
        return fill + group
    return fill + group + fill
