"""``--explain-format``: which format was chosen for each input, and why, in plain text.

When a file is read wrongly, the first question is what logview took its
format to be. This answers it from the same sample and the same detection
calls the printer and the viewer make (``detect_after``, the previous
input's format, the remembered answers), then says what else was close and
how each field was matched, with a few values from the sample.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from logview.core.config import NamedFormat, formats_for, previous_for
from logview.core.parse.candidates import catalogue_formats
from logview.core.parse.detect import SAMPLE_LINES, Format, candidate_score, detect_after
from logview.core.parse.format_string import STRICT_FIELDS, TOKEN_FIELDS, LogFormat
from logview.core.parse.json_lines import JsonLinesFormat, looks_like_json_record

__all__ = ["Explanation", "describe_fields", "explain_sample"]

WIDTH = 80
#: Distinct example values shown for each field, and how much of each.
EXAMPLES = 3
EXAMPLE_CHARS = 30
#: The label column: "runner-up" and a space.
LABEL = 10


class Explanation(NamedTuple):
    """The format chosen for one input, and its explanation as lines of at most WIDTH characters (but unbreakable words)."""

    chosen: Format | None
    lines: list[str]


def explain_sample(
    name: str,
    sample: Sequence[str],
    previous: Format | None,
    user_formats: Sequence[LogFormat] = (),
    named_formats: Sequence[NamedFormat] = (),
    config_path: str = "",
) -> Explanation:
    """Explain the format of input ``name`` from its ``sample``, read after an input whose format was ``previous``."""
    tried_first = formats_for(name, user_formats, named_formats)
    previous = previous_for(name, previous, named_formats)
    chosen = detect_after(sample, previous, tried_first)
    lines = [line for line in sample[:SAMPLE_LINES] if line.strip()]
    out = [name]
    if chosen is None:
        out += _field("format", "none: no format reads any line, so each line is shown as a plain-text record")
        out += _field("sample", f"{len(lines):,} non-blank lines")
        return Explanation(None, out)
    if isinstance(chosen, JsonLinesFormat):
        objects = [found for line in lines if (found := looks_like_json_record(line)) is not None]
        out += _field("format", "JSON lines: one JSON object per record")
        out += _field("why", "at least half of the sample's lines are JSON log records")
        out += _field("sample", f"{len(lines):,} non-blank lines: {len(objects):,} JSON records")
        keys = list(dict.fromkeys(key for found in objects for key in found))
        out += _field("keys", ", ".join(keys) or "none")
        return Explanation(chosen, out)
    members = _members(chosen)
    main = members[0]
    out += _field("format", main.fmt)
    out += _field("", f"style {main.style}, datefmt {main.datefmt!r}" if main.datefmt else f"style {main.style}, logging's default datefmt")
    out += _field("origin", _origin(main, named_formats, config_path))
    out += _field("why", _why(main, previous, tried_first, named_formats))
    for other in members[1:]:
        out += _field("also", f"{other.fmt} (style {other.style}; {other.origin or 'another format of this file'})")
    matches = [read.groupdict() for line in lines if (read := _first_match(members, line)) is not None]
    out += _field(
        "sample",
        f"{len(lines):,} non-blank lines: {len(matches):,} read as records' first lines, "
        f"{len(lines) - len(matches):,} as continuation lines (tracebacks, multi-line messages)",
    )
    out += _runner_up(main, sample, tried_first)
    out.append("  fields")
    described = describe_fields(main)
    column = max(len(field_name) for field_name, _ in described) + 1
    for field_name, rule in described:
        values = list(dict.fromkeys(_shown(match[field_name], field_name) for match in matches if match.get(field_name) is not None))
        examples = ", ".join(repr(value) for value in values[:EXAMPLES]) or "none in the sample"
        out += _wrapped(f"    {field_name:<{column}}", f"{rule}; e.g. {examples}")
    return Explanation(chosen, out)


def describe_fields(log_format: LogFormat) -> list[tuple[str, str]]:
    """How each field is matched: (name, rule), each name once, in order.

    The one place to swap for format_string.describe_fields (issue 13's
    field-value patterns), which knows the rule each field was compiled with.
    """
    described: list[tuple[str, str]] = []
    for spec in log_format.fields:
        if spec.name in {name for name, _ in described}:
            continue
        if spec.precision is not None:
            rule = f"at most {spec.precision} characters"
        elif spec.name == "asctime" and log_format.date is not None:
            rule = f"a time as datefmt {log_format.date.datefmt!r} writes it" if log_format.datefmt else "a time as logging writes it"
        elif spec.name == "message":
            rule = "the rest of the line, and the lines after it that start no record"
        elif spec.name == "levelname":
            rule = "a level name (capitals, digits and _) or 'Level N'"
        elif spec.name in STRICT_FIELDS:
            rule = "a number" if spec.name in ("created", "relativeCreated", "msecs") else "an integer"
        elif spec.name in TOKEN_FIELDS:
            rule = "a word without spaces, up to the text that follows it"
        elif spec.numeric:
            rule = "a number"
        else:
            rule = "any text, as little as lets the rest of the line match"
        if spec.width and spec.align:
            rule += f", padded to {spec.width}"
        described.append((spec.name, rule))
    return described


def _members(chosen: Format) -> list[LogFormat]:
    """The file's formats, the main one first: one, or several for a file written in more than one."""
    if isinstance(chosen, LogFormat):
        return [chosen]
    formats = getattr(chosen, "formats", ())
    return [item for item in formats if isinstance(item, LogFormat)]


def _first_match(members: Sequence[LogFormat], line: str) -> re.Match[str] | None:
    for member in members:
        found = member.compiled.match(line)
        if found is not None:
            return found
    return None


def _origin(chosen: LogFormat, named_formats: Iterable[NamedFormat], config_path: str) -> str:
    origin = chosen.origin or "unknown"
    if config_path and any(item.log_format == chosen for item in named_formats):
        named = next(item for item in named_formats if item.log_format == chosen)
        files = f", for files matching {', '.join(named.files)}" if named.files else ", for every file"
        return f"{origin} ({config_path}{files})"
    return origin


def _why(chosen: LogFormat, previous: Format | None, tried_first: Sequence[LogFormat], named_formats: Sequence[NamedFormat]) -> str:
    if chosen in tried_first:
        given = "the config file's" if any(item.log_format == chosen for item in named_formats) else "the command line's"
        return f"{given} formats are tried before the catalogue, and this one reads the sample best of them"
    if chosen == previous:
        return "the format of the input before it, which reads at least 80% of this one's lines (a rotation set's files share theirs)"
    if chosen.origin == "inferred" or chosen.origin.startswith("inferred"):
        return "no catalogue entry reads the sample well: the format was inferred from its lines"
    if tried_first:
        return "none of the formats tried first reads a line: the catalogue's best score"
    return "the catalogue's format with the best score on the sample (each line read counts the format's specificity)"


def _runner_up(chosen: LogFormat, sample: Sequence[str], tried_first: Sequence[LogFormat]) -> list[str]:
    """The best-scoring other candidate: a format tried first, or a catalogue entry."""
    scores: list[tuple[int, int, LogFormat]] = []
    for order, candidate in enumerate([*tried_first, *catalogue_formats()]):
        if candidate.regex == chosen.regex:
            continue
        score = candidate_score(candidate, sample)
        if score:
            scores.append((score, -order, candidate))
    own = candidate_score(chosen, sample)
    if not scores:
        return _field("runner-up", f"none: no other candidate reads a line (the chosen format scores {own or 0:,})")
    score, _, best = max(scores, key=lambda item: item[:2])
    return [
        *_field("runner-up", best.fmt),
        *_field("", f"{best.origin or 'a format tried first'}; score {score:,} (the chosen format's: {own or 0:,})"),
    ]


def _shown(value: str, field_name: str) -> str:
    value = value if field_name == "message" else value.strip()
    return value if len(value) <= EXAMPLE_CHARS else value[: EXAMPLE_CHARS - 1] + "…"


def _field(label: str, text: str) -> list[str]:
    return _wrapped(f"  {label:<{LABEL}}", text)


def _wrapped(first: str, text: str) -> list[str]:
    """``text`` after a label, wrapped at WIDTH with its continuation lines under the text, not the label."""
    indent = " " * len(first)
    wrapped = textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)
    return wrapped or [first.rstrip()]
