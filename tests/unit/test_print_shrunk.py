"""A file that shrinks between indexing and printing: what is gone is never printed, and is told."""

from __future__ import annotations

import array
import fcntl
import io
import json
import os
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest

from logview.core.pipeline import Pipeline
from logview.core.printer import BATCH_BYTES, Printer
from tests.command import ROOT
from tests.unit.logfiles import record, write_records
from tests.waiting import wait_until

F_SETPIPE_SZ, F_GETPIPE_SZ = 1031, 1032


def _message(number: int, size: int) -> str:
    return f"request {number} " + "x" * size


def _whole_records(original: bytes, size: int) -> bytes:
    """The records of ``original`` that end within its first ``size`` bytes."""
    return original[: original.rfind(b"\n", 0, size) + 1]


@pytest.mark.parametrize("output", ["text", "jsonl"])
@pytest.mark.parametrize("step", [1, 1000], ids=["every record", "every 1000th"])
def test_records_past_the_new_end_are_left_out_and_told(tmp_path: Path, output: str, step: int) -> None:
    """Truncated between the index and the printing: one read for all (every record) or one per record (far apart)."""
    path = tmp_path / "app.log"
    write_records(path, [record(1709251200 + number, _message(number, 50)) for number in range(20000)])
    original = path.read_bytes()
    pipeline = Pipeline()
    pipeline.load([str(path)])
    cut = len(original) // 2 + 10  # in the middle of a record: that record is gone too
    os.truncate(path, cut)
    problems: list[str] = []
    out = io.BytesIO()
    printer = Printer(pipeline, out, on_problem=problems.append)
    rows = pipeline.timeline.positions()[::step]
    written = printer.print(rows, output)
    pipeline.close()
    whole = _whole_records(original, cut).count(b"\n")
    shown = [number for number in range(0, 20000, step) if number < whole]
    assert written == len(shown)
    if output == "text":
        lines = original.splitlines(keepends=True)
        assert out.getvalue() == b"".join(lines[number] for number in shown)
    else:
        assert [json.loads(line)["message"] for line in out.getvalue().splitlines()] == [_message(number, 50) for number in shown]
    hidden = len(rows) - len(shown)
    assert problems == [
        f"{path}: shrank from {len(original):,} to {cut:,} bytes while being read; {hidden:,} records past byte {cut:,} not shown"
    ]
    assert printer.problems == problems


@pytest.mark.parametrize("output", ["text", "jsonl"])
def test_a_file_truncated_while_print_writes_it(tmp_path: Path, output: str) -> None:
    """The command line, truncated under it while it is blocked writing its first block: the rest is gone, said once, exit 1."""
    path = tmp_path / "app.log"
    # More than one block of the printer's, and more than one of 16,384 records (which it wrote at once before).
    count = 20000
    write_records(path, [record(1709251200 + number, _message(number, 560)) for number in range(count)])
    assert len(path.read_bytes()) > 1.2 * BATCH_BYTES
    original = path.read_bytes()
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, F_SETPIPE_SZ, 4096)
    child = subprocess.Popen(
        [sys.executable, "-m", "logview", "--print", "--output", output, str(path)], cwd=ROOT, stdout=write_end, stderr=subprocess.PIPE
    )
    os.close(write_end)
    received = bytearray()
    stderr = bytearray()
    try:
        # A full pipe: the whole file is indexed, and the first block read and being written.
        capacity = fcntl.fcntl(read_end, F_GETPIPE_SZ)
        wait_until(lambda: _pending(read_end) >= capacity or child.poll() is not None, "the pipe is full")
        cut = 1_000_000 + 10
        os.truncate(path, cut)
        reading_stderr = threading.Thread(target=lambda: stderr.extend(child.stderr.read()))  # type: ignore[union-attr]
        reading_stderr.start()
        while block := os.read(read_end, 1 << 16):
            received.extend(block)
        reading_stderr.join(60)
    finally:
        os.close(read_end)
        child.wait(60)
    shown = received.count(b"\n")
    assert 0 < shown < count
    if output == "text":
        assert bytes(received) == original[: len(received)]
    else:
        assert [json.loads(line)["message"] for line in received.splitlines()] == [_message(number, 560) for number in range(shown)]
    assert stderr.decode().splitlines() == [
        f"logview: {path}: shrank from {len(original):,} to {cut:,} bytes while being read; {count - shown:,} records past byte {cut:,} not shown"
    ]
    assert child.returncode == 1


def _pending(descriptor: int) -> int:
    """Bytes waiting in a pipe."""
    waiting = array.array("i", [0])
    fcntl.ioctl(descriptor, termios.FIONREAD, waiting)
    return waiting[0]
