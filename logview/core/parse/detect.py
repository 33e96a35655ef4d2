"""Choose a file's format from a sample of its first lines (and its last).

The user's formats are tried first, then JSON lines, the catalogue and a
format inferred from the lines, each weighed by how strongly the sample
says it wrote it (candidates.py); the other formats a file mixes in join
the one chosen (mixed_formats.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from logview.core.parse.candidates import best_format, catalogue_formats, format_score
from logview.core.parse.format_set import FormatSet
from logview.core.parse.format_string import LogFormat
from logview.core.parse.json_lines import JsonLinesFormat, looks_like_json_record
from logview.core.parse.mixed_formats import member_formats, read_by, with_others
from logview.core.parse.reading_choice import choose_readings

#: Lines of an input's start that detection reads.
HEAD_LINES = 400
#: Lines of its end read too, when the file is larger than its start's lines: a format changed later (a program upgraded,
#: a handler's formatter swapped) is then one of the file's formats rather than the continuation of one record.
TAIL_LINES = 100
#: The most lines a sample holds.
SAMPLE_LINES = HEAD_LINES + TAIL_LINES

Format = LogFormat | JsonLinesFormat | FormatSet


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
        chosen = best_format(lines, [choose_readings(log_format, lines) for log_format in user_formats])
        if chosen is not None:
            return chosen
    json_hits = sum(1 for line in lines if looks_like_json_record(line) is not None)
    if json_hits * 2 >= len(lines):
        return JsonLinesFormat()
    chosen = best_format(lines, catalogue_formats())
    from logview.core.parse.infer import infer_format, leaves_fields_unread  # a run whose formats are remembered never needs it

    if chosen is None or leaves_fields_unread(chosen, lines):
        inferred = infer_format(lines)
        inferred_score = (format_score(inferred, lines) or 0) if inferred is not None else 0
        chosen_score = (format_score(chosen, lines) or 0) if chosen is not None else 0
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
        read = read_by(member_formats(previous), lines)
        # Continuation lines do not match: a traceback-heavy sample still reads well.
        if lines and sum(read) >= 0.8 * len(lines):
            return with_others(lines, read, previous, user_formats)
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


def candidate_score(candidate: LogFormat, sample: Sequence[str]) -> int | None:
    """The score detection gives ``candidate`` on a sample (--explain-format shows the runner-up's); None: implausible tokens."""
    return format_score(candidate, [line for line in sample[:SAMPLE_LINES] if line.strip()])


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
    return with_others(lines, read_by(member_formats(chosen), lines), chosen, user_formats)
