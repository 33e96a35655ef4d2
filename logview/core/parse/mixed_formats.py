"""The other formats of a file written in several: the formats that join the one detection chose.

A program whose format changed between runs, or a handler whose formatter
was swapped, leaves lines the chosen format reads only as the continuation
of a record. Here the candidates that read such lines with a time or a
level join the file's formats (a FormatSet, format_set.py), and a loose
format that reads every line is replaced by the richer ones that wrote them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from logview.core.parse.candidates import best_format, catalogue_formats
from logview.core.parse.format_set import FormatSet, unpadded
from logview.core.parse.format_string import LogFormat, compiled_regex
from logview.core.record import level_number

__all__ = ["MAX_FORMATS", "member_formats", "read_by", "with_others"]

#: The most formats one file is read with: a few changes of format, and a few regexes per line for the index.
MAX_FORMATS = 4
#: A traceback's first line (an exception group's is indented), and the lines that chain one traceback to the next.
_TRACEBACK = re.compile(
    r"^[ |+]*(?:Exception Group )?Traceback \(most recent call last\):|^During handling of the above|^The above exception"
)
#: What a record's first line shows, a time of day or a word in capitals (a level): lines without either are not tried.
_RECORD_HINT = re.compile(r"\d:\d\d|[A-Z]{4,}|Level -?\d")
#: Lines of the exception's text a candidate must read to count there: one or two may be quoted, a run is records.
_RUN = 3
#: Where a line of the sample lies, for with_others: read by a format of the file, in a traceback, or free.
_READ, _TRACEBACK_LINE, _FREE = -2, -1, 0


def with_others(
    lines: Sequence[str], read: list[bool], chosen: LogFormat | FormatSet, user_formats: Sequence[LogFormat]
) -> LogFormat | FormatSet:
    """detect.with_other_formats, given the sample's non-blank lines and which of them ``chosen`` reads."""
    members = member_formats(chosen)
    if isinstance(chosen, LogFormat):
        richer = _richer_readings([line for line, done in zip(lines, read, strict=True) if done], chosen, user_formats)
        if richer:
            members = richer
            read = read_by(members, lines)
    while len(members) < MAX_FORMATS and not all(read):
        places, open_zone = _places(lines, read)
        pool = [line for line, place in zip(lines, places, strict=True) if place >= _FREE and _RECORD_HINT.search(line)]
        if not pool:
            break
        known = {member.regex for member in members}
        found = best_format(
            pool, [candidate for candidate in _other_candidates(members, user_formats, pool) if candidate.regex not in known]
        )
        if found is None or not _has_evidence(found, lines, places, open_zone):
            break
        members.append(found)
        read = [done or found.compiled.match(line) is not None for done, line in zip(read, lines, strict=True)]
    if len(members) == 1:
        return members[0]
    return FormatSet(tuple(members))


def member_formats(log_format: LogFormat | FormatSet) -> list[LogFormat]:
    return list(log_format.formats) if isinstance(log_format, FormatSet) else [log_format]


def read_by(formats: Sequence[LogFormat], lines: Sequence[str]) -> list[bool]:
    """Whether any of ``formats`` reads each line."""
    matchers = [log_format.compiled.match for log_format in formats]
    if len(matchers) == 1:
        match = matchers[0]
        return [match(line) is not None for line in lines]
    return [any(match(line) is not None for match in matchers) for line in lines]


def _richer_readings(read_lines: Sequence[str], chosen: LogFormat, user_formats: Sequence[LogFormat]) -> list[LogFormat]:
    """Two or more formats with all of ``chosen``'s fields and more that read between them every line it reads, or [].

    A loose format (``%(asctime)s %(levelname)s %(message)s``) reads every
    line of a file written in two richer ones, their loggers left in the
    message, and outscores each of them: it reads all the lines, each of them
    only some. Read by the richer ones, each line keeps its fields. A
    format the user gave is not second-guessed.
    """
    if chosen in user_formats:
        return []
    fields = set(chosen.names)
    richer = [candidate for candidate in _other_candidates([chosen], user_formats) if fields < set(candidate.names)]
    # Between them they read every line, so the first and the last: most files are done at this cheap check.
    if not read_lines or not all(any(_reads(candidate, line) for candidate in richer) for line in (read_lines[0], read_lines[-1])):
        return []
    remaining = list(read_lines)
    found: list[LogFormat] = []
    while remaining and richer and len(found) < MAX_FORMATS:
        best = best_format(remaining, richer)
        if best is None:
            return []
        found.append(best)
        richer = [candidate for candidate in richer if candidate.regex != best.regex]
        remaining = [line for line in remaining if best.compiled.match(line) is None]
    # One format that reads them all as it was is no mix: detect_format weighed it against ``chosen`` (a tie goes to
    # the simpler). One that reads them all only with readings chosen on these lines (its padding loosened to read
    # unpadded lines too: reading_choice.py) was not weighed there, and reads each line with more fields.
    return found if not remaining and (len(found) > 1 or found[0].readings) else []


def _reads(candidate: LogFormat, line: str) -> bool:
    """Whether ``candidate`` reads ``line``, its literals and head tried before its own regex is compiled."""
    if not candidate.could_match(line):
        return False
    if candidate.head_regex and compiled_regex(candidate.head_regex).match(line) is None:
        return False
    return candidate.compiled.match(line) is not None


def _other_candidates(members: Sequence[LogFormat], user_formats: Sequence[LogFormat], pool: Sequence[str] = ()) -> list[LogFormat]:
    """What the lines no format of the file reads may have been written with, the likeliest first.

    The user's formats; the file's own and the user's without their padding
    (a ``$``-style formatter with the same fields cannot pad); the catalogue;
    and the format inferred from the ``pool`` of those lines (parse/infer.py).
    """
    variants = [variant for variant in map(unpadded, [*members, *user_formats]) if variant is not None]
    inferred = None
    if len(pool) >= 2:
        from logview.core.parse.infer import infer_format

        inferred = infer_format(pool)
    return [*user_formats, *variants, *catalogue_formats(), *([inferred] if inferred is not None else [])]


def _places(lines: Sequence[str], read: Sequence[bool]) -> tuple[list[int], int]:
    """Where each line lies: _READ, _TRACEBACK_LINE, _FREE, or the number of the exception's text it belongs to.

    Also the number of the exception's text that runs to the end of the
    sample (0 if none). A traceback is its header, the indented lines after
    it, and the exception line; the exception's text goes on until a line
    the file's formats read.
    """
    places: list[int] = []
    state, zone = "record", 0
    for line, done in zip(lines, read, strict=True):
        indented = line[:1].isspace()
        if done:
            state = "record"
            places.append(_READ)
        elif _TRACEBACK.match(line):
            state = "group" if indented else "frames"
            places.append(_TRACEBACK_LINE)
        elif state in ("frames", "group") and indented:
            places.append(_TRACEBACK_LINE)
        elif state == "frames":
            state, zone = "text", zone + 1  # the exception line: its text may go on after it
            places.append(_TRACEBACK_LINE)
        elif state == "text":
            places.append(zone)
        else:
            state = "record"
            places.append(_FREE)
    return places, zone if state == "text" else 0


def _has_evidence(candidate: LogFormat, lines: Sequence[str], places: Sequence[int], open_zone: int) -> bool:
    """Whether ``candidate`` reads, with a time or a known level, a line outside tracebacks, or a run in an exception's text."""
    in_text: dict[int, int] = {}
    for line, place in zip(lines, places, strict=True):
        if place < _FREE:
            continue
        fields = candidate.match(line)
        if fields is None or not ("asctime" in fields or "levelno" in fields or level_number(fields.get("levelname", "")) is not None):
            continue
        if place in (_FREE, open_zone):
            return True
        in_text[place] = in_text.get(place, 0) + 1
        if in_text[place] >= _RUN:
            return True
    return False
