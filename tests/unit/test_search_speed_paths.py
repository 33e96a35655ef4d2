"""The fast paths of text search find exactly what the line-by-line search finds, on real files."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from logview.core import required_literal as required_literal_module
from logview.core import text_search
from logview.core.line_match import rust_compatible
from logview.core.pipeline import Pipeline
from logview.core.required_literal import RequiredLiteral, candidate_lines, required_literal
from tests.unit.logfiles import record, write_records

ROOT = Path(__file__).resolve().parents[2]

#: Messages with the traps of a byte-level search: case variants, characters that match ASCII letters only when
#: case is ignored (the Kelvin sign, the long s, dotted and dotless I), regex punctuation, words of the headers.
MESSAGES = [
    "connection reset by peer",
    "Connection Reset during handshake",
    "CONNECTION RESET",
    "conneCtion reset and connection reset twice",
    "GET /api/v1.2 (x) [y] a+b took 12ms",
    "\u212aelvin \u017ftop \u0130stanbul \u0131",
    "kelvin stop istanbul",
    "caf\u00e9 \u00e9t\u00e9 na\u00efve",
    "level INFO inside the message",
    "job 17 of 40 reset",
    "reset",
]

PATTERNS = [
    "connection reset",
    "(?i)connection reset",
    "Connection Reset",
    "(?i)CONNECTION reset",
    "INFO",
    "(?i)info",
    "myapp",
    "myapp.part",
    "2026",
    r"v1\.2 \(x\) \[y\] a\+b",
    r"\d+ms",
    r"(?i)kelvin \w+",
    "(?i)stop istanbul",
    "(?i)\u00e9t\u00e9",
    "caf\u00e9",
    "\ufffd",
    "reset$",
    "^reset",
    r"job \d+ of",
    r"(?<=job )\d+",
    "Traceback",
    r"Error: .*number",
    "ab+c|reset",
    "nothing like this anywhere",
]


def _write_files(folder: Path) -> list[str]:
    """Several sources in several formats, with tracebacks, a file in two formats, and one not in UTF-8."""
    plain = folder / "plain.log"
    rows = []
    for index in range(400):
        message = MESSAGES[index % len(MESSAGES)] + f" #{index}"
        if index % 13 == 5:
            message += "\nTraceback (most recent call last):\n  File 'x.py', line 2\nValueError: connection reset: not a number"
        rows.append(record(1709251200 + index, message, name=f"myapp.part{index % 3}", level=logging.INFO + 10 * (index % 3)))
    write_records(plain, rows)
    mixed = folder / "mixed.log"
    write_records(mixed, rows[:150], fmt="%(asctime)s [%(levelname)s] %(name)s: %(message)s")
    write_records(mixed, rows[150:], fmt="%(levelname)s:%(name)s:%(message)s %(asctime)s", mode="a")
    latin = folder / "latin.log"
    handler = logging.FileHandler(latin, encoding="latin-1")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    for index in range(200):
        handler.handle(logging.makeLogRecord(record(1709251300 + index, f"caf\u00e9 {MESSAGES[index % 4]} \u00e9t\u00e9 {index}")))
    handler.close()
    samples = sorted(str(path) for path in (ROOT / "sample_logs").iterdir() if path.is_file())
    return [str(plain), str(mixed), str(latin), *samples]


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    loaded = Pipeline()
    loaded.load(_write_files(tmp_path_factory.mktemp("search")))
    yield loaded
    loaded.close()


@pytest.mark.parametrize(("search_chunk", "dense_bytes"), [(1 << 20, 512), (4096, 1), (2048, 64)])
def test_the_literal_path_finds_what_the_line_by_line_path_finds(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch, search_chunk: int, dense_bytes: int
) -> None:
    monkeypatch.setattr(text_search, "SEARCH_CHUNK", search_chunk)
    monkeypatch.setattr(required_literal_module, "DENSE_BYTES", dense_bytes)
    monkeypatch.setattr(required_literal_module, "MIN_DENSE_LINES", 1)
    fast = {pattern: text_search.text_hits(pipeline, pattern).mask.tolist() for pattern in PATTERNS}
    monkeypatch.setattr(text_search, "required_literal", lambda pattern: None)
    for pattern in PATTERNS:
        assert fast[pattern] == text_search.text_hits(pipeline, pattern).mask.tolist(), pattern
    assert any(fast["connection reset"]) and not any(fast["myapp.part"])  # a logger's name is in the header only


def test_most_patterns_take_the_literal_path() -> None:
    """Held to the old path above only if they take the new one."""
    without = [pattern for pattern in PATTERNS if required_literal(pattern) is None]
    assert without == ["(?i)\u00e9t\u00e9", "\ufffd", r"(?<=job )\d+", "ab+c|reset"]


@pytest.mark.parametrize(
    ("pattern", "literal"),
    [
        ("connection reset", RequiredLiteral(b"connection reset", b"connection reset", fold=False)),
        ("(?i)Connection reset", RequiredLiteral(b"connect", b"connection reset", fold=True)),
        ("(?i)kiss", RequiredLiteral(None, b"kiss", fold=True)),
        (r"v1\.2 \(x\)", RequiredLiteral(b"v1.2 (x)", b"v1.2 (x)", fold=False)),
        ("ab+c", RequiredLiteral(b"ab", b"ab", fold=False)),
        ("abc*de", RequiredLiteral(b"ab", b"ab", fold=False)),
        (r"[a-z]+ foo\d{2}bar", RequiredLiteral(b" foo", b" foo", fold=False)),
        ("x{0,3}yz", RequiredLiteral(b"yz", b"yz", fold=False)),
    ],
)
def test_required_literals(pattern: str, literal: RequiredLiteral) -> None:
    assert required_literal(pattern) == literal


@pytest.mark.parametrize("pattern", ["a|b", "(ab)", r"\<word", r"[[:alpha:]]x", "(?x)a b", r"\x41bc", "a{,2}bc", "a}bc", r"\p{L}abc"])
def test_patterns_the_engines_may_read_apart_have_no_literal(pattern: str) -> None:
    assert required_literal(pattern) is None


@pytest.mark.parametrize("pattern", [pattern for pattern in PATTERNS if required_literal(pattern) is not None])
def test_every_line_either_engine_matches_holds_the_literal(pattern: str) -> None:
    lines = [message + suffix for message in MESSAGES for suffix in ("", " \u212a", " K\u017f")]
    literal = required_literal(pattern)
    assert literal is not None
    python_hits = [re.search(pattern, line) is not None for line in lines]
    rust_hits = pl.Series(lines).str.contains(pattern).to_list() if rust_compatible(pattern) else python_hits
    for line, python_hit, rust_hit in zip(lines, python_hits, rust_hits, strict=True):
        if python_hit or rust_hit:
            found = candidate_lines(line.encode(), literal, limit=10)
            assert found == ([0], [len(line.encode())]), (pattern, line)


@pytest.mark.parametrize("pattern", ["connection reset", "(?i)connection reset", r"(?<=job )\d+", "Traceback"])
def test_a_search_within_windows_finds_the_full_search_s_hits_there(pipeline: Pipeline, pattern: str) -> None:
    timeline = pipeline.timeline
    rows = np.arange(len(timeline))
    sources, offsets, lengths = timeline.spans(rows)
    windows = {}
    inside = np.zeros(len(rows), dtype=bool)
    for source_id in np.unique(sources).tolist():
        own = rows[sources == source_id]
        first, last = own[len(own) // 4], own[len(own) // 2]
        windows[source_id] = (int(offsets[first]), int(offsets[last] + lengths[last]))
        inside[own[len(own) // 4 : len(own) // 2 + 1]] = True
    within = text_search.text_hits_within(pipeline, pattern, windows).mask
    full = text_search.text_hits(pipeline, pattern).mask
    assert within.tolist() == (full & inside).tolist()
    assert within.any()
