"""When logview itself fails: one line naming the file that holds the traceback, and exit status 70.

The bug is put in by the child process itself (a method replaced by one that
raises); the rest is the real thing: the command's own entry point, a real
terminal or pipe, real files, the report written under ``$XDG_STATE_HOME`` (the
test's own).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.command import ROOT
from tests.terminal import run_in_terminal

BROKEN_APP = """
import sys
from logview.ui.app import LogViewApp
from logview.ui.run import run_viewer_app

class Broken(LogViewApp):
    def on_mount(self):
        raise RuntimeError("a bug in the viewer")

sys.exit(run_viewer_app(Broken(sys.argv[1:])))
"""


#: ``logview ARGUMENTS…`` through its real entry point, logview.cli.main, with ``TARGET`` (module:attribute) raising.
BROKEN_COMMAND = """
import importlib, sys
module, _, attribute = sys.argv[1].partition(":")
owner, _, name = attribute.rpartition(".")
target = importlib.import_module(module)
for part in filter(None, owner.split(".")):
    target = getattr(target, part)

def broken(*args, **kwargs):
    raise RuntimeError("a bug in logview")

setattr(target, name, broken)
from logview.cli import main
sys.exit(main(sys.argv[2:]))
"""
SAMPLE = str(ROOT / "sample_logs" / "worker-1.log")


def _one_crash_line(text: str, state: Path, cause: str) -> None:
    """The output says the crash in one line, which names the report; the report holds the traceback, the output does not."""
    lines = re.findall(rf"logview: stopped on an internal error \(RuntimeError: {cause}\); the full traceback is in (\S+)", text)
    assert len(lines) == 1, text[-1500:]
    report = Path(lines[0])
    assert report.parent == state / "logview"
    assert "Traceback (most recent call last)" in report.read_text() and cause in report.read_text()
    assert "Traceback" not in text


def test_a_crash_says_where_its_traceback_is_and_exits_non_zero(tmp_path: Path) -> None:
    output, status = run_in_terminal(
        [sys.executable, "-c", BROKEN_APP, SAMPLE],
        until=b"never shown",
        keys=b"",
        cwd=tmp_path,
        environment={"XDG_STATE_HOME": str(tmp_path / "state")},
    )
    assert status == 70
    _one_crash_line(output.decode("utf-8", "replace"), tmp_path / "state", "a bug in the viewer")


@pytest.mark.parametrize(
    "target",
    [
        "logview.ui.app:LogViewApp.on_mount",  # in the app, over the first frame drawn before it
        "logview.ui.first_frame:first_screen",  # while the first frame is drawn, before Textual is loaded
    ],
)
def test_a_crash_of_the_command_in_a_terminal_exits_70_with_one_line(tmp_path: Path, target: str) -> None:
    """``logview FILE`` as typed: cli.main, the first frame, then the app; whichever fails, the same one line and 70."""
    output, status = run_in_terminal(
        [sys.executable, "-c", BROKEN_COMMAND, target, SAMPLE],
        until=b"never shown",
        keys=b"",
        cwd=tmp_path,
        environment={"XDG_STATE_HOME": str(tmp_path / "state")},
    )
    assert status == 70
    text = output.decode("utf-8", "replace")
    # The terminal is given back (the frame's or the app's alternate screen left) before the line: it stays on the user's screen.
    left = text.rindex("\x1b[?1049l")
    assert left < text.index("logview: stopped")
    _one_crash_line(text[left:], tmp_path / "state", "a bug in logview")


@pytest.mark.parametrize(
    ("broken", "path"),
    [
        ("logview.core.small_print:SmallPrint.output", SAMPLE),  # a small file is printed in plain Python
        ("logview.core.printer:Printer.print_text", "-"),  # standard input, by the engine
    ],
)
def test_a_crash_of_print_exits_70_with_one_line_on_stderr(tmp_path: Path, broken: str, path: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", BROKEN_COMMAND, broken, "--print", path],
        input=Path(SAMPLE).read_text(),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")},
    )
    assert result.returncode == 70
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    _one_crash_line(result.stderr, tmp_path / "state", "a bug in logview")
