"""Standard input as an input, and the core's independence from the UI."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.logfiles import record, write_records


def test_stdin_plain_and_gzip_mixed_with_files(tmp_path: Path, logview) -> None:
    piped, other = tmp_path / "piped.log", tmp_path / "other.log"
    write_records(piped, [record(100.0 + 2 * i, f"piped {i}") for i in range(50)])
    write_records(other, [record(101.0 + 2 * i, f"other {i}") for i in range(50)])
    for payload in (piped.read_bytes(), gzip.compress(piped.read_bytes())):
        result = logview("--print", "-", str(other), stdin=payload)
        assert result.returncode == 0, result.stderr
        messages = [line.split(b" ", 5)[5] for line in result.stdout.splitlines()]
        assert messages[:4] == [b"piped 0", b"other 0", b"piped 1", b"other 1"] and len(messages) == 100


def test_core_never_imports_textual() -> None:
    code = "import sys, logview.cli, logview.core.pipeline, logview.core.printer; print(any(m.startswith('textual') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_the_first_frame_imports_no_heavy_module() -> None:
    """What the first frame imports decides how soon it is on screen: no numpy, polars or Textual, and no dataclasses.

    Importing dataclasses (it imports inspect, ast and dis) and building the
    nineteen record classes it uses with it cost 30-45 ms of CPU, a
    fifth of a first run's first frame: they are NamedTuples.
    """
    code = (
        "import sys, logview.cli, logview.settings, logview.ui.first_frame, logview.core.parse.remembered, logview.core.parse.line_record\n"
        "logview.settings.parse_settings(['app.log'])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'polars', 'textual', 'dataclasses', 'inspect'}))"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_a_pipe_is_indexed_as_its_lines_come_and_closing_stops_its_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """``tail -f app.log | logview``: records are shown as the writer writes them, and q quits while the writer is silent."""
    import os
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from logview.core import pipeline as pipeline_module
    from logview.core.inputs.opener import open_handle
    from logview.core.pipeline import Pipeline
    from tests.waiting import wait_until

    monkeypatch.setattr(pipeline_module, "CLOSE_WAIT", 3600.0)  # a wait for the writer would outlast the test's deadline
    read_end, write_end = os.pipe()
    pipeline = Pipeline(growing=True)
    reading = threading.Thread(target=lambda: pipeline.load_opened(pipeline.add_input("pipe"), opened, ThreadPoolExecutor(2)), daemon=True)
    try:
        os.write(write_end, b"2024-03-01 00:00:00,000 1 app INFO the first record\n")
        opened = open_handle("pipe", os.fdopen(read_end, "rb"))
        reading.start()
        wait_until(lambda: len(pipeline.timeline) == 1, "the first record indexed, the pipe still open")
        os.write(write_end, b"2024-03-01 00:00:01,000 1 app INFO the second, a while later\n")
        wait_until(lambda: len(pipeline.timeline) == 2, "the second record indexed as it came")
        closed = threading.Event()
        threading.Thread(target=lambda: (pipeline.close(), closed.set()), daemon=True).start()
        wait_until(closed.is_set, "the pipeline closed while the pipe's writer says nothing")
        wait_until(lambda: not reading.is_alive(), "the pipe's read stopped")
        assert not pipeline.errors
    finally:
        os.close(write_end)
        reading.join(60)
