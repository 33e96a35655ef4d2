"""The exact test of a text search, over a chunk's lines or over the few lines that may match.

A line matches when its text after the format's header matches the pattern:
the header is stripped with the format's own regex, and the rest matched by
the Rust regex engine (Python's ``re`` for a pattern Rust does not accept).
Lines that hold a pattern's required literal are gathered from many chunks,
and sources, and matched in one pass per header: a pass costs the same few
polars calls for one line or thousands.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from logview.core.parse.lines import split_lines
from logview.core.required_literal import RequiredLiteral, candidate_lines

__all__ = ["CandidateLines", "LineMatcher", "rust_compatible"]

#: Bytes that split_lines reads differently in a line than in a chunk (the reader's separator, a byte-order mark
#: that it strips from a chunk's first line only), and the carriage return, which it reads by the chunk's line ends.
_SEPARATOR = b"\x1f"
_BOM = b"\xef\xbb\xbf"


@functools.lru_cache(maxsize=64)
def rust_compatible(pattern: str) -> bool:
    try:
        pl.Series([""]).str.contains(pattern)
    except pl.exceptions.PolarsError:
        return False
    return True


class LineMatcher:
    """Which lines match a pattern once their header is stripped."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.use_rust = rust_compatible(pattern)
        self.compiled = re.compile(pattern)

    def hit_starts(self, chunk: bytes, header: str | None) -> np.ndarray:
        """The starts, in ``chunk``, of its lines whose text after the header matches."""
        split = split_lines(chunk)
        return split.starts[self.matches(split.lines.fill_null(""), header)]

    def matches(self, lines: pl.Series, header: str | None) -> np.ndarray:
        """A bool per line of ``lines``: whether its text after ``header`` matches."""
        if header is not None:
            lines = lines.str.replace(header, "")
        if self.use_rust:
            return lines.str.contains(self.pattern).fill_null(False).to_numpy()
        return np.fromiter((self.compiled.search(line) is not None for line in lines.to_list()), dtype=bool, count=len(lines))


@dataclass
class _Batch:
    lines: list[bytes] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)


class CandidateLines:
    """The lines that hold a search's required literal, by header, to be matched a batch at a time.

    Each line is read as it would be in its own chunk: decoded (bytes that
    are not UTF-8 read as U+FFFD, as split_lines reads them). A chunk whose
    lines split_lines would read differently one by one (carriage returns,
    the reader's separator byte, a byte-order mark) is not taken, and is
    matched whole, as before.
    """

    def __init__(self, literal: RequiredLiteral, chunk_size: int) -> None:
        self.literal = literal
        self.size = 0
        self._batches: dict[str | None, _Batch] = {}
        #: Whether the last chunk held the literal on too many lines: the next is then counted first, in C.
        self._dense = False
        self._scratch = bytearray(chunk_size) if literal.fold else None

    def add(self, chunk: bytes, position: int, source_id: int, header: str | None, limit: int) -> bool:
        """Take the candidate lines of ``chunk`` (at ``position`` in the source); False when it must be matched whole.

        Also False when more than ``limit`` of its lines hold the literal:
        finding them one by one would cost more than matching them all.
        """
        if b"\r" in chunk or _SEPARATOR in chunk:
            return False
        if self._dense and not self.literal.fold and chunk.count(self.literal.ascii_needle) > limit:
            return False
        found = candidate_lines(chunk, self.literal, limit=limit, scratch=self._scratch)
        self._dense = found is None
        if found is None:
            return False
        starts, ends = found
        if any(chunk.startswith(_BOM, start) for start in starts):
            return False
        batch = self._batches.setdefault(header, _Batch())
        batch.lines.extend(chunk[start:end] for start, end in zip(starts, ends, strict=True))
        batch.offsets.extend(start + position for start in starts)
        batch.sources.extend([source_id] * len(starts))
        self.size += sum(ends) - sum(starts) + len(starts)
        return True

    def matched(self, matcher: LineMatcher) -> dict[int, np.ndarray]:
        """The offsets of the lines gathered that match, by source id (ascending in each); and a fresh start."""
        found: dict[int, list[np.ndarray]] = {}
        for header, batch in self._batches.items():
            if not batch.lines:
                continue
            text = b"\n".join(batch.lines).decode("utf-8", "replace").split("\n")
            hits = matcher.matches(pl.Series(text, dtype=pl.String), header)
            offsets = np.asarray(batch.offsets, dtype=np.int64)[hits]
            sources = np.asarray(batch.sources, dtype=np.int64)[hits]
            for source_id in np.unique(sources).tolist():
                found.setdefault(source_id, []).append(offsets[sources == source_id])
        self._batches = {}
        self.size = 0
        return {source_id: np.sort(np.concatenate(parts)) for source_id, parts in found.items()}
