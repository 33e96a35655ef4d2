"""Run a program on a real pseudo-terminal, as a user's shell would, and type at it."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Callable
from pathlib import Path


def run_in_terminal(
    command: list[str], until: bytes, keys: bytes, cwd: Path, timeout: float = 90.0, environment: dict[str, str] | None = None
) -> tuple[bytes, int]:
    """Run ``command`` on a new pseudo-terminal until its output shows ``until``, then type ``keys``; (output, exit status)."""

    def type_keys(pid: int, master: int) -> bool:
        os.write(master, keys)
        return False

    return act_in_terminal(command, until, type_keys, cwd, timeout, environment)


def act_in_terminal(
    command: list[str],
    until: bytes,
    act: Callable[[int, int], bool],
    cwd: Path,
    timeout: float = 90.0,
    environment: dict[str, str] | None = None,
) -> tuple[bytes, int]:
    """Run ``command`` on a new pseudo-terminal until its output shows ``until``, then ``act(pid, master)``; (output, exit status).

    ``act`` may close the terminal (``os.close(master)``), as a terminal
    window closed by its user does, and then returns True: the output ends there.
    """
    pid, master = pty.fork()
    if pid == 0:  # the child: the terminal is its standard input, output and error
        os.chdir(cwd)
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        # An environment of its own: a pytest plugin puts COLUMNS and LINES in the process's (with putenv,
        # out of os.environ's sight), and they would override the terminal's size.
        clean = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
        try:
            os.execve(command[0], command, {**clean, "TERM": "xterm-256color", **(environment or {})})
        finally:
            os._exit(127)
    output = b""
    deadline = time.monotonic() + timeout
    acted = closed = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.kill(pid, signal.SIGKILL)
                raise AssertionError(f"{command[0]} did not show {until!r} and quit in {timeout} s; last output: {output[-2000:]!r}")
            ready, _, _ = select.select([master], [], [], min(remaining, 0.5))
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            if not acted and until in output:
                acted = True
                closed = act(pid, master)
                if closed:
                    break
        status = _exit_status(pid, deadline)
    finally:
        if not closed:
            os.close(master)
    return output, status


def _exit_status(pid: int, deadline: float) -> int:
    """The child's exit status once it has exited; killed, and the test failed, if it has not by ``deadline``."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError(f"process {pid} did not exit in time")
        time.sleep(0.05)  # between two looks at the child: the wait itself is on its exit
