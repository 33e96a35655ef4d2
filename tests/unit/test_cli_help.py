"""``logview --help`` as a user reads it: what each option does, in the real command's output."""

from __future__ import annotations

import subprocess
import sys

from tests.command import ROOT


def _help_text(logview) -> str:
    result = logview("--help")
    assert result.returncode == 0, result.stderr
    return " ".join(result.stdout.decode().split())  # argparse wraps lines at the terminal's width


def test_print_help_says_it_goes_on_with_follow_and_listen(logview) -> None:
    """--print exits once the records are written, but not with -f or --listen: its help said "and exit" for both."""
    text = _help_text(logview)
    start = text.index("--print write")
    said = text[start : text.index("--output {text,jsonl}", start)]
    assert "and exit" not in said
    assert "with -f or --listen, go on printing until Ctrl+C" in said


def test_help_names_examples_and_the_keys_of_the_viewer(logview) -> None:
    text = _help_text(logview)
    assert "examples: logview app.log*" in text
    assert "logview --print -f 'app.log*'" in text and "logview --listen 9020" in text
    assert "? lists every key" in text and "q or Ctrl+C quits" in text


#: ``python -m logview ARGUMENT`` run as the command runs, then the heavy modules it imported, on standard error.
IMPORTED = """
import runpy, sys
sys.argv = ["logview", sys.argv[1]]
try:
    runpy.run_module("logview", run_name="__main__", alter_sys=True)
except SystemExit as done:
    print(done.code, file=sys.stderr)
heavy = {"numpy", "polars", "textual", "rich", "tempfile", "logview.core.config", "logview.core.inputs.descriptors"}
print(sorted(heavy & set(sys.modules)), file=sys.stderr)
"""


def test_help_version_and_usage_errors_load_nothing_heavy() -> None:
    """--help, --version and a mistyped option answer from argparse: not even the config, the descriptors' spools or tempfile.

    The engine (numpy, polars) and the app (Textual) are loaded by the mode
    that needs them; a user who asks for help waits for Python alone.
    """
    for argument, status, said in (("--help", "0", "usage: logview"), ("--version", "0", "logview 0."), ("--bogus", "2", "")):
        result = subprocess.run([sys.executable, "-c", IMPORTED, argument], capture_output=True, text=True, timeout=120, cwd=ROOT)
        assert result.stdout.startswith(said), result.stdout
        assert result.stderr.splitlines()[-2:] == [status, "[]"], result.stderr
    assert "unrecognized arguments: --bogus" in result.stderr
