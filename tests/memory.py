"""Running logview in a child process whose memory is watched, and whose peak is measured exactly.

A test of bounded memory must not take the machine's memory when the bound
is broken: logview is killed as soon as its resident memory passes the
test's limit, and the test fails saying so. Its peak is the kernel's own
account (``wait4``), taken by a small process that starts it: a process's
peak counts the memory of the process it was forked from, and a pytest
worker may hold hundreds of MB by then.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.command import ROOT
from tests.waiting import DEADLINE, INTERVAL, wait_until

__all__ = ["Watched", "bytes_read", "run_watched"]

#: The small process: starts logview, says its pid, waits for it, says its status and peak (KiB), each in a file.
_MEASURER = """
import os, subprocess, sys
report = sys.argv[1]
child = subprocess.Popen([sys.executable, "-m", "logview", *sys.argv[2:]], stdin=subprocess.DEVNULL)
with open(report + ".tmp", "w") as pid:
    pid.write(str(child.pid))
os.replace(report + ".tmp", report + ".pid")
_, status, usage = os.wait4(child.pid, 0)
with open(report + ".tmp", "w") as peak:
    peak.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
os.replace(report + ".tmp", report)
"""


@dataclass
class Watched:
    """How a watched logview ended: its status, its output, its peak resident memory."""

    returncode: int
    stdout: bytes
    stderr: bytes
    peak_mb: float
    #: Why it was killed, when it was: "stopped" (``stop_when`` came true), or a failure to report.
    stopped: str | None


def bytes_read(pid: int) -> int:
    """Bytes process ``pid`` has read so far, by the kernel's count (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/io") as io:
            return next(int(line.split()[1]) for line in io if line.startswith("rchar:"))
    except (FileNotFoundError, ProcessLookupError):
        return 0


def _resident_mb(pid: int) -> float:
    """Resident memory of ``pid``; 0 once it has exited."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0) / 1024
    except (FileNotFoundError, ProcessLookupError):
        return 0


def _started(report: Path) -> int:
    """The pid of the logview the measuring process started; 0 until it has said."""
    path = report.with_name(report.name + ".pid")
    return int(path.read_text()) if path.exists() else 0


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
    out, err, report = tmp_path / "watched.out", tmp_path / "watched.err", tmp_path / "watched.peak"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        measurer = subprocess.Popen(
            [sys.executable, "-c", _MEASURER, str(report), *args], stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, cwd=ROOT
        )
    stopped: str | None = None
    deadline = time.monotonic() + timeout
    pid: int | None = None
    try:
        pid = logview = wait_until(lambda: _started(report), "logview started by the measuring process")
        while measurer.poll() is None:
            resident = _resident_mb(logview)
            if resident > limit_mb:
                stopped = f"killed: {resident:.0f} MB resident, over the limit of {limit_mb:.0f} MB"
            elif time.monotonic() > deadline:
                stopped = f"killed: still running after {timeout:g} s"
            elif stop_when is not None and stop_when(logview):
                stopped = "stopped"
            if stopped is not None:
                os.kill(logview, signal.SIGKILL)
                break
            time.sleep(INTERVAL)  # between two looks at logview: what is awaited is its end
        measurer.wait(timeout=DEADLINE)
    except BaseException:
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
        measurer.kill()
        measurer.wait()
        raise
    returncode, peak_kb = report.read_text().split()
    return Watched(int(returncode), out.read_bytes(), err.read_bytes(), int(peak_kb) / 1024, stopped)
