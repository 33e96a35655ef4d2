"""A server run for a test module: started once, sent a few requests, stopped, its logs left for the tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.waiting import wait_until

APPS = Path(__file__).resolve().parent / "apps"


@dataclass
class ServedRun:
    """What a server wrote, and what the test knows of its run."""

    pid: int
    paths: list[str]
    started: float
    stopped: float


def serve(command: list[str], log: Path, listening: str, paths: list[str], out: Path | None = None) -> ServedRun:
    """Run ``command`` (a module of this venv's Python, in APPS), wait for ``listening`` (a regex with a port group) in ``log``,
    request each of ``paths`` once, stop it with SIGTERM and wait for its end."""
    started = time.time()
    with open(out or Path(str(log) + ".out"), "wb") as output:
        # Unbuffered: what goes to standard output (uvicorn's access log) is written in the order it is logged.
        environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
        server = subprocess.Popen([sys.executable, "-m", *command], cwd=APPS, stdout=output, stderr=subprocess.STDOUT, env=environment)
    try:
        found = wait_until(lambda: log.exists() and re.search(listening, log.read_text()), f"{command[0]} listening, in {log}")
        for path in paths:
            with urllib.request.urlopen(f"http://127.0.0.1:{found['port']}{path}", timeout=30) as answer:
                assert answer.read() == b"ok"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    return ServedRun(pid=server.pid, paths=paths, started=started, stopped=time.time())
