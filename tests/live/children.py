"""A command run as a child process, as a user runs it, watched without blocking the test."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

from tests.waiting import DEADLINE, wait_until, watching

__all__ = ["Child", "logview_child"]

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent.parent


class Child:
    """A child process whose standard output and error are collected by threads, line by line.

    A test that reads a child's pipe itself blocks for as long as the child
    says nothing; here it waits for what it expects with a deadline, and a
    child that died says why in the failure message.
    """

    def __init__(self, *command: str, env: dict[str, str] | None = None) -> None:
        """``env``: the child's whole environment, when not the test's."""
        self.process = subprocess.Popen(list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
        #: Lines of standard output so far, without their newline.
        self.lines: list[bytes] = []
        self._errors: list[bytes] = []
        self._readers = [
            threading.Thread(target=_collect, args=(self.process.stdout, self.lines), daemon=True),
            threading.Thread(target=_collect, args=(self.process.stderr, self._errors), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    @property
    def stderr(self) -> str:
        return b"\n".join(self._errors).decode(errors="replace")

    def wait_until(self, predicate: Callable[[], T], what: str, timeout: float = DEADLINE) -> T:
        """As :func:`tests.waiting.wait_until`, failing at once, with the child's stderr, if it exits first."""

        def reached() -> T:
            value = predicate()
            if value or self.process.poll() is None:
                return value
            self._join_readers()  # what it wrote before exiting may still be in the pipes
            value = predicate()
            if not value:
                raise AssertionError(f"{what}: not reached, the child exited with {self.process.returncode}; stderr: {self.stderr}")
            return value

        return wait_until(reached, what, timeout)

    def wait_for_line(self, ending: bytes, what: str, timeout: float = DEADLINE) -> None:
        """Wait until a line of standard output ends with ``ending``; each look reads only the lines that came since the last."""
        looked = 0

        def found() -> bool:
            nonlocal looked
            lines = self.lines[looked:]
            looked += len(lines)
            return any(line.endswith(ending) for line in lines)

        self.wait_until(found, what, timeout)

    def wait_for_stderr(self, text: str, what: str, timeout: float = DEADLINE) -> None:
        self.wait_until(lambda: text in self.stderr, what, timeout)

    def wait_watching(self, path: Path, timeout: float = DEADLINE) -> None:
        """Wait until the child follows ``path`` (see :func:`tests.waiting.watching`)."""
        self.wait_until(lambda: watching(self.process.pid, path), f"the child following {path}", timeout)

    def interrupt(self, timeout: float = DEADLINE) -> int:
        """Ctrl+C: SIGINT, then the exit status; killed (and the test failed) if it has not exited within ``timeout``."""
        self.process.send_signal(signal.SIGINT)
        return self.stop(timeout)

    def stop(self, timeout: float = DEADLINE) -> int:
        """Wait for the child to exit; kill it if it has not within ``timeout``. Its output is all collected then."""
        try:
            self.process.wait(timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self._join_readers()
        return self.process.returncode

    def _join_readers(self) -> None:
        for reader in self._readers:
            reader.join(DEADLINE)


def logview_child(*arguments: str, env: dict[str, str] | None = None) -> Child:
    """``python -m logview ARGUMENTS…`` as a child process."""
    return Child(sys.executable, "-m", "logview", *arguments, env=env)


def _collect(pipe: IO[bytes], lines: list[bytes]) -> None:
    for line in pipe:
        lines.append(line.rstrip(b"\n"))
