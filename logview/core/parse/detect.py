"""Choose a file's format from a sample of its first lines.

Every candidate (the user's formats first, then the catalogue) is tried on the
sample; each line it reads adds its specificity (more fields, strict ones
counted double) to its score, and the highest score wins, ties going to the
earlier candidate.
"""

from __future__ import annotations

from collections.abc import Sequence

from logview.core.parse.catalogue import CATALOGUE
from logview.core.parse.format_string import TOKEN_FIELDS, LogFormat, compile_format, compiled_regex
from logview.core.parse.json_lines import JsonLinesFormat, looks_like_json_record
from logview.core.record import level_number

SAMPLE_LINES = 400

Format = LogFormat | JsonLinesFormat

_catalogue_cache: list[LogFormat] | None = None


def catalogue_formats() -> list[LogFormat]:
    global _catalogue_cache
    if _catalogue_cache is None:
        _catalogue_cache = [
            compile_format(entry.fmt, entry.style, entry.datefmt, origin=f"catalogue: {entry.origin or 'common order'}")
            for entry in CATALOGUE
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
        chosen = _best(lines, user_formats)
        if chosen is not None:
            return chosen
    json_hits = sum(1 for line in lines if looks_like_json_record(line) is not None)
    if json_hits * 2 >= len(lines):
        return JsonLinesFormat()
    chosen = _best(lines, catalogue_formats())
    from logview.core.parse.infer import infer_format, leaves_fields_unread  # a run whose formats are remembered never needs it

    if chosen is None or leaves_fields_unread(chosen, lines):
        inferred = infer_format(lines)
        if inferred is not None and (_score(inferred, lines) or 0) > ((_score(chosen, lines) or 0) if chosen else 0):
            return inferred
    return chosen


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

    return remembered(sample, previous, user_formats, lambda: detect_format(sample, user_formats))


def _previous_if_it_reads(sample: Sequence[str], previous: Format | None, user_formats: Sequence[LogFormat]) -> LogFormat | None:
    if isinstance(previous, LogFormat) and not user_formats:
        lines = [line for line in sample if line.strip()]
        matched = sum(1 for line in lines if previous.match(line) is not None)
        # Continuation lines do not match: a traceback-heavy sample still reads well.
        if lines and matched >= 0.8 * len(lines):
            return previous
    return None


def sample_lines(head: bytes, lines: int = SAMPLE_LINES) -> list[str]:
    """The lines detection looks at: those of the input's first 256 KiB, at most ``lines`` of them."""
    return head[: 256 * 1024].decode("utf-8", "replace").splitlines()[:lines]


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
    return best


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
    score = matched = 0
    for line in lines:
        found = pattern.match(line)
        if found is None:
            continue
        matched += 1
        for values, name in zip(seen, tokens, strict=True):
            value = found.group(name)
            values.add(value.strip() if value is not None else None)
        level = found.group("levelname") if has_level else None
        score += 1 if level is not None and level_number(level.strip()) is None else specificity
    if matched >= 8 and any(len(values) > max(8, matched // 4) for values in seen):
        return None
    return score


def candidate_score(candidate: LogFormat, sample: Sequence[str]) -> int | None:
    """The score detection gives ``candidate`` on a sample (--explain-format shows the runner-up's); None: implausible tokens."""
    return _score(candidate, [line for line in sample[:SAMPLE_LINES] if line.strip()])
