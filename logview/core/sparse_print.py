"""``--print --grep`` over plain files of any size in plain Python: the hit lines found in C, only their records read.

grep_first.py finds the hits the same way but reads their records with the
engine, whose imports (numpy, polars) cost about 0.3 s and most of the
memory of a search over a file of a hundred megabytes. Here the lines
holding the pattern's required literal are found with ``bytes.find`` over
whole chunks read into one reused buffer (required_literal.py), and matched
with Python's ``re`` once the format's header is cut off, as the text search
matches them (the pattern read alike by both regex engines:
regex_dialects.py). Each hit line's record is found by walking the lines
back to its first line and on to the next record's; a record without a time
is placed by the timed record before it in its file. Those records are then
read, merged, filtered and printed by small_print.py's pieces, byte for byte
as the index prints them (tests/unit/test_sparse_print.py runs both on the
same files).

What a reading of a few records in isolation could read otherwise gives None
before anything is printed or said, and grep_first.py or the index prints:
anything but regular files that are not compressed, text without a format,
lines split by what a chunk holds (carriage returns, the reader's separator
byte, a byte-order mark, invalid UTF-8, NUL bytes), a record over
MAX_RECORD_BYTES, a hit before a file's first record or an untimed one
without a timed record before it, an hour the wall clock wrote twice, a
pattern without a required literal, one that ignores case (its search folds
case with numpy), one the two regex engines may read apart, and too many
hits to be worth reading one by one.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from logview.core.config import NamedFormat, formats_for, previous_for
from logview.core.filters import Filters
from logview.core.inputs.file_end import tail_start
from logview.core.inputs.magic import MAGIC_BYTES, detect_compression
from logview.core.parse.detect import Format, detect_after
from logview.core.parse.format_set import FormatSet
from logview.core.parse.format_string import LogFormat
from logview.core.parse.line_record import indexed_fields
from logview.core.parse.plain_lines import read_alike_in_any_chunk, starts_record
from logview.core.parse.time_columns import in_hour_written_twice
from logview.core.record import MAX_RECORD_BYTES, NO_TIME
from logview.core.regex_dialects import reads_alike, unicode_sensitive
from logview.core.required_literal import RequiredLiteral, candidate_lines, dense_limit, header_anchored, required_literal
from logview.core.small_print import FIRST_CHUNK_BYTES, InputRecord, SmallPrint, detection_sample, plain_filters, printed

__all__ = ["sparse_print"]

#: Bytes searched at once, read into one buffer reused for every chunk: a new buffer's pages cost four times the read.
SCAN_BYTES = 1 << 20
#: Hit lines beyond which grep_first.py is the better path: a hit costs about 14 µs of CPU here and 7.5 there, and
#: the engine 0.35 s more to load (1M corpus: 0.69 of its CPU at 33,000 hits, 1.08 at 100,000; 10M corpus, 50,000
#: hits: 0.9 of its 2.2 s before printing).
MAX_HITS = 30_000
#: Once this much of a file is searched, a file whose hits so far foretell more than MAX_HITS is given up at once: the
#: work done on the hits of a file that turns out too dense is lost (1M corpus, 33,000 hits: 1.75 times grep_first's
#: CPU when given up at the 30,001st hit, 1.17 when foretold).
PROJECT_AFTER = 8 << 20
#: Bytes read at a time around a record's lines that lie outside the chunk searched.
BLOCK_BYTES = 64 << 10
#: How far back a record's first line, or the timed record before an untimed one, is looked for.
MAX_WALK = 8 << 20


class _Unsure(Exception):
    """A reading in isolation could differ from the index's: another path prints."""


def sparse_print(
    names: Sequence[str],
    filters: Filters,
    user_formats: Sequence[LogFormat] = (),
    named_formats: Sequence[NamedFormat] = (),
    line_numbers: bool = True,
) -> SmallPrint | None:
    """The records of ``names`` that ``filters`` keep, ``filters.grep`` among them, read around their hits in plain
    Python; None, with nothing said, when this cannot be done exactly.

    ``line_numbers``: each record's first line's number is counted (JSON
    output prints it); without, the records' ``line`` is 0.
    """
    pattern = filters.grep
    if not pattern or not plain_filters(filters):
        return None
    literal = required_literal(pattern)
    sensitive = unicode_sensitive(pattern)
    if literal is None or literal.fold or sensitive is None:
        return None
    search = _Search(re.compile(pattern), literal, sensitive)  # the command line has checked that ``re`` reads it
    year = datetime.now().year
    warnings: list[str] = []
    formats: list[Format | None] = []
    found: list[_Found] = []
    previous: Format | None = None
    hits = 0
    try:
        for source, name in enumerate(names):
            text = _PlainText.opened(name)
            if text is None:
                return None
            with text:
                if not text.size:
                    warnings.append(f"{name}: empty file")
                    formats.append(None)
                    continue
                log_format = detect_after(
                    text.sample(), previous_for(name, previous, named_formats), formats_for(name, user_formats, named_formats)
                )
                if log_format is None or not header_anchored(log_format):
                    return None  # plain text (no record has a time), or a header whose cut may join a literal
                previous = log_format
                formats.append(log_format)
                records = _Records(source, text, log_format, year, line_numbers)
                hits += _search(text, search, log_format, records, MAX_HITS - hits)
                if in_hour_written_twice(records.key_times, records.key_texts, log_format):
                    return None  # which pass of the hour a record is in is known only in file order
                found.extend(records.found)
    except (_Unsure, OSError):
        return None
    texts = {(item.record.source, item.record.offset): item.text for item in found}
    return printed(
        warnings,
        list(names),
        formats,
        [item.record for item in found],
        [item.key for item in found],
        filters,
        None,  # every record holds a hit
        lambda record: texts[record.source, record.offset],
    )


class _Search(NamedTuple):
    """The pattern searched, its required literal, and whether ``re`` reads it as Rust's regex only on ASCII text."""

    pattern: re.Pattern[str]
    literal: RequiredLiteral
    ascii_only: bool


class _Found(NamedTuple):
    """A record that holds a hit: what the index keeps of it, its merge key and its bytes."""

    record: InputRecord
    key: int
    text: bytes


class _PlainText:
    """A regular, uncompressed file read by offset: the chunk being searched held in one reused buffer, other bytes
    read a block at a time as the walks over a record's lines ask for them."""

    def __init__(self, fd: int, size: int) -> None:
        self.fd = fd
        self.size = size
        self.buffer = bytearray(SCAN_BYTES)
        #: The file's bytes ``[low, high)`` are held in ``buffer[: high - low]``; those of ``block`` start at ``block_low``.
        self.low = self.high = 0
        self.block = b""
        self.block_low = 0

    @classmethod
    def opened(cls, name: str) -> _PlainText | None:
        """The file ``name``, open; None for standard input, anything but a regular file, or a compressed one."""
        if name == "-":
            return None
        fd = os.open(name, os.O_RDONLY)
        try:
            status = os.fstat(fd)
            if not stat.S_ISREG(status.st_mode) or detect_compression(os.pread(fd, MAGIC_BYTES, 0)) is not None:
                os.close(fd)
                return None
        except BaseException:
            os.close(fd)
            raise
        return cls(fd, status.st_size)

    def __enter__(self) -> _PlainText:
        return self

    def __exit__(self, *_: object) -> None:
        os.close(self.fd)

    def sample(self) -> list[str]:
        """The lines its format is detected on, as the index samples them."""
        return detection_sample(self.read(0, min(FIRST_CHUNK_BYTES, self.size)), self.size, self.read(tail_start(self.size), self.size))

    def hold(self, position: int) -> int:
        """Read the whole lines from ``position`` on that fit in the buffer; where they end."""
        wanted = min(SCAN_BYTES, self.size - position)
        view = memoryview(self.buffer)[:wanted]
        if os.preadv(self.fd, [view], position) != wanted:
            raise _Unsure  # the file shrank while it was read
        end = wanted
        if position + wanted < self.size:
            end = self.buffer.rfind(b"\n", 0, wanted) + 1
            if not end:
                raise _Unsure  # a line longer than a chunk
        self.low, self.high = position, position + end
        return self.high

    def read(self, start: int, stop: int) -> bytes:
        """The file's bytes ``[start, stop)``."""
        if self.low <= start and stop <= self.high:
            return bytes(self.buffer[start - self.low : stop - self.low])
        data = os.pread(self.fd, stop - start, start)
        if len(data) != stop - start:
            raise _Unsure
        return data

    def line_end(self, start: int) -> int:
        """Where the line starting at ``start`` ends: after its newline, or at the file's end."""
        position = start
        while position < self.size:
            data, low, high = self._around(position)
            found = data.find(b"\n", position - low, high - low)
            if found >= 0:
                return low + found + 1
            position = high
            if position - start > MAX_RECORD_BYTES:
                raise _Unsure  # a line the index cuts
        return self.size

    def line_before(self, start: int) -> int:
        """Where the line before the one starting at ``start`` (not the first) starts."""
        position = start - 1  # that line's newline
        while position > 0:
            data, low, _ = self._around(position - 1)
            found = data.rfind(b"\n", 0, position - low)
            if found >= 0:
                return low + found + 1
            position = low
            if start - position > MAX_WALK:
                raise _Unsure
        return 0

    def line(self, start: int, end: int) -> str:
        """The text of the line from ``start`` to ``end`` (its line_end), without its newline (the bytes are UTF-8)."""
        data = self.read(start, end)
        return (data[:-1] if data.endswith(b"\n") else data).decode("utf-8")

    def _around(self, offset: int) -> tuple[bytes | bytearray, int, int]:
        """Bytes that hold ``offset``: the chunk held, or a block read around it; with the offsets they start and end at."""
        if self.low <= offset < self.high:
            return self.buffer, self.low, self.high
        if not self.block_low <= offset < self.block_low + len(self.block):
            self.block_low = max(offset - BLOCK_BYTES // 2, 0)
            self.block = os.pread(self.fd, BLOCK_BYTES, self.block_low)
            if not self.block_low <= offset < self.block_low + len(self.block):
                raise _Unsure  # the file shrank while it was read
        return self.block, self.block_low, self.block_low + len(self.block)


def _search(text: _PlainText, search: _Search, log_format: Format, records: _Records, most: int) -> int:
    """Find the lines of ``text`` that match and add their records to ``records``; the hit lines found.

    A line is matched as the text search matches it: its text after the
    format's header. _Unsure past ``most`` hit lines, or when the hits so far
    foretell many more than that.
    """
    header = re.compile(log_format.prefix_regex) if isinstance(log_format, LogFormat | FormatSet) else None
    compiled = search.pattern
    buffer = text.buffer
    hits = 0
    position = 0
    while position < text.size:
        end = text.hold(position) - position
        if not read_alike_in_any_chunk(buffer, end):
            raise _Unsure  # lines split_lines reads by the chunk they are in; binary data
        candidates = candidate_lines(buffer, search.literal, dense_limit(end), end=end)
        if candidates is None:
            raise _Unsure  # the literal on most lines: the engine matches them all at once
        lines = [buffer[start:stop].decode("utf-8") for start, stop in zip(*candidates, strict=True)]
        if search.ascii_only and not reads_alike(compiled.pattern, lines):
            raise _Unsure
        for start, line in zip(candidates[0], lines, strict=True):
            if compiled.search(header.sub("", line, count=1) if header is not None else line):
                records.add(position + start, line)
                hits += 1
        if hits > most or (position >= PROJECT_AFTER and hits * text.size > most * (position + end)):
            raise _Unsure
        position += end
        records.passed(position)
    return hits


class _Records:
    """The records of one input that hold a hit, found from their hit lines in file order."""

    def __init__(self, source: int, text: _PlainText, log_format: Format, year: int, line_numbers: bool) -> None:
        self.source = source
        self.text = text
        self.format = log_format
        self.year = year
        self.starts = starts_record(log_format)
        self.line_numbers = line_numbers
        self.found: list[_Found] = []
        #: The time each record's merge key is, and the first line of the record that gave it (settled_times reads it).
        self.key_times: list[int] = []
        self.key_texts: list[str] = []
        self._end = 0
        #: A known line start and its line number (1-based), moved along as records are found.
        self._mark = (0, 1)

    def add(self, hit: int, line: str) -> None:
        """The record that owns the line ``line`` starting at ``hit`` (a later one than any before)."""
        if hit < self._end:
            return  # a line of the record found last
        text = self.text
        start, first = (hit, line) if self.starts(line) else self._first_line(hit)
        end = text.line_end(hit)
        while end < text.size:
            stop = text.line_end(end)
            if self.starts(text.line(end, stop)):
                break
            end = stop
        if end - start > MAX_RECORD_BYTES:
            raise _Unsure  # a record the index cuts
        indexed = indexed_fields(first, self.format, self.year)
        key, key_text = (indexed.time, first) if indexed.time != NO_TIME else self._time_before(start)
        data = text.read(start, end)
        lines = data.count(b"\n") + (not data.endswith(b"\n"))
        number = self._line_number(start) if self.line_numbers else 0
        self.found.append(_Found(InputRecord(self.source, start, end - start, number, lines, indexed), key, data))
        self.key_times.append(key)
        self.key_texts.append(key_text)
        self._end = end

    def _first_line(self, line: int) -> tuple[int, str]:
        """Where the first line of the record that holds the line starting at ``line`` starts, and its text."""
        start = line
        while not self.starts(first := self.text.line(start, self.text.line_end(start))):
            if start == 0:
                raise _Unsure  # lines before the file's first record: a record of their own, placed by the whole file
            start = self.text.line_before(start)
            if line - start > MAX_RECORD_BYTES:
                raise _Unsure
        return start, first

    def _time_before(self, start: int) -> tuple[int, str]:
        """The time of the nearest timed record before the record at ``start`` (the untimed record's merge key), and the
        first line of the record that holds it."""
        before = self.found[-1].record.offset if self.found else -1
        untimed = start
        while start > 0:
            start, first = self._first_line(self.text.line_before(start))
            if start == before:
                return self.key_times[-1], self.key_texts[-1]  # the record found last: its time, or the one that placed it
            time = indexed_fields(first, self.format, self.year).time
            if time != NO_TIME:
                return time, first
            if untimed - start > MAX_WALK:
                raise _Unsure
        raise _Unsure  # no timed record before it: its place is the file's first time, found only by reading on

    def passed(self, position: int) -> None:
        """The file has been searched up to ``position`` (a line start): its lines are counted while they are held."""
        if self.line_numbers:
            self._line_number(position)

    def _line_number(self, start: int) -> int:
        """The number of the line starting at ``start``: the newlines counted from the last one numbered."""
        mark, number = self._mark
        if start >= mark:
            number += self._newlines(mark, start)
        else:
            number -= self._newlines(start, mark)
        self._mark = (start, number)
        return number

    def _newlines(self, start: int, stop: int) -> int:
        text = self.text
        if text.low <= start and stop <= text.high:
            return text.buffer.count(b"\n", start - text.low, stop - text.low)
        count = 0
        while start < stop:
            piece = os.pread(text.fd, min(SCAN_BYTES, stop - start), start)
            if not piece:
                raise _Unsure
            count += piece.count(b"\n")
            start += len(piece)
        return count
