"""The package as users install it: a wheel in a fresh virtual environment, outside the source tree.

The suite itself runs from an editable install, which reads every file from
the source tree and so hides a file left out of the wheel (the stylesheet once
was). Here the wheel is built, installed into a new venv whose only view of
the source tree is none, and both modes are run from it: ``--print`` and the
viewer itself, in a real pseudo-terminal, until it draws records and quits.
"""

from __future__ import annotations

import json
import shutil
import site
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.command import ROOT
from tests.terminal import run_in_terminal

SAMPLE_LOGS = sorted(str(path) for path in (ROOT / "sample_logs").iterdir())


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding logview from its wheel; the dependencies come from the test venv, logview does not."""
    work = tmp_path_factory.mktemp("wheel")
    # Built from a copy without the editable install's egg-info: its SOURCES.txt would bring in files the
    # project does not declare, which a clean clone (and so a user) would not get.
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "*.egg-info", "build", "dist", "__pycache__", ".*_cache"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work / "dist"), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = (work / "dist").glob("logview_tui-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # numpy, polars, Textual…: seen through a path entry, whose own .pth files (the editable install's) are not read.
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], capture_output=True, text=True)
    Path(purelib.stdout.strip(), "test-venv-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return venv


@pytest.fixture(autouse=True)
def _crash_reports_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A crash of the installed command is reported under the test's directory, not in the user's ~/.local/state.

    The commands inherit the variable (run_installed and run_in_terminal pass the environment on).
    """
    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    yield state
    assert not (state / "logview").exists(), f"the installed command crashed: {sorted((state / 'logview').iterdir())}"


def run_installed(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin" / "logview"), *args], capture_output=True, text=True, timeout=120, cwd=cwd, stdin=subprocess.DEVNULL
    )


def test_wheel_holds_every_file_of_the_package(installed: Path) -> None:
    """Whatever lies in logview/ besides bytecode is in the wheel: a data file added later must be declared."""
    (wheel,) = (installed.parent / "dist").glob("logview_tui-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    package_files = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "logview").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert package_files - names == set()


def test_print_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import logview; print(logview.__file__)"], capture_output=True, text=True, cwd=tmp_path
    )
    assert where.stdout.startswith(str(installed)), f"logview imported from {where.stdout!r}, not from the wheel's venv"
    result = run_installed(installed, "--print", *SAMPLE_LOGS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) > 1000
    version = run_installed(installed, "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("logview 0.")


def test_viewer_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    """The installed command opens the viewer in a real terminal, draws the newest records, and quits on q with status 0."""
    records = run_installed(installed, "--print", "--output", "jsonl", *SAMPLE_LOGS, cwd=tmp_path).stdout.splitlines()
    newest = json.loads(records[-1])["message"].splitlines()[0].encode()
    screen, status = run_in_terminal([str(installed / "bin" / "logview"), *SAMPLE_LOGS], until=newest, keys=b"q", cwd=tmp_path)
    assert status == 0, screen[-2000:]
