"""Running logview in a child process whose memory is watched, and whose peak is measured exactly.

A test of bounded memory must not take the machine's memory when the bound
is broken: the child is killed as soon as its resident memory passes the
test's limit, and the test fails saying so. Its peak comes from the kernel's
own account of that one child (``wait4``), not from a sample.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT
from tests.waiting import DEADLINE, INTERVAL

__all__ = ["Watched", "bytes_read", "run_watched"]


@dataclass
class Watched:
    """How a watched child ended: its status, its output, its peak resident memory."""

    returncode: int
    stdout: bytes
    stderr: bytes
    peak_mb: float
    #: Why it was killed, when it was: "stopped" (``stop_when`` came true), or a failure to report.
    stopped: str | None


def bytes_read(pid: int) -> int:
    """Bytes process ``pid`` has read so far, by the kernel's count."""
    with open(f"/proc/{pid}/io") as io:
        return next(int(line.split()[1]) for line in io if line.startswith("rchar:"))


def _resident_mb(pid: int) -> float:
    """Resident memory of ``pid``; 0 once it has exited (a zombie has none)."""
    with open(f"/proc/{pid}/status") as status:
        return next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0) / 1024


def run_watched(
    args: list[str],
    tmp_path: Path,
    limit_mb: float,
    stop_when: Callable[[int], bool] | None = None,
    timeout: float = DEADLINE,
) -> Watched:
    """Run ``logview args``, killed if its resident memory passes ``limit_mb`` or ``timeout`` passes.

    ``stop_when(pid)``, looked at as it runs, ends it once true (an endless input): killed, its peak measured all the same.
    """
    out, err = tmp_path / "watched.out", tmp_path / "watched.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        child = subprocess.Popen([sys.executable, "-m", "logview", *args], stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, cwd=ROOT)
    stopped: str | None = None
    deadline = time.monotonic() + timeout
    try:
        while os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
            resident = _resident_mb(child.pid)
            if resident > limit_mb:
                stopped = f"killed: {resident:.0f} MB resident, over the limit of {limit_mb:.0f} MB"
            elif time.monotonic() > deadline:
                stopped = f"killed: still running after {timeout:g} s"
            elif stop_when is not None and stop_when(child.pid):
                stopped = "stopped"
            if stopped is not None:
                child.kill()
                break
            time.sleep(INTERVAL)  # between two looks at the child: what is awaited is its end
        _pid, status, usage = os.wait4(child.pid, 0)
    except BaseException:
        child.kill()
        child.wait()
        raise
    child.returncode = os.waitstatus_to_exitcode(status)
    return Watched(child.returncode, out.read_bytes(), err.read_bytes(), usage.ru_maxrss / 1024, stopped)
