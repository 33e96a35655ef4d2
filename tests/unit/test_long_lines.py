"""A line over MAX_RECORD_BYTES: one record spanning all of it, read and shown as its head and a mark, in bounded memory."""

from __future__ import annotations

import gzip
import io
import os
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from logview.core.inputs.opened_input import CHUNK_SIZE, OpenedInput
from logview.core.inputs.opener import open_input
from logview.core.pipeline import Pipeline
from logview.core.printer import Printer
from logview.core.record import MAX_RECORD_BYTES
from logview.core.record_text import cut_mark
from logview.core.records import RecordReader
from tests.unit.logfiles import record, write_records

#: Bytes of the long message past the cap.
OVER = 3_000_000


def _long_line_log(tmp_path: Path, compressed: bool, newline_at_end: bool = True) -> tuple[Path, list[bytes]]:
    """before, a record whose line has "é" across the cap and OVER bytes after it, after: the file and its lines."""
    path = tmp_path / "long.log"
    header = len("2024-03-01 00:00:01,000 100 app INFO ")
    message = "x" * (MAX_RECORD_BYTES - 1 - header) + "é" + "y" * OVER
    write_records(path, [record(1709251200, "before"), record(1709251201, message), record(1709251202, "after")])
    data = path.read_bytes()
    assert data.splitlines()[1][MAX_RECORD_BYTES - 1 : MAX_RECORD_BYTES + 1] == "é".encode()  # the cap falls inside "é"
    if not newline_at_end:
        data = data[:-1]
        path.write_bytes(data)
    lines = data.splitlines(keepends=True)
    if compressed:
        path = tmp_path / "long.log.gz"
        with gzip.open(path, "wb", compresslevel=1) as packed:
            packed.write(data)
    return path, lines


@pytest.mark.parametrize("chunk_size", [64 << 10, CHUNK_SIZE])
@pytest.mark.parametrize("compressed", [False, True])
def test_a_line_over_the_cap_is_one_record_shown_cut(tmp_path: Path, compressed: bool, chunk_size: int) -> None:
    path, lines = _long_line_log(tmp_path, compressed)
    pipeline = Pipeline(chunk_size=chunk_size)
    pipeline.load([str(path)])
    timeline = pipeline.timeline
    assert len(timeline) == 3 and not pipeline.errors and not pipeline.warnings
    # The index spans the whole line: its bytes stay on disk, for whoever wants all of them.
    _, offsets, lengths = timeline.spans(np.arange(3))
    assert offsets.tolist() == [0, len(lines[0]), len(lines[0]) + len(lines[1])]
    assert lengths.tolist() == [len(line) for line in lines]
    # Printed and shown: the head, cut before the character the cap falls in, and how much more there is.
    head = lines[1][: MAX_RECORD_BYTES - 1]
    assert head.endswith(b"x") and len(lines[1]) - len(head) == len("é".encode()) + OVER + len(b"\n")
    out = io.BytesIO()
    Printer(pipeline, out).print_text(timeline.positions())
    assert out.getvalue() == lines[0] + head + cut_mark(OVER + 2) + b"\n" + lines[2]
    assert cut_mark(OVER + 2) == " … [line cut: 3,000,002 more bytes]".encode()
    reader = RecordReader(pipeline)
    cut, after = reader.record(1), reader.record(2)
    assert cut.message.endswith("x … [line cut: 3,000,002 more bytes]") and cut.time == 1709251201000
    assert (after.message, after.line) == ("after", 3)
    pipeline.close()


def test_a_last_line_over_the_cap_without_its_newline(tmp_path: Path) -> None:
    path, lines = _long_line_log(tmp_path, compressed=True, newline_at_end=False)
    lines[2] = lines[2] + b"y" * (MAX_RECORD_BYTES + 10)
    with gzip.open(path, "wb", compresslevel=1) as packed:
        packed.write(b"".join(lines))
    pipeline = Pipeline(chunk_size=1 << 20)
    pipeline.load([str(path)])
    out = io.BytesIO()
    Printer(pipeline, out).print_text(pipeline.timeline.positions())
    text = out.getvalue()
    assert len(pipeline.timeline) == 3 and text.count(b"[line cut:") == 2 and not text.endswith(b"\n")
    assert pipeline.timeline.sources[0].open_line
    pipeline.close()


def test_a_stream_without_newlines_is_chunked_in_bounded_memory(tmp_path: Path) -> None:
    """A gzip of NULs (no newline at all) goes out as the head of one line and chunks that only say how far it goes."""
    size = 48 << 20
    path = tmp_path / "zeros.gz"
    with gzip.open(path, "wb", compresslevel=1) as packed:
        for _block in range(size >> 20):
            packed.write(bytes(1 << 20))
    opened = open_input(str(path))
    tracemalloc.start()
    try:
        chunks = [(chunk.offset, chunk.length, len(chunk.take(opened)), chunk.rest) for chunk in opened.chunks()]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        opened.close()
    assert peak < MAX_RECORD_BYTES + 3 * CHUNK_SIZE, f"{peak:,} bytes held at once"
    assert chunks[0][0] == 0 and chunks[0][2] == MAX_RECORD_BYTES
    assert all(loaded == 0 and rest == length for _, length, loaded, rest in chunks[1:])
    assert [offset for offset, *_ in chunks[1:]] == [offset + length for offset, length, *_ in chunks[:-1]]
    assert sum(length for _, length, *_ in chunks) == size


def test_a_followed_file_reads_a_line_over_the_cap_as_its_head(tmp_path: Path) -> None:
    """What is written to a followed file is read the same way: the head of a long line, the record spanning all of it."""
    path, lines = _long_line_log(tmp_path, compressed=False)
    path.write_bytes(lines[0])
    pipeline = Pipeline(growing=True)
    loaded = pipeline.open_growing(str(path))
    assert pipeline.extend(loaded, complete=True) == 1
    with path.open("ab") as log:
        log.write(b"".join(lines[1:]))
    assert pipeline.extend(loaded, complete=True) == 2
    out = io.BytesIO()
    Printer(pipeline, out).print_text(pipeline.timeline.positions())
    assert out.getvalue() == lines[0] + lines[1][: MAX_RECORD_BYTES - 1] + cut_mark(OVER + 2) + b"\n" + lines[2]
    assert pipeline.timeline.spans(np.arange(3))[2].tolist() == [len(line) for line in lines]
    pipeline.close()


def test_nuls_between_records_of_a_stream_read_back_as_they_were(tmp_path: Path) -> None:
    """Blocks of NULs are kept as holes in the spool, not written: they read back as NULs, and the records around them whole."""
    path, lines = _long_line_log(tmp_path, compressed=False)
    nuls = MAX_RECORD_BYTES + 3 * CHUNK_SIZE
    with gzip.open(tmp_path / "nuls.log.gz", "wb", compresslevel=1) as packed:
        packed.write(lines[0] + bytes(nuls) + b"\n" + lines[2])
    pipeline = Pipeline()
    pipeline.load([str(tmp_path / "nuls.log.gz")])
    out = io.BytesIO()
    Printer(pipeline, out).print_text(pipeline.timeline.positions())
    # The NUL line continues the record before it (it is no record's first line): that record is cut.
    cut = (lines[0] + bytes(MAX_RECORD_BYTES))[:MAX_RECORD_BYTES]
    assert out.getvalue() == cut + cut_mark(len(lines[0]) + nuls - MAX_RECORD_BYTES) + b"\n" + lines[2]
    assert len(pipeline.timeline) == 2
    assert pipeline.read_bytes(0, len(lines[0]), nuls + 1) == bytes(nuls) + b"\n"
    opened = pipeline.loaded[0].opened
    assert isinstance(opened, OpenedInput)
    spool = os.fstat(opened.store_fd)
    assert spool.st_size == len(lines[0]) + nuls + 1 + len(lines[2]) and spool.st_blocks * 512 < nuls // 2
    pipeline.close()


def test_long_records_under_the_cap_print_whole_a_few_at_a_time(tmp_path: Path) -> None:
    """Records just under the cap, many to a batch: written in pieces of BATCH_BYTES, every byte once and in order."""
    path = tmp_path / "long.log"
    sizes = [10, MAX_RECORD_BYTES - 100, 10, MAX_RECORD_BYTES - 100, MAX_RECORD_BYTES - 100, 10, 3_000_000, 10]
    write_records(path, [record(1709251200 + number, f"{number} " + "z" * size) for number, size in enumerate(sizes)])
    pipeline = Pipeline()
    pipeline.load([str(path)])
    out = io.BytesIO()
    assert Printer(pipeline, out).print_text(pipeline.timeline.positions()) == len(sizes)
    assert out.getvalue() == path.read_bytes()
    pipeline.close()
