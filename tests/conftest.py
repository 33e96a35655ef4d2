from __future__ import annotations

from pathlib import Path

import pytest

from tests.command import run_logview


@pytest.fixture
def logview():
    """The logview command, run in a child process as a user runs it (tests.command.run_logview)."""
    return run_logview


def pytest_configure(config: pytest.Config) -> None:
    """Caches and crash reports of the tests' own, not the user's: every child process inherits them.

    The formats logview remembers go to $XDG_CACHE_HOME, the tracebacks of its
    crashes to $XDG_STATE_HOME (a test that looks at a report sets its own);
    its config is read from an empty $XDG_CONFIG_HOME, never the user's
    (a test of the config sets its own).
    """
    import os
    import tempfile

    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="logview-test-cache-")
    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="logview-test-state-")
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="logview-test-config-")


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An XDG config home of the test's own, which logview run as a child process inherits."""
    home = tmp_path / "xdg"
    (home / "logview").mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home / "logview" / "config.toml"
