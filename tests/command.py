"""The project's root, and the logview command run in a child process as a user runs it.

Plain names that tests import; the fixtures built on them are in conftest.py
(which pytest loads itself, and which no test module imports).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_logview(*args: str, stdin: bytes | None = None, user: str | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the real command line in a child process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "logview", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        cwd=ROOT,
        user=user,
    )
