"""``--print`` of small inputs in plain Python: read, split, merge, filter and print with no numpy and no polars.

Loading the engine costs about half a second before its first record is
read; a file of a few thousand records is read whole with the formats'
compiled ``re`` in a few milliseconds. Below SMALL_TEXT_BYTES of text in all,
``--print`` takes this path, and prints byte for byte what the engine prints
(tests/unit/test_small_print.py runs both on the same files): records are
split (parse/plain_lines.py) and read (parse/line_record.py) as the index
splits and reads them, placed by the same keys (index/key_rules.py), merged
by time with ties in input order as the timeline merges, and filtered as
the masks filter. Whatever the engine treats in a way of its own (standard
input, a FIFO, a damaged or binary file, a record over MAX_RECORD_BYTES, a
pattern the two regex engines may read apart) gives None before anything is
printed or said, and the engine prints it.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import accumulate
from typing import NamedTuple

from logview.core.config import NamedFormat, formats_for, previous_for
from logview.core.filters import Filters, logger_matches
from logview.core.index.key_rules import filled_keys, keys_before_first_time
from logview.core.index.written_time import written_time
from logview.core.inputs.file_end import tail_start
from logview.core.inputs.magic import MAGIC_BYTES, detect_compression
from logview.core.inputs.rotation import parse_rotation_name
from logview.core.parse.detect import Format, detect_after, sample_lines
from logview.core.parse.format_set import FormatSet
from logview.core.parse.format_string import LogFormat
from logview.core.parse.line_record import NOTHING_INDEXED, Indexed, indexed_fields, shown_fields, shown_lines
from logview.core.parse.plain_lines import indexed_lines, record_starts
from logview.core.parse.time_columns import settled_times
from logview.core.record import MAX_RECORD_BYTES, NO_TIME, Record
from logview.core.regex_dialects import reads_alike

__all__ = ["SMALL_TEXT_BYTES", "InputRecord", "SmallPrint", "detection_sample", "plain_filters", "printed", "small_print"]

#: The most text, all inputs together, read this way: where the engine's fixed cost (its imports, about 0.5 s of CPU)
#: stops outweighing plain Python's cost per record (the measurement is in the commit that set it).
SMALL_TEXT_BYTES = 2 << 20
#: The index's first chunk (inputs/opener.py): the bytes its format is detected on.
FIRST_CHUNK_BYTES = 512 << 10


class _Input(NamedTuple):
    """One input read whole."""

    name: str
    text: bytes
    compressed: bool
    #: When it was last written, in the timeline's scale: the place of its records if it has no time at all.
    written_at: int


class InputRecord(NamedTuple):
    """One record of an input: where its bytes are, its first line's number, and what the index keeps of it."""

    source: int
    offset: int
    length: int
    line: int
    #: Its lines: the first, and those that continue it.
    lines: int
    indexed: Indexed


class SmallPrint(NamedTuple):
    """What ``--print`` says and writes for small inputs, read whole: the warnings, then the records as bytes."""

    warnings: list[str]
    #: Each input's name, as the records' ``source`` numbers them.
    names: list[str]
    formats: list[Format | None]
    #: The records to print, in timeline order; their searched lines are no longer needed.
    records: list[InputRecord]
    #: Each record's bytes, beside it.
    texts: list[bytes]
    #: Level name → its number, as the index's level table holds them.
    level_numbers: dict[str, int | None]

    def output(self, output: str, escape: bool) -> bytes:
        """The bytes the engine's Printer writes: ``"text"`` (the records' own lines) or ``"jsonl"``; ``escape`` for a terminal."""
        if output == "jsonl":
            return self._jsonl(escape)
        pieces: list[bytes] = []
        line_open = False
        for piece in self.texts:
            if line_open:
                pieces.append(b"\n")  # a last line left without its newline: the record after it starts a line of its own
            pieces.append(piece)
            line_open = not piece.endswith(b"\n")
        data = b"".join(pieces)
        if escape:
            from logview.core.visible_text import escape_controls  # its patterns take a millisecond to compile: a terminal's only

            data = escape_controls(data.decode("utf-8", "backslashreplace")).encode("utf-8")
        return data

    def _jsonl(self, escape: bool) -> bytes:
        objects = []
        for item, piece in zip(self.records, self.texts, strict=True):
            lines = shown_lines(piece)
            fields, message = shown_fields(lines, self.formats[item.source])
            indexed = item.indexed
            if indexed.process_name and "processName" not in fields:
                fields["processName"] = indexed.process_name
            record = Record(
                time=indexed.time,
                level=indexed.level,
                levelno=self.level_numbers.get(indexed.level) if indexed.level is not None else None,
                logger=indexed.logger,
                pid=indexed.pid,
                message=message,
                source=self.names[item.source],
                line=item.line,
                text="\n".join(lines),
                fields=fields,
            )
            objects.append(json.dumps(record.as_json(), ensure_ascii=False))
        if not objects:
            return b""
        text = "\n".join(objects) + "\n"
        if escape:
            from logview.core.visible_text import escape_json_controls

            text = escape_json_controls(text)
        return text.encode("utf-8")


def small_print(
    names: Sequence[str],
    filters: Filters,
    user_formats: Sequence[LogFormat] = (),
    named_formats: Sequence[NamedFormat] = (),
    invalid_utf8_shown: str = "copied as it is",
) -> SmallPrint | None:
    """The records of ``names`` that ``filters`` keep, read in plain Python; None when the engine must read them.

    None, without a word said, when the inputs hold more than
    SMALL_TEXT_BYTES of text, or anything this path does not read as the
    engine does.
    """
    if not plain_filters(filters):
        return None
    inputs = _read_whole(names, SMALL_TEXT_BYTES)
    if inputs is None:
        return None
    year = datetime.now().year
    warnings: list[str] = []
    formats: list[Format | None] = []
    records: list[InputRecord] = []
    lines_of: list[list[str]] = []
    firsts: dict[int, int] = {}
    lasts: dict[int, int] = {}
    previous: Format | None = None
    for source, item in enumerate(inputs):
        if not item.text:
            warnings.append(f"{item.name}: empty file")
            formats.append(None)
            lines_of.append([])
            continue
        split = indexed_lines(item.text)
        if split is None:
            return None
        lines, invalid = split
        log_format = detect_after(
            _sample(item), previous_for(item.name, previous, named_formats), formats_for(item.name, user_formats, named_formats)
        )
        previous = log_format if log_format is not None else previous
        formats.append(log_format)
        lines_of.append(lines)
        found = _records(source, item.text, lines, log_format, year)
        timed = [record.indexed.time for record in found if record.indexed.time != NO_TIME]
        if timed:
            firsts[source], lasts[source] = timed[0], timed[-1]
        records.extend(found)
        if invalid:
            warnings.append(f"{item.name}: invalid UTF-8, {invalid_utf8_shown}")
    keys = _sort_keys(inputs, records, firsts, lasts)
    matches: Callable[[int], bool] | None = None
    if filters.grep:
        searched = _searched_lines(records, formats, lines_of, filters.grep)
        if searched is None:
            return None
        pattern = re.compile(filters.grep)

        def matches(index: int) -> bool:
            return any(pattern.search(line) for line in searched(index))

    return printed(
        warnings,
        [item.name for item in inputs],
        formats,
        records,
        keys,
        filters,
        matches,
        lambda item: inputs[item.source].text[item.offset : item.offset + item.length],
    )


def printed(
    warnings: list[str],
    names: list[str],
    formats: list[Format | None],
    records: list[InputRecord],
    keys: list[int],
    filters: Filters,
    matches: Callable[[int], bool] | None,
    text_of: Callable[[InputRecord], bytes],
) -> SmallPrint:
    """The records that ``filters`` keep, in the timeline's order: ``records`` in input order, then file order, each
    with its merge key; ``matches`` says which match the text search (none: no search); ``text_of``, a record's bytes.
    """
    kept = _kept(records, keys, filters, matches)
    level_numbers = _level_numbers(records)
    if filters.min_level is not None:
        minimum = filters.min_level
        kept = [
            index
            for index in kept
            if (level := records[index].indexed.level) is not None
            and (number := level_numbers.get(level)) is not None
            and number >= minimum
        ]
    kept.sort(key=keys.__getitem__)  # stable: ties keep the inputs' order, then the files' (the order records arrived in)
    shown = [records[index] for index in kept]
    return SmallPrint(warnings, names, formats, shown, [text_of(item) for item in shown], level_numbers)


def plain_filters(filters: Filters) -> bool:
    """Whether the filters are the command line's (the panes' toggles and text filters are the viewer's) and read in files (no host)."""
    return not (
        filters.hidden_levels
        or filters.exclude_logger_names
        or filters.hidden_processes
        or filters.text_filters
        or filters.hosts
        or filters.hidden_hosts
    )


def _read_whole(names: Sequence[str], limit: int) -> list[_Input] | None:
    """Each input's text, read whole; None for standard input, anything but a regular file, one not readable, or too much text."""
    inputs: list[_Input] = []
    left = limit
    for name in names:
        if name == "-":
            return None
        try:
            status = os.stat(name)
            if not stat.S_ISREG(status.st_mode) or status.st_size > left:
                return None
            with open(name, "rb") as handle:
                data = handle.read(left + 1)
        except OSError:
            return None  # the engine says why
        compressed = detect_compression(data[:MAGIC_BYTES]) is not None
        if compressed:
            from logview.core.inputs.inflate import inflated

            text = inflated(data, left)
            if text is None:
                return None
        else:
            text = data
        if len(text) > left or len(text) > MAX_RECORD_BYTES or b"\x00" in text:
            return None  # too much, or a record the engine would cut (a text over the cap), or binary data: the engine's own ways
        left -= len(text)
        inputs.append(_Input(name, text, compressed, written_time(status.st_mtime)))
    return inputs


def _sample(item: _Input) -> list[str]:
    """The lines the index detects an input's format on."""
    text = item.text
    return detection_sample(text[:FIRST_CHUNK_BYTES], len(text), None if item.compressed else text[tail_start(len(text)) :])


def detection_sample(head: bytes, size: int, tail: bytes | None) -> list[str]:
    """The lines the index detects a text's format on: those of its first chunk, and a plain file's last bytes.

    ``head``: the text's first FIRST_CHUNK_BYTES (or all of it), of ``size``
    in all; ``tail``: a plain file's bytes from ``tail_start(size)`` on, None
    for a stream (a decompressed one).
    """
    first = head
    if size > FIRST_CHUNK_BYTES or tail is None:
        # A chunk ends after its last whole line; a stream's last line without a newline is a chunk of its own.
        cut = head.rfind(b"\n", 0, FIRST_CHUNK_BYTES) + 1
        if cut:
            first = head[:cut]
    if tail is None:
        return sample_lines(first)
    return sample_lines(first, tail=tail, tail_offset=tail_start(size))


def _records(source: int, text: bytes, lines: list[str], log_format: Format | None, year: int) -> list[InputRecord]:
    """An input's records in file order (none longer than MAX_RECORD_BYTES: the whole input is not)."""
    starts = record_starts(lines, log_format)
    lead = bool(lines) and (not starts or starts[0] != 0)
    if lead:
        starts.insert(0, 0)  # lines before the first record's: a record of their own, with nothing indexed
    # Each line's byte offset: the text's lines split on the same newlines as ``lines``.
    offsets = list(accumulate((len(line) + 1 for line in text.split(b"\n")), initial=0))
    next_starts = [*starts[1:], len(lines)]
    ends = [offsets[start] for start in starts[1:]] + [len(text)]
    first_lines = [lines[start] for start in starts]
    indexed = [indexed_fields(line, log_format, year) for line in first_lines]
    if lead:
        indexed[0] = NOTHING_INDEXED
    times = settled_times([item.time for item in indexed], first_lines, log_format)
    records: list[InputRecord] = []
    for start, stop, end, fields, time in zip(starts, next_starts, ends, indexed, times, strict=True):
        offset = offsets[start]
        records.append(
            InputRecord(
                source, offset, end - offset, start + 1, stop - start, fields if fields.time == time else fields._replace(time=time)
            )
        )
    return records


def _sort_keys(inputs: list[_Input], records: list[InputRecord], firsts: dict[int, int], lasts: dict[int, int]) -> list[int]:
    """Each record's merge key, as index/sort_keys.py gives it: its time, or where its file places it."""
    starts = keys_before_first_time(firsts, lasts, [parse_rotation_name(item.name).base for item in inputs])
    keys: list[int] = []
    begin = 0
    while begin < len(records):
        source = records[begin].source
        end = begin
        while end < len(records) and records[end].source == source:
            end += 1
        filled = filled_keys([record.indexed.time for record in records[begin:end]], starts.get(source, NO_TIME))
        if filled and filled[0] == NO_TIME:
            # A file (and rotation set) without any time: its records sort where its text was written.
            filled = [max(inputs[source].written_at, 0)] * len(filled)
        keys.extend(filled)
        begin = end
    return keys


def _kept(records: list[InputRecord], keys: list[int], filters: Filters, matches: Callable[[int], bool] | None) -> list[int]:
    """The records the logger, process, time and text criteria keep (the level's is the caller's)."""
    kept: list[int] | range = range(len(records))
    if filters.loggers or filters.exclude_loggers:
        wanted, unwanted = filters.loggers, filters.exclude_loggers

        def logger_kept(logger: str | None) -> bool:
            if logger is None:
                return not wanted
            return (not wanted or any(logger_matches(logger, name) for name in wanted)) and not any(
                logger_matches(logger, name) for name in unwanted
            )

        kept = [index for index in kept if logger_kept(records[index].indexed.logger)]
    if filters.pids:
        pids = set(filters.pids)
        kept = [index for index in kept if records[index].indexed.pid in pids]
    if filters.since is not None:
        since = filters.since
        kept = [index for index in kept if keys[index] >= since]
    if filters.until is not None:
        until = filters.until
        kept = [index for index in kept if keys[index] <= until]
    if matches is not None:
        kept = [index for index in kept if matches(index)]
    return list(kept)


def _searched_lines(records: list[InputRecord], formats: list[Format | None], lines_of: list[list[str]], pattern: str) -> _LinesOf | None:
    """Each record's lines as the text search reads them (text_search.py): its header left out of every line.

    None when Python's ``re`` might not match ``pattern`` as the Rust engine
    the index searches with does, on these lines.
    """
    if not reads_alike(pattern, (line for lines in lines_of for line in lines)):
        return None
    headers = [re.compile(log_format.prefix_regex) if isinstance(log_format, LogFormat | FormatSet) else None for log_format in formats]

    def lines(index: int) -> list[str]:
        record = records[index]
        own = lines_of[record.source][record.line - 1 : record.line - 1 + record.lines]
        header = headers[record.source]
        return own if header is None else [header.sub("", line, count=1) for line in own]

    return lines


_LinesOf = Callable[[int], list[str]]


def _level_numbers(records: list[InputRecord]) -> dict[str, int | None]:
    """Each level name's number, as the index's level table keeps it: of the name, else the first levelno written beside it."""
    numbers: dict[str, int | None] = {}
    for record in records:
        level = record.indexed.level
        if level is not None and numbers.get(level) is None:
            numbers[level] = record.indexed.levelno
    return numbers
