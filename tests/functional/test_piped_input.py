"""Piped into logview with a terminal for output: the viewer opens on the pipe and reads keys from the terminal, as less does."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from tests.terminal import run_in_terminal
from tests.unit.logfiles import record, write_records


@pytest.mark.parametrize("shape", ["cat {log} | {logview}", "{logview} - < {log}"])
def test_piped_input_opens_the_viewer_and_q_quits_it(tmp_path: Path, shape: str) -> None:
    log = tmp_path / "app.log"
    write_records(log, [record(1709251200 + n, f"piped record {n}") for n in range(300)])
    logview = f"{shlex.quote(sys.executable)} -m logview"
    command = shape.format(log=shlex.quote(str(log)), logview=logview)
    output, status = run_in_terminal(["/bin/sh", "-c", command], until=b"piped record 299", keys=b"q", cwd=Path(__file__).parents[2])
    assert status == 0, output[-1500:]
    assert b"standard input" in output  # the status bar names the source
    # The viewer, not the printer: the first record is not on a screen that opens at the newest.
    assert b"piped record 0\r\n" not in output and b"piped record 0\n" not in output
