"""Choose a file's format from a sample of its first lines.

Every candidate (the user's formats first, then the catalogue) is tried on the
sample; each line it reads adds its specificity (more fields, strict ones
counted double) to its score, and the highest score wins, ties going to the
earlier candidate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from logview.core.parse.catalogue import ACCESS_LOGS, CATALOGUE, RENDERERS
from logview.core.parse.format_set import FormatSet, unpadded
from logview.core.parse.format_string import TOKEN_FIELDS, LogFormat, compile_format, compiled_regex
from logview.core.parse.json_lines import JsonLinesFormat, looks_like_json_record
from logview.core.parse.reading_choice import choose_readings
from logview.core.record import level_number

#: Lines of an input's start that detection reads.
HEAD_LINES = 400
#: Lines of its end read too, when the file is larger than its start's lines: a format changed later (a program upgraded,
#: a handler's formatter swapped) is then one of the file's formats rather than the continuation of one record.
TAIL_LINES = 100
#: The most lines a sample holds.
SAMPLE_LINES = HEAD_LINES + TAIL_LINES

Format = LogFormat | JsonLinesFormat | FormatSet

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


def detect_format(sample: Sequence[str], user_formats: Sequence[LogFormat] = ()) -> Format | None:
    """The best format for these lines, or None if nothing matches any of them.

    The user's formats are tried first; JSON lines and the catalogue only
    when none of them recognises a single line (a mixed set of files, or a
    config file's format that applies to every file).
    """
    lines = [line for line in sample[:SAMPLE_LINES] if line.strip()]
    if not lines:
        return user_formats[0] if user_formats else None
    if user_formats:
        chosen = _best(lines, [choose_readings(log_format, lines) for log_format in user_formats])
        if chosen is not None:
            return chosen
    json_hits = sum(1 for line in lines if looks_like_json_record(line) is not None)
    if json_hits * 2 >= len(lines):
        return JsonLinesFormat()
    chosen = _best(lines, catalogue_formats())
    from logview.core.parse.infer import infer_format, leaves_fields_unread  # a run whose formats are remembered never needs it

    if chosen is None or leaves_fields_unread(chosen, lines):
        inferred = infer_format(lines)
        inferred_score = (_score(inferred, lines) or 0) if inferred is not None else 0
        chosen_score = (_score(chosen, lines) or 0) if chosen is not None else 0
        # On a tie, the inferred format wins if it leaves less in the messages: what the catalogue's left unread there
        # (a separator, padding) weighs nothing in a score.
        if (
            inferred is not None
            and inferred_score
            and (
                inferred_score > chosen_score
                or (inferred_score == chosen_score and chosen is not None and _leaves_less(inferred, chosen, lines))
            )
        ):
            return inferred
    return chosen


def _leaves_less(inferred: LogFormat, chosen: LogFormat, lines: Sequence[str]) -> bool:
    """Whether ``inferred`` reads the sample's messages shorter than ``chosen`` does: more of each line read as fields."""

    def message_lengths(log_format: LogFormat) -> int:
        total = 0
        for line in lines:
            found = log_format.compiled.match(line)
            if found is not None and "message" in found.groupdict():
                total += len(found["message"] or "")
        return total

    return message_lengths(inferred) < message_lengths(chosen)


def detect_after(sample: Sequence[str], previous: Format | None, user_formats: Sequence[LogFormat] = ()) -> Format | None:
    """The format of an input read after one in ``previous``: that one again when it reads the sample as well.

    Files of one rotation set share their format, and trying the whole
    catalogue on each of them costs more than parsing a chunk. The answer
    for a sample seen in an earlier run is remembered (parse/remembered.py),
    unless ``previous`` reads it: that costs one match per line, less than
    writing the cache (a follower reads hundreds of rotated copies a second).
    """
    found = _previous_if_it_reads(sample, previous, user_formats)
    if found is not None:
        return found
    from logview.core.parse.remembered import remembered

    return remembered(sample, previous, user_formats, lambda: with_other_formats(sample, detect_format(sample, user_formats), user_formats))


def _previous_if_it_reads(sample: Sequence[str], previous: Format | None, user_formats: Sequence[LogFormat]) -> Format | None:
    if isinstance(previous, LogFormat | FormatSet) and not user_formats:
        lines = [line for line in sample[:SAMPLE_LINES] if line.strip()]
        read = _read_by(_members(previous), lines)
        # Continuation lines do not match: a traceback-heavy sample still reads well.
        if lines and sum(read) >= 0.8 * len(lines):
            return _with_others(lines, read, previous, user_formats)
    return None


def sample_lines(head: bytes, lines: int = HEAD_LINES, tail: bytes = b"", tail_offset: int = 0) -> list[str]:
    """The lines detection looks at: at most ``lines`` of the input's first 256 KiB, then the last TAIL_LINES of ``tail``.

    ``tail`` is a plain file's last bytes, read from ``tail_offset``: the
    lines of it after those of the head (a line it starts within is left
    out). The index, the first frame and ``--explain-format`` pass the same
    bytes, so that they agree.
    """
    head = head[: 256 * 1024]
    end = 0
    for _ in range(lines):
        found = head.find(b"\n", end)
        if found < 0:
            end = len(head)
            break
        end = found + 1
    sample = head[:end].decode("utf-8", "replace").splitlines()[:lines]
    if tail:
        cut = end - tail_offset
        rest = tail[max(cut, 0) :]
        if cut <= 0 or not head.endswith(b"\n", 0, end):
            rest = rest[rest.find(b"\n") + 1 :]  # it starts within a line
        sample += rest.decode("utf-8", "replace").splitlines()[-TAIL_LINES:]
    return sample


def _best(lines: Sequence[str], candidates: Sequence[LogFormat]) -> LogFormat | None:
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
        score = _score(candidate, lines)
        if score is None:
            continue
        key = (score, -candidate.free_text_fields, -index)
        if score and key > best_key:
            best, best_key = candidate, key
    # How its string fields are read (a thread name's "(worker)", a custom level) is for the sample to say.
    return choose_readings(best, lines, every_line_read=best_key[0] == best.specificity * len(lines)) if best is not None else None


def _score(candidate: LogFormat, lines: Sequence[str]) -> int | None:
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


def candidate_score(candidate: LogFormat, sample: Sequence[str]) -> int | None:
    """The score detection gives ``candidate`` on a sample (--explain-format shows the runner-up's); None: implausible tokens."""
    return _score(candidate, [line for line in sample[:SAMPLE_LINES] if line.strip()])


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
#: Where a line of the sample lies, for with_other_formats: read by a format of the file, in a traceback, or free.
_READ, _TRACEBACK_LINE, _FREE = -2, -1, 0


def detect_formats(sample: Sequence[str], user_formats: Sequence[LogFormat] = ()) -> Format | None:
    """detect_format's answer for the sample, with the formats of its records that answer does not read."""
    return with_other_formats(sample, detect_format(sample, user_formats), user_formats)


def with_other_formats(sample: Sequence[str], chosen: Format | None, user_formats: Sequence[LogFormat] = ()) -> Format | None:
    """``chosen`` with the other formats the sample's records were written in: a FormatSet, or ``chosen`` alone.

    A line that none of the file's formats reads continues a record; but when
    another candidate reads such lines with a time or a known level, the
    file was written in that format too (a program whose format changed
    between runs, a handler whose formatter was swapped), and it joins the
    file's formats, up to MAX_FORMATS. A traceback is no evidence: its header,
    frames and exception line, nor the exception's text after it, unless that
    text holds a run of the candidate's lines or runs to the sample's end
    (the program went on in another format after a crash).
    """
    if not isinstance(chosen, LogFormat | FormatSet):
        return chosen
    lines = [line for line in sample[:SAMPLE_LINES] if line.strip()]
    return _with_others(lines, _read_by(_members(chosen), lines), chosen, user_formats)


def _with_others(lines: Sequence[str], read: list[bool], chosen: LogFormat | FormatSet, user_formats: Sequence[LogFormat]) -> Format:
    """with_other_formats, given the sample's non-blank lines and which of them ``chosen`` reads."""
    members = _members(chosen)
    if isinstance(chosen, LogFormat):
        richer = _richer_readings([line for line, done in zip(lines, read, strict=True) if done], chosen, user_formats)
        if richer:
            members = richer
            read = _read_by(members, lines)
    while len(members) < MAX_FORMATS and not all(read):
        places, open_zone = _places(lines, read)
        pool = [line for line, place in zip(lines, places, strict=True) if place >= _FREE and _RECORD_HINT.search(line)]
        if not pool:
            break
        known = {member.regex for member in members}
        found = _best(pool, [candidate for candidate in _other_candidates(members, user_formats, pool) if candidate.regex not in known])
        if found is None or not _has_evidence(found, lines, places, open_zone):
            break
        members.append(found)
        read = [done or found.compiled.match(line) is not None for done, line in zip(read, lines, strict=True)]
    if len(members) == 1:
        return members[0]
    return FormatSet(tuple(members))


def _members(log_format: LogFormat | FormatSet) -> list[LogFormat]:
    return list(log_format.formats) if isinstance(log_format, FormatSet) else [log_format]


def _read_by(formats: Sequence[LogFormat], lines: Sequence[str]) -> list[bool]:
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
        best = _best(remaining, richer)
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
