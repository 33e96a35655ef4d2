"""Standard input as an input, and the core's independence from the UI."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

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
        "import sys, logview.cli, logview.ui.first_frame, logview.core.parse.remembered, logview.core.parse.line_record\n"
        "logview.cli.parse_settings(['app.log'])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'polars', 'textual', 'dataclasses', 'inspect'}))"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
