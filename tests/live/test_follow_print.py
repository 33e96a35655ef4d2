"""``logview --print -f`` follows files while real handlers write them, in separate processes."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

WRITERS = str(Path(__file__).with_name("writers.py"))
RECORD = re.compile(rb" record (\d+)$")


class FollowingPrinter:
    """``logview --print -f`` as a process, its standard output collected by a thread."""

    def __init__(self, *arguments: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "logview", "--print", "-f", *arguments], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.lines: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip(b"\n"))

    def numbers(self) -> list[int]:
        return [int(found[1]) for line in list(self.lines) if (found := RECORD.search(line))]

    def wait_for(self, last: int, timeout: float) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            numbers = self.numbers()
            if numbers and numbers[-1] >= last:
                time.sleep(0.5)  # anything printed twice after the last one would show here
                return self.numbers()
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        return self.numbers()

    def stop(self) -> str:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
        self._reader.join(5)
        assert self.process.stderr is not None
        return self.process.stderr.read().decode()


def test_every_record_once_and_in_order_through_hundreds_of_gzip_rotations(tmp_path: Path) -> None:
    count = 200_000
    (tmp_path / "app.log").touch()
    printer = FollowingPrinter(str(tmp_path / "app.log"))
    try:
        time.sleep(1.0)  # the printer is following before the first record is written
        writer = subprocess.run(
            [sys.executable, WRITERS, "rotating-gzip", str(tmp_path), str(count), "50000", "1000"], capture_output=True, check=True
        )
        assert not writer.stderr
        rotations = len(list(tmp_path.glob("app.log.*.gz")))
        numbers = printer.wait_for(count, timeout=120)
    finally:
        errors = printer.stop()
    assert rotations >= 200
    assert numbers == list(range(1, count + 1)), _difference(numbers, count, errors)
    # Each thousandth record carries its traceback, whole.
    text = b"\n".join(printer.lines)
    assert text.count(b"ValueError: failure at") == count // 1000


def test_rotations_faster_than_the_polls_are_read_from_the_rotated_copies(tmp_path: Path) -> None:
    """A tiny maxBytes: dozens of files come and go between two polls, and are read from their gzip copies."""
    count = 30_000
    (tmp_path / "app.log").touch()
    printer = FollowingPrinter(str(tmp_path / "app.log"))
    try:
        time.sleep(1.0)
        subprocess.run(
            [sys.executable, WRITERS, "rotating-gzip", str(tmp_path), str(count), "5000", "200"], capture_output=True, check=True
        )
        numbers = printer.wait_for(count, timeout=120)
    finally:
        errors = printer.stop()
    assert numbers == list(range(1, count + 1)), _difference(numbers, count, errors)


def _difference(numbers: list[int], count: int, errors: str) -> str:
    """What went wrong, for the failure message: records missing, repeated, or out of order."""
    missing = sorted(set(range(1, count + 1)) - set(numbers))
    repeated = len(numbers) - len(set(numbers))
    back = next((index for index in range(1, len(numbers)) if numbers[index] < numbers[index - 1]), None)
    where = f" at {numbers[back - 1]} -> {numbers[back]}" if back is not None else ""
    return (
        f"{len(numbers)} printed, last {numbers[-1] if numbers else None}; {len(missing)} missing {missing[:5]}; "
        f"{repeated} repeated; first step back{where or ': none'}; stderr: {errors}"
    )
