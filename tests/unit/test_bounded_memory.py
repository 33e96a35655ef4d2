"""Endless and expanding inputs are read in bounded memory: the index and a working set of a few chunks."""

from __future__ import annotations

import gzip
import tracemalloc
from pathlib import Path

from logview.core.newest import MAX_COMPRESSED_BYTES, MAX_INFLATED_BYTES, newest_records
from logview.core.record import MAX_RECORD_BYTES
from tests.memory import bytes_read, run_watched

#: Resident memory allowed: logview's own (about 100 MB with numpy and polars loaded) and a few chunks.
LIMIT_MB = 300


def test_an_endless_stream_without_newlines_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """/dev/zero has no newline: it is one endless line, read and spooled on, in the memory it started with."""
    watched = run_watched(["--print", "/dev/zero"], tmp_path, LIMIT_MB, stop_when=lambda pid: bytes_read(pid) > 512 << 20)
    assert watched.stopped == "stopped", f"{watched.stopped}; {watched.stderr.decode()}"
    assert watched.peak_mb < LIMIT_MB


def _zeros_gz(tmp_path: Path, size: int) -> Path:
    """A gzip bomb: ``size`` NUL bytes, packed to a thousandth of that, written a block at a time."""
    path = tmp_path / "zeros.log.gz"
    with gzip.open(path, "wb", compresslevel=1) as packed:
        for _block in range(size >> 20):
            packed.write(bytes(1 << 20))
    return path


def test_a_gzip_bomb_is_inflated_as_a_stream_and_printed_cut(tmp_path: Path) -> None:
    size = 128 << 20
    bomb = _zeros_gz(tmp_path, size)
    text = run_watched(["--print", str(bomb)], tmp_path, LIMIT_MB)
    assert text.stopped is None and text.returncode == 0, f"{text.stopped}; {text.stderr.decode()}"
    assert text.stdout == bytes(MAX_RECORD_BYTES) + f" … [line cut: {size - MAX_RECORD_BYTES:,} more bytes]".encode()
    assert "binary data" in text.stderr.decode()
    # JSON spells each NUL in six bytes (\u0000): the record's message is still only its first MAX_RECORD_BYTES.
    jsonl = run_watched(["--print", "--output", "jsonl", str(bomb)], tmp_path, LIMIT_MB + 150)
    assert jsonl.stopped is None and jsonl.returncode == 0, f"{jsonl.stopped}; {jsonl.stderr.decode()}"
    assert jsonl.stdout.count(b"\\u0000") == MAX_RECORD_BYTES and b"more bytes]" in jsonl.stdout


def test_the_first_screen_inflates_a_small_gzip_bomb_in_bounded_memory(tmp_path: Path) -> None:
    """The viewer's first screen inflates a small compressed file whole: but no more of it than MAX_INFLATED_BYTES."""
    bomb = _zeros_gz(tmp_path, 2 * MAX_INFLATED_BYTES)
    assert bomb.stat().st_size < MAX_COMPRESSED_BYTES
    tracemalloc.start()
    try:
        newest_records([str(bomb)], 50)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1.5 * MAX_INFLATED_BYTES, f"{peak:,} bytes held at once"
