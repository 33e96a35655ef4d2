"""Reading the timeline's newest rows while another thread appends: every row read is whole.

``--print --listen`` died with ``IndexError: index 1223 is out of bounds for
axis 0 with size 1223`` in ``Timeline.spans``: the printer read the offsets
column, then the row count, and a batch was appended in between. Here a
thread appends small batches while this one reads the rows it was just told
of, the way the live printer and the log pane do; the interpreter switches
threads every 10 microseconds, so that the reads fall between an append's steps
thousands of times.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest

from logview.core.index.parsed_chunk import known_chunk
from logview.core.index.timeline import Timeline

#: Each record is one line of this many bytes: a span of any other length was read half-appended.
RECORD_BYTES = 12
BATCHES = 2000
PER_BATCH = 1


@contextmanager
def switching_threads_often() -> Iterator[None]:
    """Threads interleave at many more points than under the default switch interval of 5 ms."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _append_batches(timeline: Timeline, done: threading.Event) -> None:
    symbols = timeline.symbols
    facet = symbols.facets.code(symbols.levels.code("INFO"), symbols.loggers.code("hammer"), 0)
    source = timeline.add_source("hammered")
    try:
        for batch in range(BATCHES):
            data = b"".join(b"record %04d\n" % ((batch * PER_BATCH + number) % 10_000) for number in range(PER_BATCH))
            times = np.full(PER_BATCH, 1_700_000_000_000 + batch, dtype=np.int64)
            parsed = known_chunk(data, np.ones(PER_BATCH, dtype=np.int64), times, np.full(PER_BATCH, facet))
            timeline.append(source, batch * PER_BATCH * RECORD_BYTES, parsed)
    finally:
        done.set()


def test_the_newest_rows_read_while_batches_are_appended_are_whole() -> None:
    timeline = Timeline()
    done = threading.Event()
    appender = threading.Thread(target=_append_batches, args=(timeline, done), daemon=True)
    reads = 0
    with switching_threads_often():
        appender.start()
        while not done.is_set():
            count = len(timeline)
            if count == 0:
                continue
            rows = np.arange(max(0, count - 2 * PER_BATCH), count)
            sources, offsets, lengths = timeline.spans(rows)
            assert sources.tolist() == [0] * len(rows)
            assert offsets.tolist() == (rows * RECORD_BYTES).tolist()
            assert lengths.tolist() == [RECORD_BYTES] * len(rows), f"rows {rows.tolist()} of {count}"
            assert (timeline.times_at(rows) == 1_700_000_000_000 + rows // PER_BATCH).all()
            assert (timeline.times(int(rows[0]), count) == 1_700_000_000_000 + rows // PER_BATCH).all()
            levels, loggers, _ = timeline.symbol_codes(rows)
            assert set(levels.tolist()) == {timeline.symbols.levels.lookup("INFO")}
            reads += 1
        appender.join()
    assert len(timeline) == BATCHES * PER_BATCH
    assert timeline.rows_of_source(0).tolist() == list(range(BATCHES * PER_BATCH))
    assert reads > 100, "the reads must have overlapped the appends"


def test_rows_beyond_the_timeline_are_refused_with_a_message() -> None:
    timeline = Timeline()
    for read in (lambda: timeline.spans(np.array([0])), lambda: timeline.times_at(np.array([0])), lambda: timeline.times(0, 1)):
        with pytest.raises(IndexError, match=r"^row 0 asked for, of a timeline of 0 rows$"):
            read()
