"""What a parsed chunk hands the index: its records as columns.

It lives on the index side so that parsing depends on the index's types and
the index never imports the parser (a queue's records, whose fields are known,
are indexed without it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


class DeferredTimes(Protocol):
    """Time corrections a chunk's parse cannot make alone: applied to its times once it is appended, in file order.

    A local hour written twice is read in its first pass until the clock is
    seen to step back, which only file order tells (parse/wall_clock.py).
    """

    def settle(self, times: np.ndarray) -> None: ...


@dataclass(slots=True)
class ParsedChunk:
    """The records whose first line lies in a chunk, as columns."""

    starts: np.ndarray  # int64 offset of each record in the chunk
    lengths: np.ndarray  # int64 bytes of each record within the chunk
    lead: int  # bytes of continuation lines before the first record: they extend the previous one
    time: np.ndarray  # int64 ms, NO_TIME when absent
    facet: np.ndarray  # uint32 codes into the facet table: (level, logger, process) together
    invalid_utf8: bool
    line_count: int
    #: Records of more than one line (tracebacks): their index in the chunk, and their lines after the first.
    multi_line: np.ndarray
    extra_lines: np.ndarray
    #: The chunk's last line has its newline (a file left without one ends with a line that has none).
    ends_line: bool = True
    #: Records in an hour the local clock wrote twice, read in its first pass until settled in file order (wall_clock.py).
    twice_written: DeferredTimes | None = None

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def newlines(self) -> int:
        """Newlines in the chunk: the lines it moves the line count on by."""
        return self.line_count - (not self.ends_line and self.line_count > 0)

    @property
    def lead_lines(self) -> int:
        """Continuation lines before the chunk's first record: they belong to the previous record."""
        return self.line_count - int(self.extra_lines.sum()) - len(self)


def known_chunk(chunk: bytes, lines_per_record: np.ndarray, times: np.ndarray, facets: np.ndarray) -> ParsedChunk:
    """Index a chunk whose records' fields are known already (a logging queue's records): no text is matched.

    Each record starts on a line of its own and spans ``lines_per_record``
    lines; ``times`` and ``facets`` are its time (ms) and facet code.
    """
    line_ends = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10) + 1
    line_starts = np.r_[0, line_ends[:-1]].astype(np.int64)
    starts = line_starts[np.r_[0, np.cumsum(lines_per_record)[:-1]].astype(np.int64)]
    multi_line = np.flatnonzero(lines_per_record > 1)
    return ParsedChunk(
        starts=starts,
        lengths=np.r_[starts[1:], len(chunk)].astype(np.int64) - starts,
        lead=0,
        time=times.astype(np.int64),
        facet=facets.astype(np.uint32),
        invalid_utf8=False,
        line_count=int(lines_per_record.sum()),
        multi_line=multi_line,
        extra_lines=lines_per_record[multi_line] - 1,
    )
