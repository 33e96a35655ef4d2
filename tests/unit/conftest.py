"""Fixtures of the core's tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from logview.core.parse import remembered


@dataclass
class FormatCache:
    """The cache of detected formats (parse/remembered.py) of a test's own: its file, and runs of logview one after another."""

    path: Path
    monkeypatch: pytest.MonkeyPatch

    def new_run(self) -> None:
        """Forget what this process read of the cache or holds unsaved, as the next run of logview starts with nothing."""
        self.monkeypatch.setattr(remembered, "_memory", None)
        self.monkeypatch.setattr(remembered, "_unsaved", False)


@pytest.fixture
def format_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FormatCache:
    """Detection runs in the test's process too: its remembered answers are the test's own, in a cache of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cache = FormatCache(tmp_path / "cache" / "logview" / "formats.json", monkeypatch)
    cache.new_run()
    return cache
