"""A real terminal for the tests: a private tmux server, its screen read with capture-pane, keys sent with send-keys.

tmux parses what the program writes as a terminal does, so a capture is what
a user would see. Each terminal is its own server (``-L``), with no user
configuration, and is killed at the end.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")


class Terminal:
    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30).stdout

    def screen(self) -> list[str]:
        return self.tmux("capture-pane", "-p", "-t", "0").split("\n")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "0", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "0", "-l", text)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "-L", self.socket, "has-session"], capture_output=True, timeout=30).returncode == 0

    def wait_for(self, condition, what: str, timeout: float = 60.0) -> list[str]:  # type: ignore[no-untyped-def]
        """The first screen ``condition`` holds for; fails after ``timeout`` s with the last screen."""
        deadline = time.monotonic() + timeout
        screen = self.screen()
        while not condition(screen):
            if time.monotonic() > deadline:
                raise AssertionError(f"not on screen within {timeout} s: {what}\n" + "\n".join(screen))
            time.sleep(0.01)
            screen = self.screen()
        return screen

    def wait_for_text(self, text: str, what: str, timeout: float = 60.0) -> list[str]:
        """The first screen that shows ``text`` anywhere (wait_for)."""
        return self.wait_for(lambda rows: text in "\n".join(rows), what, timeout)


@contextmanager
def terminal(command: list[str], size: tuple[int, int], cwd: Path) -> Iterator[Terminal]:
    """``command`` running in a new terminal of ``size``; the terminal is gone afterwards."""
    socket = f"logview-test-{uuid.uuid4().hex[:12]}"
    width, height = size
    # The shell stays after the program ends, so that its exit status can be read (pane_dead_status).
    shell = f"cd {shlex.quote(str(cwd))} && {shlex.join(command)}; echo EXITED $?; sleep 600"
    subprocess.run(
        [
            "tmux",
            "-L",
            socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            str(width),
            "-y",
            str(height),
            "env",
            "-u",
            "COLUMNS",
            "-u",
            "LINES",
            "TERM=xterm-256color",
            "sh",
            "-c",
            shell,
        ],
        check=True,
        timeout=30,
    )
    try:
        yield Terminal(socket)
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=30)
