"""--print's output: every byte written whatever the output takes at once, and an output that fails is an error.

Each case runs the real command line twice: with standard output buffered,
and raw (PYTHONUNBUFFERED), where one write is one system call and its count
must be looked at.
"""

from __future__ import annotations

import array
import fcntl
import os
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest

from logview.core.small_print import SMALL_TEXT_BYTES
from tests.command import ROOT
from tests.unit.logfiles import record, write_records
from tests.waiting import wait_until

F_GETPIPE_SZ = 1032
STDOUT_KINDS = pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "raw"])


@pytest.fixture
def megabyte_log(tmp_path: Path) -> Path:
    """About 1 MB of records: many times what a pipe holds."""
    path = tmp_path / "app.log"
    write_records(path, [record(1709251200 + number, f"request {number} " + "x" * 150) for number in range(5000)])
    return path


def _logview(*args: str, unbuffered: bool, **popen: object) -> subprocess.Popen[bytes]:
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    if unbuffered:
        environment["PYTHONUNBUFFERED"] = "1"
    return subprocess.Popen([sys.executable, "-m", "logview", *args], cwd=ROOT, env=environment, **popen)  # type: ignore[call-overload]


@pytest.mark.parametrize(("output", "unbuffered"), [("text", True), ("jsonl", False)], ids=["text-raw", "jsonl-buffered"])
def test_a_full_disk_is_one_line_and_exit_1(megabyte_log: Path, unbuffered: bool, output: str) -> None:
    with open("/dev/full", "wb") as full:
        child = _logview("--print", "--output", output, str(megabyte_log), unbuffered=unbuffered, stdout=full, stderr=subprocess.PIPE)
        _, stderr = child.communicate(timeout=60)
    assert stderr.decode().splitlines() == ["logview: cannot write to standard output: No space left on device"]
    assert child.returncode == 1


def test_a_closed_standard_output_is_one_line_and_exit_1(megabyte_log: Path) -> None:
    command = f'exec "{sys.executable}" -m logview --print "{megabyte_log}" >&-'
    done = subprocess.run(["sh", "-c", command], cwd=ROOT, capture_output=True, timeout=60)
    assert done.stderr.decode().splitlines() == ["logview: cannot write to standard output: it is closed"]
    assert done.returncode == 1


@STDOUT_KINDS
def test_a_non_blocking_output_gets_every_byte(megabyte_log: Path, unbuffered: bool) -> None:
    """An output another program left non-blocking takes what fits in the pipe: the rest waits for the reader, none is lost."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    child = _logview("--print", str(megabyte_log), unbuffered=unbuffered, stdout=write_end, stderr=subprocess.PIPE)
    os.close(write_end)
    received = bytearray()
    try:
        # Nothing is read until the pipe is full: the printer's writes are then refused or cut, for certain.
        capacity = fcntl.fcntl(read_end, F_GETPIPE_SZ)
        wait_until(lambda: _pending(read_end) >= capacity or child.poll() is not None, "the pipe is full")
        stderr = bytearray()
        reading_stderr = threading.Thread(target=lambda: stderr.extend(child.stderr.read()))  # type: ignore[union-attr]
        reading_stderr.start()
        while block := os.read(read_end, 1 << 16):
            received.extend(block)
        reading_stderr.join(60)
    finally:
        os.close(read_end)
        child.wait(60)
    assert stderr.decode() == ""
    assert child.returncode == 0
    assert bytes(received) == megabyte_log.read_bytes()


def test_a_pipe_closed_by_its_reader_ends_quietly(megabyte_log: Path) -> None:
    """As with ``| head -1``: a closed pipe is not an error."""
    child = _logview("--print", str(megabyte_log), unbuffered=False, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.readline().startswith(b"20")
    child.stdout.close()
    assert child.stderr.read() == b""
    assert child.wait(60) == 0


def _pending(descriptor: int) -> int:
    """Bytes waiting in a pipe."""
    count = array.array("i", [0])
    fcntl.ioctl(descriptor, termios.FIONREAD, count)
    return count[0]


#: Runs the command line and says its peak resident memory, in KiB: that of logview alone, not of this test's process.
PEAK_MEMORY = """
import resource, subprocess, sys
subprocess.run([sys.executable, "-m", "logview", *sys.argv[1:]], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _peak_kib(*args: str) -> int:
    done = subprocess.run([sys.executable, "-c", PEAK_MEMORY, *args], cwd=ROOT, capture_output=True, timeout=120, check=True)
    return int(done.stdout)


def test_the_memory_of_one_write_is_bounded_whatever_the_records_size(tmp_path: Path) -> None:
    """Records of 100 KB: a batch of them was gathered whole (twice over) before its one write, 2 GB for 16,384 of them."""
    small, large = tmp_path / "small.log", tmp_path / "large.log"
    # Records of 3 KB, more of them than the small path reads (core/small_print.py): the baseline is the engine's too.
    write_records(small, [record(1709251200 + number, "x" * 3000) for number in range(SMALL_TEXT_BYTES // 3000 + 10)])
    write_records(large, [record(1709251200 + number, "x" * 100_000) for number in range(960)])
    size_kib = large.stat().st_size // 1024
    baseline = _peak_kib("--print", str(small))
    for output in ("text", "jsonl"):
        grown = _peak_kib("--print", "--output", output, str(large)) - baseline
        # Reading and parsing hold a few chunks of the file, whatever its size; printing it all at once held it twice.
        assert grown < size_kib, f"{output}: {grown:,} KiB more for a {size_kib:,} KiB file"
