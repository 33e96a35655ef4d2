"""Choose how a detected format reads its string fields, from the sample it was detected on.

A format's default readings are strict (one-word logger names, capitalised
level names, the shortest process and thread names), which keeps common
formats' patterns, and the bulk parser's speed, as they were. The sample
says when that is wrong:

- lines that start like the format's records but are turned away (a custom
  level ``verbose``, a logger named ``my app``): the field is read loosely
  when that reads them, with values as few as a field's are;
- a process or thread name before the message, where Python writes
  ``Thread-1 (worker)`` and the cookbook ``listener (for worker 3)``: the
  longer reading is taken when its values repeat as names do and a name is
  never seen both with and without its suffix; a message that merely starts
  with a parenthesis varies from line to line and stays the message.

Only the chosen format is refined, so detection compiles at most a few more
regexes, and none for a sample that needs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from logview.core.parse.field_values import NAME_FIELDS, readings_of
from logview.core.parse.format_string import STRICT_FIELDS, LogFormat, compiled_regex, format_pieces, with_readings
from logview.core.record import level_number

__all__ = ["choose_readings"]

Matches = list[re.Match[str] | None]

#: Python's five levels and a few custom ones: more distinct "levels" than this are words of messages.
LEVELS_IN_A_PROGRAM = 8


def choose_readings(log_format: LogFormat, lines: Sequence[str], every_line_read: bool = False) -> LogFormat:
    """``log_format`` with the readings that read ``lines`` best (itself when its own do).

    ``every_line_read``: the caller knows the format reads every line (its
    score says so), and a format without ambiguous names then costs nothing.
    """
    names = _names_before_free_text(log_format)
    if every_line_read and not names:
        return log_format
    found: Matches = [log_format.compiled.match(line) for line in lines]
    if not every_line_read:
        log_format, found = _loosen_what_turns_lines_away(log_format, lines, found)
    return _lengthen_names(log_format, lines, found, names)


def _loosen_what_turns_lines_away(log_format: LogFormat, lines: Sequence[str], found: Matches) -> tuple[LogFormat, Matches]:
    """Loosen the fields that turn record-like lines away: one at a time, then, for lines several fields turn away, together."""
    if not _turned_away(log_format, lines, found):
        return log_format, found
    loosenable = [
        spec.name
        for spec in log_format.fields
        if spec.name not in NAME_FIELDS and len(readings_of(spec.name)) >= 2 and spec.name not in log_format.readings
    ]
    loosened_one = True
    while loosened_one:  # a field loosened may let another's loosening read the lines both turned away
        loosened_one = False
        for name in loosenable:
            if name not in log_format.readings:
                before = log_format
                log_format, found = _loosened(log_format, lines, found, [name])
                loosened_one = loosened_one or log_format is not before
    together = [name for name in loosenable if name not in log_format.readings]
    if len(together) < 2 or not _turned_away(log_format, lines, found):
        return log_format, found
    trial, trial_found = _loosened(log_format, lines, found, together)
    if trial is log_format:
        return log_format, found
    for name in together:  # keep only the loosenings the added lines need
        fewer = [other for other in together if other != name and other in trial.readings]
        strict = with_readings(log_format, {other: readings_of(other)[1] for other in fewer})
        strict_found: Matches = [strict.compiled.match(line) for line in lines]
        if _read(strict_found) == _read(trial_found):
            trial, trial_found = strict, strict_found
    return trial, trial_found


def _turned_away(log_format: LogFormat, lines: Sequence[str], found: Matches) -> bool:
    return any(match is None and _starts_like(log_format, line) for line, match in zip(lines, found, strict=True))


def _loosened(log_format: LogFormat, lines: Sequence[str], found: Matches, names: list[str]) -> tuple[LogFormat, Matches]:
    """``log_format`` with ``names`` read loosely, if that only adds lines and the added lines look like the others' records."""
    trial = with_readings(log_format, {name: readings_of(name)[1] for name in names})
    trial_found: Matches = [trial.compiled.match(line) for line in lines]
    if any(
        before is not None and (after is None or _stripped(after) != _stripped(before))
        for before, after in zip(found, trial_found, strict=True)
    ):
        return log_format, found  # the looser reading may only add lines: those the stricter one reads, it must read alike
    added = [after for before, after in zip(found, trial_found, strict=True) if after is not None and before is None]
    if added and _alike(names, added, found) and all(_few_of(name, _values(trial_found, name), _read(trial_found)) for name in names):
        return trial, trial_found
    return log_format, found


def _alike(loosened: list[str], added: list[re.Match[str]], found: Matches) -> bool:
    """Whether the lines a looser reading adds look like the others: records of the same program, not another format's lines.

    The loosened fields' new values must be few; every other field of names
    (loggers, levels, processes, ...) must mostly take values seen already,
    if the stricter reading read any line. A level logging knows (``INFO``,
    ``Level 7``) is no stranger: the lines a logger name turned away may
    hold the program's other levels.
    """
    if not all(_few_of(name, {match.group(name).strip() for match in added}, len(added)) for name in loosened):
        return False
    for name in added[0].re.groupindex:
        if name in loosened or name == "message" or (name in STRICT_FIELDS and name != "levelname"):
            continue
        known = _values(found, name)
        new = {value for value in _values(list(added), name) if value not in known}
        if name == "levelname":
            new = {value for value in new if level_number(value) is None}
        if _read(found) >= len(added) and len(new) > max(2, len(added) // 4):
            return False
    return True


def _lengthen_names(log_format: LogFormat, lines: Sequence[str], found: Matches, names: list[str]) -> LogFormat:
    for name in names:
        if not any(match is not None and _next_starts_name_part(match, name) for match in found):
            continue
        for reading in readings_of(name)[1:]:
            trial = with_readings(log_format, {name: reading})
            trial_found: Matches = [trial.compiled.match(line) for line in lines]
            if _read(trial_found) < _read(found):
                continue
            extended: dict[str, set[bool]] = {}
            values: set[str] = set()
            for before, after in zip(found, trial_found, strict=True):
                if before is None or after is None:
                    continue
                old, new = before.group(name).strip(), after.group(name).strip()
                extended.setdefault(old, set()).add(new != old)
                values.add(new)
            if not any(True in flags for flags in extended.values()):
                continue  # reads nothing longer: no reason to leave the default
            if all(len(flags) == 1 for flags in extended.values()) and len(values) <= _name_limit(_read(trial_found)):
                log_format, found = trial, trial_found
    return log_format


def _names_before_free_text(log_format: LogFormat) -> list[str]:
    """The process, thread and task names followed (after spaces) by a field that could take their end: the ambiguous ones."""
    pieces = format_pieces(log_format)
    names: list[str] = []
    for index, piece in enumerate(pieces):
        if isinstance(piece, str) or piece.name not in NAME_FIELDS or piece.name in names:
            continue
        rest = pieces[index + 1 :]
        if rest and isinstance(rest[0], str):
            if rest[0].strip():
                continue  # a literal such as "]" ends it
            rest = rest[1:]
        following = rest[0] if rest else None
        if following is None or isinstance(following, str) or following.name in STRICT_FIELDS or following.numeric:
            continue
        names.append(piece.name)
    return names


def _next_starts_name_part(match: re.Match[str], name: str) -> bool:
    """Whether ``name``'s value could be longer: it has a space (padded to a width, or cut), or a parenthesis or a number follows it."""
    if name not in match.re.groupindex or match.group(name) is None:
        return False
    rest = match.string[match.end(name) :].lstrip()
    return " " in match.group(name).strip() or rest[:1] == "(" or rest[:1].isdigit()


def _starts_like(log_format: LogFormat, line: str) -> bool:
    """Whether ``line`` starts as the format's records do (a traceback's lines do not)."""
    if log_format.head_regex:
        return compiled_regex(log_format.head_regex).match(line) is not None
    return log_format.could_match(line)


def _stripped(match: re.Match[str]) -> dict[str, str | None]:
    """A match's values without their padding, which some readings leave outside the group."""
    return {key: value.strip() if value is not None else None for key, value in match.groupdict().items()}


def _read(found: Matches) -> int:
    return sum(1 for match in found if match is not None)


def _values(found: Matches, name: str) -> set[str]:
    return {match.group(name).strip() for match in found if match is not None and match.group(name) is not None}


def _few(values: set[str], lines: int) -> bool:
    """As few distinct values as a field of names has: words of messages are many more."""
    return len(values) <= max(8, lines // 4) if lines >= 8 else len(values) <= max(2, lines // 2)


def _few_of(name: str, values: set[str], lines: int) -> bool:
    """``_few`` for field ``name``: a program's levels are at most a handful in any sample, however small."""
    return len(values) <= LEVELS_IN_A_PROGRAM if name == "levelname" else _few(values, lines)


def _name_limit(lines: int) -> int:
    """How many distinct names a reading may give: each seen twice on average, and a quarter of the lines in a large sample."""
    return max(1, min(lines // 2, max(8, lines // 4)))
