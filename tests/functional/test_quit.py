"""Quitting the viewer in a real terminal (tmux) while it still reads a big file: the exit status says all is well."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.command import ROOT
from tests.tmux import needs_tmux, terminal
from tests.unit.logfiles import record, write_records

pytestmark = needs_tmux
LOGVIEW = [sys.executable, "-m", "logview"]
#: What the status bar says while the app's index is read, once it has counted records (not the first frame's "reading…").
READING = re.compile(r"reading… [\d,]+ records")


@pytest.fixture(scope="module")
def big_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 110 MB of records, which take the viewer seconds to index: a quit comes in the middle."""
    directory = tmp_path_factory.mktemp("big")
    block = directory / "block.log"
    write_records(block, [record(1709251200 + number, f"event {number} " + "x" * 60, process=4000 + number % 3) for number in range(2000)])
    path = directory / "big.log"
    with open(path, "wb") as out:
        data = block.read_bytes()
        for _copy in range(600):
            out.write(data)
    return path


@pytest.mark.parametrize("key", ["q", "C-c"])
def test_quitting_while_a_big_file_is_indexed_exits_0_without_a_message(big_log: Path, key: str) -> None:
    """The file closed under the reading thread was an input error: the viewer exited with 1, silently.

    Ctrl+C is a key of the viewer (the terminal is in raw mode), which quits
    as q does: 0; 130 is --print -f's, interrupted by SIGINT.
    """
    with terminal([*LOGVIEW, str(big_log)], (120, 30), ROOT) as screen:
        screen.wait_for(lambda rows: READING.search("\n".join(rows)) is not None, "the app reading the file", timeout=60)
        screen.keys(key)
        rows = screen.wait_for_text("EXITED", "the viewer's exit", timeout=60)
        lines = [row for row in rows if row.strip()]
        assert lines[-1] == "EXITED 0", "\n".join(rows)
        assert not any("logview:" in row for row in rows), "\n".join(rows)
