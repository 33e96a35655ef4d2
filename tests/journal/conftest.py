"""The journal tests' collector: a real systemd-journal-remote, started by the test, one journal file per sending host."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from logview.journal_upload import Collector, journal_remote_path


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[Collector]:
    """A collector writing into tmp_path/remote; skipped where systemd-journal-remote is not installed (.ci/run installs it)."""
    if journal_remote_path() is None or shutil.which("journalctl") is None:
        pytest.skip("systemd-journal-remote is not installed (apt-get install systemd-journal-remote)")
    with Collector(str(tmp_path / "remote")) as running:
        yield running
