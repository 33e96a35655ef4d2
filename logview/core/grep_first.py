"""``--print --grep`` over plain files without indexing every record: the hits first, then only their records.

Indexing parses every record, and a search for a rare string needs few of
them. Here each input's lines that match are found as the text search finds
them (the pattern's required literal with ``bytes.find`` over whole chunks,
core/text_search.py), and only the records that own them are parsed: the
ChunkParser reads the byte windows around the hits (each from a line start
well before a hit to a line end after it, all windows in one parse), so the
rules of what starts a record stay in one place. Those records, and for a
record without a time the timed record before it (its place in the merge),
are appended to the timeline as the index would hold them; the filters, the
merge and the printer then work as over a full index.

A window is parsed in isolation, so what a parse could only know from the
records before it sends the whole run to the indexed path (``None``): an
hour the wall clock wrote twice, a record without a time and none before
it, lines over MAX_RECORD_BYTES, and bytes that lines are split differently
by a chunk's content (carriage returns, the reader's separator byte, a
byte-order mark, invalid UTF-8, NUL bytes); so do compressed inputs and too
many hits to be worth it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from logview.core.index.parsed_chunk import ParsedChunk
from logview.core.index.source_state import SourceState
from logview.core.index.status import Status
from logview.core.index.written_time import written_time
from logview.core.inputs.errors import InputError
from logview.core.inputs.magic import MAGIC_BYTES, detect_compression
from logview.core.inputs.opened_input import OpenedInput
from logview.core.inputs.opener import open_input
from logview.core.line_match import CandidateLines, LineMatcher
from logview.core.parse.chunk_parser import ChunkParser
from logview.core.parse.format_set import FormatSet
from logview.core.parse.format_string import LogFormat
from logview.core.parse.plain_lines import read_alike_in_any_chunk
from logview.core.pipeline import Pipeline, format_name, report_opened
from logview.core.record import MAX_RECORD_BYTES, NO_TIME
from logview.core.required_literal import dense_limit, required_literal
from logview.core.text_search import SEARCH_CHUNK, TextHits, header_anchored

__all__ = ["load_hits", "plain_files"]

#: Hit lines beyond which the index is the better path: parsing their windows would cost about as much.
MAX_HITS = 100_000
#: Bytes before and after a hit line that its first window spans; doubled while its record is not found whole in it.
BEFORE, AFTER = 128, 512
#: Hits whose windows are parsed in one call: a parse holds several times its bytes (lines, fields), so a few MB at most.
HITS_PER_PARSE = 4096
#: A window grown past this is given up (a record without a time far from any timed one): the indexed path.
MAX_WINDOW = 8 << 20


class Unsure(Exception):
    """A parse in isolation could differ from the index's: the indexed path prints."""


def plain_files(names: Sequence[str]) -> bool:
    """Whether every input is a regular file, not compressed: those whose bytes are read in place, by offset."""
    for name in names:
        if name == "-" or not os.path.isfile(name):
            return False
        try:
            with open(name, "rb") as handle:
                if detect_compression(handle.read(MAGIC_BYTES)) is not None:
                    return False
        except OSError:
            return False
    return True


def load_hits(pipeline: Pipeline, names: Sequence[str], pattern: str, line_numbers: bool = False) -> TextHits | None:
    """Fill ``pipeline``'s timeline with the records whose messages match ``pattern`` (and what places them), from plain files.

    Returns the matching rows (the others only place records without a time
    in the merge), or None when this cannot be done exactly: the caller
    closes the pipeline and indexes the inputs instead. ``line_numbers``:
    the records' line numbers will be asked for (JSON output), and the lines
    before each are counted now.
    """
    literal = required_literal(pattern)
    if literal is None:
        return None
    matcher = LineMatcher(pattern)
    hit_flags: list[np.ndarray] = []
    try:
        for name in names:
            found = _load_source(pipeline, name, matcher, CandidateLines(literal, SEARCH_CHUNK), line_numbers)
            if found is None:
                return None
            hit_flags.append(found)
    except (Unsure, InputError, OSError):
        return None
    pipeline.timeline.merge()
    flags = np.concatenate(hit_flags) if hit_flags else np.zeros(0, dtype=bool)
    searched = {loaded.state.id: loaded.state.bytes_indexed for loaded in pipeline.loaded}
    return TextHits(np.packbits(flags), len(flags), searched)


def _load_source(pipeline: Pipeline, name: str, matcher: LineMatcher, candidates: CandidateLines, line_numbers: bool) -> np.ndarray | None:
    """One input's hit records appended (as Pipeline.load_opened reads an input); which of its rows are hits."""
    timeline = pipeline.timeline
    opened = open_input(name)
    loaded = pipeline.add_input(name)
    loaded.opened, state = opened, loaded.state
    state.written_at = written_time(os.stat(name).st_mtime)
    if opened.streamed:
        return None
    chunks = opened.chunks(pipeline.chunk_size, pipeline.first_chunk_size)
    first_chunk = next(chunks, None)
    size = os.fstat(opened.store_fd).st_size
    rows: np.ndarray = np.zeros(0, dtype=bool)
    if first_chunk is not None:
        first = first_chunk.load(opened)
        del chunks  # the rest is read by the search, not as chunks
        loaded.format = pipeline.detect(loaded, opened, first)
        state.format_name = format_name(loaded.format)
        if loaded.format is None or opened.binary:
            return None  # plain text: no record has a time
        parser = loaded.parser = ChunkParser(loaded.format, timeline.symbols)
        header = loaded.format.prefix_regex if isinstance(loaded.format, LogFormat | FormatSet) else None
        lines = _hit_lines(opened, size, matcher, candidates if header_anchored(loaded.format) else None, header)
        if lines is None:
            return None
        rows = _append_records(pipeline, state, opened, parser, lines, size, line_numbers)
    state.bytes_indexed = size
    report_opened(state, opened)
    state.status = Status.ERROR if state.errors else Status.DONE
    opened.park()
    return rows


def _hit_lines(
    opened: OpenedInput, size: int, matcher: LineMatcher, candidates: CandidateLines | None, header: str | None
) -> np.ndarray | None:
    """The starts of the lines whose text after the header matches, read as text_search reads a source; None when unsure."""
    found: list[np.ndarray] = []
    count = 0
    position = 0
    while position < size:
        chunk = opened.read(position, min(SEARCH_CHUNK, size - position))
        if position + len(chunk) < size:
            cut = chunk.rfind(b"\n") + 1
            if not cut:
                return None  # a line longer than a search chunk
            chunk = chunk[:cut]
        if not chunk:
            break
        if not read_alike_in_any_chunk(chunk):
            return None  # lines split_lines reads by the chunk they are in, or binary data
        limit = dense_limit(len(chunk))
        if candidates is None or not candidates.add(chunk, position, 0, header, limit):
            found.append(matcher.hit_starts(chunk, header) + position)
            count += len(found[-1])
        elif candidates.size >= SEARCH_CHUNK:
            matched = list(candidates.matched(matcher).values())
            found.extend(matched)
            count += sum(map(len, matched))
        if count > MAX_HITS:
            return None
        position += len(chunk)
    if candidates is not None and candidates.size:
        found.extend(candidates.matched(matcher).values())
    lines = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    return None if len(lines) > MAX_HITS else lines


@dataclass(slots=True)
class _Found:
    """Records found whole, as columns: file offset, length, time, facet code, lines after the first, whether each owns a hit."""

    starts: np.ndarray
    lengths: np.ndarray
    time: np.ndarray
    facet: np.ndarray
    extra_lines: np.ndarray
    hit: np.ndarray

    @classmethod
    def joined(cls, parts: list[_Found]) -> _Found:
        """The records of ``parts`` in file order, each once (a hit if it owns one in any part)."""
        every = _Found(*(np.concatenate([getattr(part, name) for part in parts]) for name in _Found.__slots__))
        order = np.lexsort((~every.hit, every.starts))
        starts = every.starts[order]
        first = np.r_[True, starts[1:] != starts[:-1]] if len(starts) else np.zeros(0, dtype=bool)
        picked = order[first]
        # Sorted with the hits first among records at one offset: the one kept is a hit if any is.
        return _Found(*(getattr(every, name)[picked] for name in _Found.__slots__))


def _append_records(
    pipeline: Pipeline, state: SourceState, opened: OpenedInput, parser: ChunkParser, lines: np.ndarray, size: int, line_numbers: bool
) -> np.ndarray:
    """Find the record of each hit line (and the timed record before one without a time), append them; which rows are hits."""
    parts: list[_Found] = []
    for begin in range(0, len(lines), HITS_PER_PARSE):
        group = lines[begin : begin + HITS_PER_PARSE].astype(np.int64)
        pending = _Pending(group, np.full(len(group), BEFORE, np.int64), np.full(len(group), AFTER, np.int64))
        while len(pending.lines):
            pending = _resolve(opened, parser, pending, size, parts)
    if not parts:
        return np.zeros(0, dtype=bool)
    found = _Found.joined(parts)
    multi_line = np.flatnonzero(found.extra_lines)
    ends = found.starts + found.lengths
    parsed = ParsedChunk(
        starts=found.starts,
        lengths=found.lengths,
        lead=0,
        time=found.time,
        facet=found.facet,
        invalid_utf8=False,
        line_count=int(found.extra_lines.sum()) + len(found.starts),
        multi_line=multi_line,
        extra_lines=found.extra_lines[multi_line],
    )
    last_end = int(ends[-1])
    ends_line = last_end < size or opened.read(last_end - 1, 1) == b"\n"
    pipeline.timeline.append_apart(state, parsed, found.starts, ends_line)
    # Without line numbers (text output) nothing asks for them: counted from the file's start if anything ever does.
    run_starts = found.starts[np.r_[True, found.starts[1:] != ends[:-1]]]
    state.line_marks = [(0, 1), *_line_numbers(opened, run_starts.tolist())] if line_numbers else [(0, 1)]
    return found.hit


def _line_numbers(opened: OpenedInput, offsets: list[int]) -> list[tuple[int, int]]:
    """(offset, 1-based line number) at each of the ascending ``offsets``: newlines counted in the bytes before them."""
    marks: list[tuple[int, int]] = []
    line, position = 1, 0
    for offset in offsets:
        while position < offset:
            piece = opened.read(position, min(SEARCH_CHUNK, offset - position))
            if not piece:
                raise Unsure
            line += int(np.count_nonzero(np.frombuffer(piece, dtype=np.uint8) == 10))  # five times bytes.count's speed
            position += len(piece)
        marks.append((offset, line))
    return marks


@dataclass(slots=True)
class _Pending:
    """Hit lines whose records are still to be found, and the bytes their windows span before and after them."""

    lines: np.ndarray
    before: np.ndarray
    after: np.ndarray


def _resolve(opened: OpenedInput, parser: ChunkParser, pending: _Pending, size: int, parts: list[_Found]) -> _Pending:
    """Parse the windows of the pending hits in one go; add the records found whole to ``parts``, and return the hits
    whose windows must grow."""
    windows, data = _windows(opened, pending, size)
    if not windows:  # no window holds a whole line: each hit line is longer than the bytes after it
        return _grown(_Pending(pending.lines, pending.before, pending.after * 2))
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    if len(data) and int(np.diff(np.r_[-1, newlines, len(data)]).max()) > MAX_RECORD_BYTES:
        raise Unsure  # a line the index cuts
    parsed = parser.parse(data)
    del data
    if parsed.twice_written is not None:
        raise Unsure  # an hour written twice: which pass a record is in is known only in file order
    window_starts = np.array([start for start, _ in windows], dtype=np.int64)
    window_ends = np.array([stop for _, stop in windows], dtype=np.int64)
    joined_starts = np.cumsum(np.r_[0, window_ends - window_starts])[:-1]
    count = len(parsed)
    window_of = np.searchsorted(joined_starts, parsed.starts, side="right") - 1
    starts = parsed.starts - joined_starts[window_of] + window_starts[window_of]
    # A record ends where the next one of its window starts; the last of a window, at the window's end (its true end
    # only at the file's end: lines after the window may continue it).
    same_window_next = np.r_[window_of[1:] == window_of[:-1], False] if count else np.zeros(0, dtype=bool)
    ends = np.where(same_window_next, np.r_[starts[1:], 0], window_ends[window_of] if count else 0)
    whole = same_window_next | (ends == size)
    lines_after = np.zeros(count, dtype=np.int64)
    lines_after[parsed.multi_line] = parsed.extra_lines
    timed = parsed.time != NO_TIME
    last_timed = np.maximum.accumulate(np.where(timed, np.arange(count), -1)) if count else np.zeros(0, dtype=np.int64)

    window = np.searchsorted(window_starts, pending.lines, side="right") - 1
    inside = (window >= 0) & (pending.lines < window_ends[np.maximum(window, 0)])
    owner = np.searchsorted(starts, pending.lines, side="right") - 1
    at = np.clip(owner, 0, max(count - 1, 0))
    owned = inside & (owner >= 0) & (window_of[at] == window) if count else np.zeros(len(owner), dtype=bool)
    # A hit line cut by its window's end (longer than the bytes after it), or a record that may go on past it.
    ahead = ~inside | (owned & ~whole[at]) if count else ~inside
    anchor = np.where(timed[at], at, last_timed[at]) if count else owner
    anchored = owned & (anchor >= 0) & (window_of[np.maximum(anchor, 0)] == window) if count else owned
    done = owned & ~ahead & anchored
    back = ~done & ~ahead
    if bool((back & (window_starts[np.maximum(window, 0)] == 0)).any()):
        raise Unsure  # lines before the first record, or no timed record before this one: placed by the whole file
    picked = np.unique(np.concatenate([owner[done], anchor[done]]))
    if len(picked):
        parts.append(
            _Found(
                starts[picked],
                ends[picked] - starts[picked],
                parsed.time[picked],
                parsed.facet[picked].astype(np.uint32),
                lines_after[picked],
                np.isin(picked, owner[done]),
            )
        )
    left = ~done
    return _grown(
        _Pending(pending.lines[left], pending.before[left] * np.where(back[left], 2, 1), pending.after[left] * np.where(ahead[left], 2, 1))
    )


def _grown(pending: _Pending) -> _Pending:
    """Hits whose windows were grown; Unsure when one grew too long (a record without a time far from any timed one)."""
    if len(pending.lines) and int((pending.before + pending.after).max()) > MAX_WINDOW:
        raise Unsure
    return pending


def _windows(opened: OpenedInput, pending: _Pending, size: int) -> tuple[list[tuple[int, int]], bytes]:
    """The byte ranges around the pending hits, overlapping ones made one, each from a line start (or the file's start)
    to a line end (or the file's end); and their bytes, one after the other."""
    windows: list[tuple[int, int]] = []
    pieces: list[bytes] = []
    for low, high in _merged(np.maximum(pending.lines - pending.before, 0), np.minimum(pending.lines + pending.after, size)):
        data = opened.read(low, high - low)
        if len(data) != high - low:
            raise Unsure  # the file shrank while it was read
        start = 0 if low == 0 else data.find(b"\n") + 1
        stop = len(data) if high == size else data.rfind(b"\n") + 1
        if (low == 0 or start > 0) and start < stop:
            windows.append((low + start, low + stop))
            pieces.append(data[start:stop])
    return windows, b"".join(pieces)


def _merged(lows: np.ndarray, highs: np.ndarray) -> list[tuple[int, int]]:
    """The byte ranges ``lows[i]:highs[i]``, those that overlap or touch made one, ascending."""
    if not len(lows):
        return []
    order = np.argsort(lows, kind="stable")
    lows, highs = lows[order], highs[order]
    reach = np.maximum.accumulate(highs)
    first = np.flatnonzero(np.r_[True, lows[1:] > reach[:-1]])
    last = np.r_[first[1:], len(lows)] - 1
    return list(zip(lows[first].tolist(), reach[last].tolist(), strict=True))
