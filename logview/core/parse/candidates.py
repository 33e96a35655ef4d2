"""The formats detection weighs, and how strongly a sample's lines say each of them wrote it.

Every candidate is tried on the sample; each line it reads adds its
specificity (more fields, strict ones counted double) to its score, and the
highest score wins, ties going to the earlier candidate. Apart from
detect.py, which chooses a file's format, and mixed_formats.py, which finds
the other formats a file mixes in: both weigh candidates this way, and so
does --explain-format.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from logview.core.parse.catalogue import ACCESS_LOGS, CATALOGUE, RENDERERS
from logview.core.parse.format_string import TOKEN_FIELDS, LogFormat, compile_format, compiled_regex
from logview.core.parse.reading_choice import choose_readings
from logview.core.record import level_number

__all__ = ["best_format", "catalogue_formats", "format_score"]

_catalogue_cache: list[LogFormat] | None = None


def catalogue_formats() -> list[LogFormat]:
    global _catalogue_cache
    if _catalogue_cache is None:
        _catalogue_cache = [
            compile_format(
                entry.fmt, entry.style, entry.datefmt, origin=f"catalogue: {entry.origin or 'common order'}", readings=dict(entry.readings)
            )
            for entry in CATALOGUE + ACCESS_LOGS + RENDERERS
        ]
    return _catalogue_cache


def best_format(lines: Sequence[str], candidates: Sequence[LogFormat]) -> LogFormat | None:
    """The candidate with the highest score; on a tie the one with fewer free-text fields (the simpler reading), then the earlier.

    A candidate scores at most its specificity for every line it reads.
    Candidates are tried from the highest such bound down, and one that
    cannot beat the best so far is not tried, nor its regex compiled (about
    a millisecond each, most of a first run's first frame): first the bound
    of all the lines, then that of the lines its head reads (the start every
    first line of it has, shared by many candidates and cheap to compile).
    """
    best: LogFormat | None = None
    best_key = (0, 0, 0)
    bounds = [
        (max(candidate.specificity, 1) * len(lines), -candidate.free_text_fields, -index) for index, candidate in enumerate(candidates)
    ]
    heads: dict[str, int] = {}
    for index in sorted(range(len(candidates)), key=lambda index: bounds[index], reverse=True):
        if best is not None and bounds[index] <= best_key:
            continue
        candidate = candidates[index]
        if best is not None and candidate.head_regex:
            if candidate.head_regex not in heads:
                head = compiled_regex(candidate.head_regex)
                heads[candidate.head_regex] = sum(1 for line in lines if head.match(line) is not None)
            if (max(candidate.specificity, 1) * heads[candidate.head_regex], *bounds[index][1:]) <= best_key:
                continue
        score = format_score(candidate, lines)
        if score is None:
            continue
        key = (score, -candidate.free_text_fields, -index)
        if score and key > best_key:
            best, best_key = candidate, key
    # How its string fields are read (a thread name's "(worker)", a custom level) is for the sample to say.
    return choose_readings(best, lines, every_line_read=best_key[0] == best.specificity * len(lines)) if best is not None else None


def format_score(candidate: LogFormat, lines: Sequence[str]) -> int | None:
    """How strongly the lines say "written with this format"; None when its token fields are implausible.

    Each line read counts the format's specificity, so a richer format that
    reads a line beats a looser one that reads it too. A padded field must
    fill exactly its width (or its value, when longer), as logging pads it, or
    the line was not written with this format; a "level" that is no level
    name (a capitalised word in a message) counts as the weakest match.

    Logger, module and function names come from a small set; words of
    messages do not. Without that check, a format with ``%(name)s`` before
    the message reads the first word of every message as a logger, and always
    outscores the format that really wrote the file. One pass over the lines
    does both, one regex match per line.
    """
    if not any(candidate.could_match(line) for line in lines):
        return 0  # its regex would read none of them: not even compiled
    pattern = candidate.compiled
    specificity = candidate.specificity
    has_level = any(spec.name == "levelname" for spec in candidate.fields)
    tokens = list(dict.fromkeys(spec.name for spec in candidate.fields if spec.name in TOKEN_FIELDS))
    seen: list[set[str | None]] = [set() for _ in tokens]
    fills = {name: fill for name, _side, fill in candidate.padded}  # padding of other characters than spaces
    # A "pid" that is the level's number on every line is the level's number (%(levelname)s %(levelno)d).
    pid_is_levelno = has_level and "process" in pattern.groupindex
    score = matched = 0
    for line in lines:
        found = pattern.match(line)
        if found is None:
            continue
        matched += 1
        if pid_is_levelno:
            pid_is_levelno = str(level_number(found.group("levelname").strip())) == (found.group("process") or "").strip()
        for values, name in zip(seen, tokens, strict=True):
            value = found.group(name)
            values.add(value.strip().strip(fills.get(name, " ")) if value is not None else None)
        level = found.group("levelname") if has_level else None
        # A "level name" of digits is a number in a level's place (a thread ident), not a name.
        score += 1 if level is not None and (level_number(level.strip()) is None or level.strip().isdigit()) else specificity
    if matched >= 8 and any(len(values) > max(8, matched // 4) for values in seen):
        return None
    if any(_unlike_names(values) for values in seen) or (pid_is_levelno and matched > 1):
        return None
    return score


#: What a logger, module, file or function name holds: word characters, dots, dashes, spaces and parentheses (read
#: with a looser reading: ``my app``, ``app.v2 (beta)``), and a letter or _ among them (``<module>``, ``<lambda>``):
#: ``10`` is a number, not a name.
_NAME_LIKE = re.compile(r"^(?:<\w+>|[\w.() -]*[^\W\d][\w.() -]*)$")


def _unlike_names(values: set[str | None]) -> bool:
    """Whether the values a token field read include words no name is written as (``user=42``, ``[cache]``, ``-``).

    The first words of messages read as a logger name are few in a small
    sample, so their number alone does not give them away; their shape does.
    One odd value among names is allowed (a name with a character this rule
    does not know), but not one that is all there is (``-`` on every line: a separator).
    """
    named = [value for value in values if value is not None]
    odd = sum(1 for value in named if not _NAME_LIKE.match(value))
    return odd > max(1, len(named) // 8) or (odd > 0 and odd == len(named))
