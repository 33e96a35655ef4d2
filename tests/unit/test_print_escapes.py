"""--print to a terminal shows control characters escaped; to a pipe it copies the log's bytes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.terminal import run_in_terminal
from tests.unit.logfiles import record, write_records

# A bidirectional override reorders what follows it on screen: "admin\u202egnp.exe" reads as "adminexe.png".
HOSTILE = "title \x1b]0;owned\x07 red \x1b[31mtext\x1b[0m bell\x07 del\x7f csi\x9b2J cr\rover rtl admin\u202egnp.exe\u2066"


def test_control_characters_are_escaped_on_a_terminal_and_kept_in_a_pipe(tmp_path: Path, logview) -> None:
    log = tmp_path / "hostile.log"
    write_records(log, [record(1709251200, HOSTILE), record(1709251201, "plain\twith a tab")])
    piped = logview("--print", str(log))
    assert piped.returncode == 0 and piped.stdout == log.read_bytes()
    for output_format, spelled in (("text", b"\\x1b[31mtext"), ("jsonl", b"\\u001b[31mtext")):
        shown, status = run_in_terminal(
            [sys.executable, "-m", "logview", "--print", "--output", output_format, str(log)], until=b"\x00never", keys=b"", cwd=tmp_path
        )
        assert status == 0
        assert spelled in shown
        assert b"admin\\u202egnp.exe\\u2066" in shown
        for raw in (b"\x1b]0;", b"\x1b[31m", b"\x07", b"\x7f", "\x9b".encode(), b"\rover", "\u202e".encode(), "\u2066".encode()):
            assert raw not in shown, raw
        if output_format == "text":
            assert b"plain\twith" in shown  # a tab is harmless: kept
    # Escaped JSON stays JSON.
    shown, _ = run_in_terminal(
        [sys.executable, "-m", "logview", "--print", "--output", "jsonl", str(log)], until=b"\x00", keys=b"", cwd=tmp_path
    )
    first = shown.replace(b"\r\n", b"\n").splitlines()[0]
    assert json.loads(first)["message"] == HOSTILE
