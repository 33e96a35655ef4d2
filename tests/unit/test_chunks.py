"""Chunk boundaries never split, lose or repeat a line, whatever the chunk size."""

from __future__ import annotations

import gzip
import io
import random
from pathlib import Path

import numpy as np
import pytest

from logview.core.pipeline import Pipeline
from logview.core.printer import Printer
from tests.unit.logfiles import record, write_records


@pytest.mark.parametrize("chunk_size", [64, 1000, 4096, 1 << 20])
@pytest.mark.parametrize("compressed", [False, True])
def test_records_survive_any_chunk_size(tmp_path: Path, chunk_size: int, compressed: bool) -> None:
    rng = random.Random(chunk_size)
    path = tmp_path / "app.log"
    rows = []
    for number in range(400):
        message = f"record {number} " + "x" * rng.choice([0, 10, 100, 3000])
        if rng.random() < 0.1:
            message += "\nTraceback (most recent call last):\n  File 'x.py', line 1\nValueError: " + "y" * rng.choice([5, 5000])
        rows.append(record(1709251200 + number, message))
    write_records(path, rows)
    expected = path.read_bytes()
    if compressed:
        path = tmp_path / "app.log.gz"
        path.write_bytes(gzip.compress(expected))
    pipeline = Pipeline(chunk_size=chunk_size)
    pipeline.load([str(path)])
    assert len(pipeline.timeline) == 400
    out = io.BytesIO()
    Printer(pipeline, out).print_text(pipeline.timeline.positions())
    assert out.getvalue() == expected
    # The index knows each record's line count without reading it again.
    timeline = pipeline.timeline
    _, offsets, lengths = timeline.spans(np.arange(len(timeline)))
    text = [pipeline.read_bytes(0, int(offset), int(length)) for offset, length in zip(offsets, lengths, strict=True)]
    assert timeline.multi_line.extra_lines(np.arange(len(timeline))).tolist() == [item.count(b"\n") - 1 for item in text]
    pipeline.close()


def test_windows_line_ends(tmp_path: Path) -> None:
    """A CRLF file takes the bulk path and gives back its bytes, "\r" and all."""
    path = tmp_path / "windows.log"
    lines = [f"2024-03-01 00:00:{second:02d},000 7 app INFO line {second}" for second in range(50)]
    lines.insert(10, "Traceback (most recent call last):")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    pipeline = Pipeline()
    pipeline.load([str(path)])
    assert len(pipeline.timeline) == 50
    out = io.BytesIO()
    Printer(pipeline, out).print_text(pipeline.timeline.positions())
    assert out.getvalue() == path.read_bytes()
    from logview.core.records import RecordReader

    first = RecordReader(pipeline).record(int(pipeline.timeline.positions()[9]))
    assert first.message == "line 9\nTraceback (most recent call last):" and first.line == 10
    pipeline.close()
