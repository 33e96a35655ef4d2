"""Formats detected once are remembered across runs, and a remembered answer is the answer detection gives."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from logview.core.parse import remembered as remembered_module
from logview.core.parse.catalogue import CATALOGUE
from logview.core.parse.detect import detect_after, detect_format, sample_lines
from logview.core.parse.format_string import compile_format
from tests.unit.logfiles import file_logger


def _sample(path: Path, fmt: str, style: str, datefmt: str | None) -> list[str]:
    with file_logger(logging.FileHandler(path, mode="w"), fmt=fmt, style=style, datefmt=datefmt) as logger:
        for number in range(30):
            logger.warning("record %d of the sample", number)
    return sample_lines(path.read_bytes())


@pytest.mark.parametrize("entry", CATALOGUE[:12], ids=lambda entry: entry.fmt)
def test_a_remembered_format_is_the_one_detected(tmp_path: Path, entry, format_cache) -> None:
    sample = _sample(tmp_path / "app.log", entry.fmt, entry.style, entry.datefmt)
    first = detect_after(sample, None)
    remembered_module.save()
    assert format_cache.path.exists()
    format_cache.new_run()  # another run
    assert detect_after(sample, None) == first == detect_format(sample)


def test_a_second_run_does_not_detect_again(tmp_path: Path, format_cache) -> None:
    sample = _sample(tmp_path / "app.log", "%(asctime)s %(levelname)s %(name)s %(message)s", "%", None)
    calls = []

    def detect():
        calls.append(1)
        return detect_format(sample)

    first = remembered_module.remembered(sample, None, (), detect)
    remembered_module.save()
    format_cache.new_run()
    assert remembered_module.remembered(sample, None, (), detect) == first and len(calls) == 1
    # Another previous format, another user's format, or another sample: detected afresh.
    other = compile_format("%(message)s")
    remembered_module.remembered(sample, other, (), detect)
    remembered_module.remembered(sample, None, (other,), detect)
    remembered_module.remembered(sample[1:], None, (), detect)
    assert len(calls) == 4


def test_a_damaged_cache_only_costs_a_detection(tmp_path: Path, format_cache) -> None:
    sample = _sample(tmp_path / "app.log", "%(asctime)s - %(name)s - %(levelname)s - %(message)s", "%", None)
    format_cache.path.parent.mkdir(parents=True)
    format_cache.path.write_text("{not json")
    assert detect_after(sample, None) == detect_format(sample)
    remembered_module.save()
    json.loads(format_cache.path.read_text())  # written anew
    key = next(iter(json.loads(format_cache.path.read_text())))
    format_cache.path.write_text(json.dumps({key: ["%(bogus", "%", None]}))
    format_cache.new_run()
    assert detect_after(sample, None) == detect_format(sample)


def test_the_cache_holds_no_log_text(tmp_path: Path, format_cache) -> None:
    path = tmp_path / "secret.log"
    sample = _sample(path, "%(asctime)s %(levelname)s %(message)s", "%", None)
    detect_after(sample, None)
    remembered_module.save()
    assert "record" not in format_cache.path.read_text() and "sample" not in format_cache.path.read_text()


def test_answers_are_written_together_when_saved(tmp_path: Path, format_cache) -> None:
    """A first run on many files writes the file once, not once per file: nothing is on disk until ``save()``."""
    samples = [_sample(tmp_path / f"{number}.log", entry.fmt, entry.style, entry.datefmt) for number, entry in enumerate(CATALOGUE[:4])]
    answers = [detect_after(sample, None) for sample in samples]
    assert not format_cache.path.exists()
    remembered_module.save()
    assert len(json.loads(format_cache.path.read_text())) == 4
    format_cache.new_run()
    assert [detect_after(sample, None) for sample in samples] == answers


def test_the_command_line_runs_are_the_same_with_a_warm_cache(tmp_path: Path, format_cache) -> None:
    """The answers found are written at exit, and the second run, which reads them, prints the same."""
    path = tmp_path / "app.log"
    _sample(path, "%(asctime)s [%(levelname)s] %(name)s: %(message)s", "%", None)
    runs = [
        subprocess.run([sys.executable, "-m", "logview", "--print", "--output", "jsonl", str(path)], capture_output=True, check=True)
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout and b'"level": "WARNING"' in runs[0].stdout
    assert len(json.loads(format_cache.path.read_text())) == 1
