"""When the viewer itself fails: one line naming the file that holds the traceback, and a non-zero exit status."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.terminal import run_in_terminal

BROKEN_APP = """
import sys
from logview.ui.app import LogViewApp, run_viewer_app

class Broken(LogViewApp):
    def on_mount(self):
        raise RuntimeError("a bug in the viewer")

sys.exit(run_viewer_app(Broken(sys.argv[1:])))
"""


def test_a_crash_says_where_its_traceback_is_and_exits_non_zero(tmp_path: Path) -> None:
    output, status = run_in_terminal(
        [sys.executable, "-c", BROKEN_APP, str(ROOT / "sample_logs" / "worker-1.log")],
        until=b"never shown",
        keys=b"",
        cwd=tmp_path,
        environment={"XDG_STATE_HOME": str(tmp_path / "state")},
    )
    assert status == 70
    text = output.decode("utf-8", "replace")
    line = re.search(r"logview: stopped on an internal error \(RuntimeError: a bug in the viewer\); the full traceback is in (\S+)", text)
    assert line is not None, text[-1500:]
    report = Path(line.group(1))
    assert report.parent == tmp_path / "state" / "logview"
    assert "Traceback (most recent call last)" in report.read_text() and "a bug in the viewer" in report.read_text()
    # The terminal gets the line, not the traceback.
    assert "Traceback" not in text
