"""The newest records of the inputs, read from their ends, before anything is indexed.

The viewer opens at the newest records, as tail -f, lnav and Toolong do; on a
10 million record file the index takes seconds to reach them. Their first
screen is read here instead: the last few kilobytes of each input, split into
records with the format's compiled regex and merged by time, in plain Python
(no numpy, no polars), so that it is on the terminal in the first tenth of a
second. Merged as the index merges (by time, ties in input order) it is the
very screen the viewer shows once the index is complete.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import BinaryIO, NamedTuple

from logview.core.config import NamedFormat, formats_for, previous_for
from logview.core.index.key_rules import filled_keys
from logview.core.index.written_time import written_time
from logview.core.inputs.arguments import expand_inputs
from logview.core.inputs.file_end import file_end
from logview.core.inputs.inflate import inflated
from logview.core.inputs.magic import detect_compression
from logview.core.inputs.rotation import parse_rotation_name
from logview.core.parse.detect import Format, detect_after, sample_lines
from logview.core.parse.format_string import LogFormat
from logview.core.parse.line_record import parse_record, shown_lines
from logview.core.parse.plain_lines import record_groups
from logview.core.parse.time_columns import settle_second_pass
from logview.core.record import NO_TIME, Record

#: Records read for the first screen: a screenful, and more to scroll up through while the index is read.
SCREEN_RECORDS = 200
#: Bytes read from an input's start to detect its format: what the index's detection reads.
HEAD_BYTES = 256 * 1024
#: Bytes read from an input's end at first; more, four times as many each time, until enough records are found.
FIRST_TAIL_BYTES = 64 * 1024
MAX_TAIL_BYTES = 4 << 20
#: A compressed input is read whole, and only when it is this small; a larger one gives up the preview.
MAX_COMPRESSED_BYTES = 2 << 20
#: A small compressed input's text held whole, at most: one that inflates to more is read as a large one is.
MAX_INFLATED_BYTES = 64 << 20


class Newest(NamedTuple):
    """The last ``records`` of the merged inputs, oldest first, and the inputs' names in reading order."""

    records: list[Record]
    names: list[str]


class _Read(NamedTuple):
    """An input's first bytes, and for a compressed one its text: whole (``complete``), or its last bytes.

    ``deferred``: a large compressed input, whose text is inflated only if
    its records are needed (an older generation of a rotation set seldom is).
    """

    head: bytes
    text: bytes | None = None
    complete: bool = True
    deferred: bool = False
    #: A plain file's last bytes and their offset, sampled with its head for its format (inputs/file_end.py).
    tail: bytes = b""
    tail_offset: int = 0


def newest_records(
    paths: list[str],
    count: int,
    user_formats: tuple[LogFormat, ...] = (),
    inflate_large: bool = False,
    named_formats: Sequence[NamedFormat] = (),
) -> Newest | None:
    """The ``count`` newest records of ``paths``, or None when they cannot be had cheaply and for sure.

    Each input's format is detected as the index detects it (pipeline.py):
    ``user_formats`` first, then the ``named_formats`` that apply to it.

    None for standard input (it cannot be read twice), a compressed file over
    MAX_COMPRESSED_BYTES unless ``inflate_large`` (its end is only reached by
    inflating all of it: a second or more, done beside the index, not before
    the first frame), or an input that cannot be read: the viewer then shows
    records as the index finds them.
    """
    names = expand_inputs(paths).names
    if not names or "-" in names:
        return None
    heads: list[_Read] = []
    for name in names:
        read = _read_head(name)
        if read is None:
            return None
        heads.append(read)
    formats: list[Format | None] = []
    previous: Format | None = None
    for name, read in zip(names, heads, strict=True):
        tried_first = formats_for(name, user_formats, named_formats)
        sample = sample_lines(read.head, tail=read.tail, tail_offset=read.tail_offset)
        chosen = detect_after(sample, previous_for(name, previous, named_formats), tried_first)
        formats.append(chosen)
        previous = chosen if chosen is not None else previous
    year = datetime.now().year
    found: list[tuple[int, int, int, Record]] = []  # (sort key, input, position, record)

    def newest_of(index: int, wanted: int) -> list[tuple[int, Record]] | None:
        read = heads[index]
        if read.deferred:
            if not inflate_large:
                return None
            read = _inflated_ends(names[index])
        return _newest_of(names[index], read, formats[index], wanted, year)

    for members in _rotation_sets(names):
        # Newest generation first: an older one is read only when the newer ones hold too few records.
        wanted = count
        kept: dict[int, list[tuple[int, Record]]] = {}
        for index in reversed(members):
            records = newest_of(index, wanted)
            if records is None:
                return None
            kept[index] = records
            wanted -= len(records)
            if wanted <= 0:
                break
        for index, records in kept.items():
            if records and records[0][0] == NO_TIME:
                key = _untimed_key(
                    index, members, kept, newest_of, lambda member: _first_time(heads[member].head, formats[member], names[member], year)
                )
                if key is None:
                    return None
                records = [(key, record) for _, record in records]
            found.extend((key, index, position, record) for position, (key, record) in enumerate(records))
    found.sort(key=lambda item: (item[0], item[1], item[2]))
    return Newest([record for _, _, _, record in found[-count:]], names)


def _rotation_sets(names: list[str]) -> list[list[int]]:
    """Indices of the inputs by rotation set, each oldest first (the order expand_inputs gives)."""
    sets: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        sets.setdefault(parse_rotation_name(name).base, []).append(index)
    return list(sets.values())


def _read_head(name: str) -> _Read | None:
    try:
        if not stat.S_ISREG(os.stat(name).st_mode):
            return None  # a FIFO or a device: read once, by the index (opening a FIFO would wait for its writer)
        with open(name, "rb") as handle:
            head = handle.read(HEAD_BYTES)
            kind = detect_compression(head)
            if kind is None:
                tail, tail_offset = file_end(handle.fileno())
                return _Read(head, tail=tail, tail_offset=tail_offset)
            if os.fstat(handle.fileno()).st_size > MAX_COMPRESSED_BYTES:
                return _Read(_inflated_head(kind, handle), complete=False, deferred=True)
            handle.seek(0)
            text = inflated(handle.read(), MAX_INFLATED_BYTES)
    except (OSError, EOFError, ValueError):
        return None
    if text is not None and len(text) > MAX_INFLATED_BYTES:
        # A small file that inflates to a great deal (a gzip bomb of NULs): treated as a large one, inflated as a stream.
        return _Read(text[:HEAD_BYTES], complete=False, deferred=True)
    return _Read(text[:HEAD_BYTES], text) if text is not None else None


def _inflated_head(kind: str, handle: BinaryIO) -> bytes:
    """The first HEAD_BYTES of a compressed file's text (for its format), inflated a block at a time: a millisecond or two."""
    import bz2
    import lzma
    import zlib

    if kind == "gzip":
        inflater: zlib._Decompress | bz2.BZ2Decompressor | lzma.LZMADecompressor = zlib.decompressobj(wbits=47)
    else:
        inflater = bz2.BZ2Decompressor() if kind == "bzip2" else lzma.LZMADecompressor()
    handle.seek(0)
    text = b""
    try:
        while len(text) < HEAD_BYTES and (block := handle.read(64 << 10)):
            text += inflater.decompress(block)
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError):
        pass  # damaged: what was inflated before the damage
    return text[:HEAD_BYTES]


def _inflated_ends(name: str) -> _Read:
    """A large compressed file's first and last bytes of text, inflated as a stream: memory for MAX_TAIL_BYTES, not the text.

    A damaged stream ends where it can no longer be read, as the index's
    reading of it does.
    """
    from logview.core.inputs.decompressors import DAMAGE
    from logview.core.inputs.opener import text_stream

    head = b""
    tail = bytearray()
    total = 0
    try:
        with open(name, "rb") as handle:
            stream = text_stream(handle)
            while block := stream.read(1 << 20):
                total += len(block)
                if len(head) < HEAD_BYTES:
                    head += block[: HEAD_BYTES - len(head)]
                tail += block
                if len(tail) > 2 * MAX_TAIL_BYTES:
                    del tail[:-MAX_TAIL_BYTES]
    except DAMAGE:  # OSError among them: a file gone since
        pass
    return _Read(head, bytes(tail[-MAX_TAIL_BYTES:]), complete=total <= MAX_TAIL_BYTES)


def _newest_of(name: str, read: _Read, log_format: Format | None, count: int, year: int) -> list[tuple[int, Record]] | None:
    """The last ``count`` records of one input (fewer if it has fewer, or only its last bytes were kept), each with its sort key."""
    text = read.text
    size = len(text) if text is not None else _size(name)
    if size is None:
        return None
    tail_bytes = FIRST_TAIL_BYTES
    while True:
        start = max(size - tail_bytes, 0)
        data = text[start:] if text is not None else _read_range(name, start, size - start)
        if data is None:
            return None
        # A tail's first line is cut, and the lines after it up to the next first line of a record continue a
        # record that began before the tail: what is left starts at a record's first line, and is whole.
        records = _records(data, start == 0 and read.complete, log_format, name, year, count)
        if len(records) >= count or start == 0:
            return records
        if tail_bytes >= MAX_TAIL_BYTES:
            return None
        tail_bytes *= 4


def _records(data: bytes, at_start: bool, log_format: Format | None, name: str, year: int, count: int) -> list[tuple[int, Record]]:
    """The last ``count`` records of a piece of an input, with their sort keys; unless ``at_start``, its first line is cut and skipped.

    Only those are parsed, and the untimed ones before the first of them
    that has a time, whose key comes from the one before: a record's time
    costs a strptime.
    """
    lines = shown_lines(data)
    if not at_start:
        lines = lines[1:]
    groups = record_groups(lines, log_format, at_start)
    start = max(len(groups) - count, 0)
    # In file order, as the index settles them: records after the clock was set back are in the hour's second pass.
    records = settle_second_pass([parse_record(group, log_format, name, year) for group in groups[start:]], log_format)
    # The key of an untimed record is the time of the timed one before it: look back for the first.
    carry = NO_TIME
    for group in reversed(groups[:start] if records and records[0].time == NO_TIME else []):
        earlier = parse_record(group, log_format, name, year).time
        if earlier != NO_TIME:
            carry = earlier
            break
    return list(zip(filled_keys([record.time for record in records], carry), records, strict=True))


def _untimed_key(
    index: int,
    members: list[int],
    kept: dict[int, list[tuple[int, Record]]],
    newest_of: Callable[[int, int], list[tuple[int, Record]] | None],
    first_time: Callable[[int], int],
) -> int | None:
    """The sort key the index gives the records of a generation without any time (index/sort_keys.py).

    The last time of the nearest older generation of its rotation set that
    has one, else the first time of the nearest newer one, else when it was
    written. None when an older generation cannot be read cheaply.
    """
    position = members.index(index)
    for older in reversed(members[:position]):
        records = kept.get(older) or newest_of(older, 1)
        if records is None:
            return None
        if records and records[-1][0] != NO_TIME:
            return records[-1][0]
    for newer in members[position + 1 :]:
        if (first := first_time(newer)) != NO_TIME:
            return first
    try:
        return written_time(os.stat(_name_of(kept, index)).st_mtime)
    except OSError:
        return None


def _name_of(kept: dict[int, list[tuple[int, Record]]], index: int) -> str:
    return kept[index][0][1].source


def _first_time(head: bytes, log_format: Format | None, name: str, year: int) -> int:
    """The time of the first timed record in an input's first bytes, NO_TIME if none."""
    records = _records(head, True, log_format, name, year, len(head))
    return next((record.time for _, record in records if record.time != NO_TIME), NO_TIME)


def _size(name: str) -> int | None:
    try:
        return os.stat(name).st_size
    except OSError:
        return None


def _read_range(name: str, offset: int, length: int) -> bytes | None:
    try:
        with open(name, "rb") as handle:
            handle.seek(offset)
            return handle.read(length)
    except OSError:
        return None
