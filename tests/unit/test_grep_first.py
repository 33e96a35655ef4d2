"""``--print --grep`` by its hits first (core/grep_first.py) prints exactly what the indexed path prints, on real files."""

from __future__ import annotations

import io
import json
import logging
import logging.handlers
import os
import subprocess
import sys
from pathlib import Path

import pytest

from logview.core import grep_first
from logview.core.filters import Filters, parse_level, parse_time
from logview.core.grep_first import load_hits, plain_files
from logview.core.pipeline import Pipeline
from logview.core.printer import Printer
from logview.core.selection import Selector, selected_rows
from tests.unit.logfiles import STANDARD, SteppedClock, gzip_rotator, left_a_while_ago, named_logger
from tests.unit.zoned import BERLIN, FALL_BACK, write, zone

#: The time of the first record written: 2026-03-02 10:00:00 UTC, far from any change of the local clock.
T0 = 1772445600.0
#: basicConfig's format: no time, so its records sort beside the timed ones before them.
UNTIMED = "%(levelname)s:%(name)s:%(message)s"


def _log_run(logger: logging.Logger, run: int, worker: str) -> None:
    """One program's records: hits in messages and in traceback lines, words of the headers in messages, a first and a last hit."""
    logger.error("connection reset by peer at start (%s, run %d)", worker, run)
    for step in range(40):
        logger.info("step %d of %s: all fine", step, worker)
        if step % 7 == 3:
            logger.getChild("db").warning("Connection Reset while reading row %d", step)
        if step % 11 == 5:
            try:
                raise ConnectionResetError(f"connection reset by peer in step {step}")
            except ConnectionResetError:
                logger.getChild("net").exception("request %d failed", step)
        if step % 13 == 8:
            logger.debug("the level INFO and the logger name myapp appear in this message")
    logger.critical("last words: connection reset (%s)", worker)


def _write(path: Path, fmt: str, start: float, run: int, worker: str, mode: str = "a", handler: logging.Handler | None = None) -> None:
    handler = handler or logging.FileHandler(path, mode=mode, encoding="utf-8")
    handler.setFormatter(logging.Formatter(fmt))
    _through(handler, start, run, worker)


def _through(handler: logging.Handler, start: float, run: int, worker: str) -> None:
    """One run's records written by ``handler``, from a logger of the worker's name and its children."""
    handler.addFilter(SteppedClock(start, 0.37))
    with named_logger(handler, f"grepfirst.{worker}") as logger:
        _log_run(logger, run, worker)


def _corpus(root: Path) -> list[str]:
    """Several files: a rotated set, two workers interleaved in time, a file of two formats (one without a time), a JSON
    lines file, and one whose last line has no newline."""
    rotating = logging.handlers.RotatingFileHandler(root / "app.log", maxBytes=2500, backupCount=4, encoding="utf-8")
    _write(root / "app.log", STANDARD, T0, 1, "app", handler=rotating)
    _write(root / "worker-1.log", STANDARD, T0 + 0.1, 1, "w1", mode="w")
    _write(root / "worker-2.log", STANDARD, T0 + 0.2, 1, "w2", mode="w")
    mixed = root / "mixed.log"
    _write(mixed, STANDARD, T0 + 0.05, 1, "mixed", mode="w")
    _write(mixed, UNTIMED, T0 + 40, 2, "mixed")
    _write(mixed, STANDARD, T0 + 80, 3, "mixed")
    _write(root / "open-end.log", "%(asctime)s %(levelname)s %(name)s %(message)s", T0 + 0.3, 1, "openend", mode="w")
    open_end = root / "open-end.log"
    open_end.write_bytes(open_end.read_bytes().rstrip(b"\n"))
    left_a_while_ago(open_end)
    json_handler = logging.FileHandler(root / "json.log", mode="w", encoding="utf-8")
    json_handler.setFormatter(_JsonFormatter())
    _through(json_handler, T0 + 0.15, 1, "json")
    return sorted(str(path) for path in root.iterdir())


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            fields["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(fields)


def _filters(pattern: str, level: str | None = None, since: str | None = None) -> Filters:
    return Filters(min_level=parse_level(level) if level else None, grep=pattern, since=parse_time(since) if since else None)


def _indexed(names: list[str], filters: Filters, output: str) -> bytes:
    """What --print prints by indexing every record (print_command._run_print's steps)."""
    pipeline = Pipeline()
    out = io.BytesIO()
    try:
        pipeline.load(names)
        Printer(pipeline, out).print(selected_rows(pipeline, filters), output)
    finally:
        pipeline.close()
    return out.getvalue()


def _hits_first(names: list[str], filters: Filters, output: str) -> bytes | None:
    """What --print prints by its hits first (print_command._print_grep_first's steps); None when it leaves the work to the index."""
    assert filters.grep is not None
    pipeline = Pipeline()
    out = io.BytesIO()
    try:
        hits = load_hits(pipeline, names, filters.grep, line_numbers=output == "jsonl")
        if hits is None:
            return None
        selector = Selector(pipeline)
        selector.remember(filters.grep, hits)
        assert selector.text_hits(filters.grep) is hits  # not searched again
        Printer(pipeline, out).print(selector.rows(filters), output)
    finally:
        pipeline.close()
    return out.getvalue()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _corpus(tmp_path_factory.mktemp("grep-first"))


@pytest.mark.parametrize(
    ("pattern", "level", "since"),
    [
        ("connection reset", None, None),
        ("(?i)connection reset", None, None),
        ("(?i)CONNECTION RESET", "WARNING", None),
        ("connection reset", "ERROR", "2026-03-02 10:00:20"),
        ("Connection Reset", None, "2026-03-02 10:00:40"),
        (r"reset by \w+", None, None),
        ("all fine", "INFO", None),
        ("myapp", None, None),  # in every header, and in some messages
        ("2026-03-02", None, None),  # only in headers (but the JSON file's)
        ("WARNING", None, None),  # a level: in headers only (but the JSON file's)
        ("last words", None, None),  # the last record of each file
    ],
)
@pytest.mark.parametrize("output", ["text", "jsonl"])
def test_hits_first_prints_what_the_index_prints(
    corpus: list[str], pattern: str, level: str | None, since: str | None, output: str
) -> None:
    filters = _filters(pattern, level, since)
    expected = _indexed(corpus, filters, output)
    got = _hits_first(corpus, filters, output)
    assert got is not None, "the hits-first path gave up on files it can read"
    assert got == expected
    if pattern in ("2026-03-02", "WARNING") and output == "text":
        # In the headers only, but for the JSON lines file, whose whole line is its message.
        assert expected and all(line.startswith(b"{") for line in expected.splitlines())


def test_the_corpus_has_what_the_comparison_needs(corpus: list[str]) -> None:
    """Not vacuous: hits in traceback lines, untimed records among the hits, a file of two formats, one without a last newline."""
    text = _indexed(corpus, _filters("connection reset"), "jsonl")
    records = [json.loads(line) for line in text.splitlines()]
    assert any("Traceback" in record["message"] for record in records)
    assert any(record["time"] is None for record in records)
    assert any(record["source"].endswith("app.log.2") for record in records)
    assert not Path(next(name for name in corpus if name.endswith("open-end.log"))).read_bytes().endswith(b"\n")
    assert any(record["source"].endswith("open-end.log") and record["message"].startswith("last words") for record in records)


def test_the_command_prints_what_the_index_prints(corpus: list[str], logview) -> None:
    for output in ("text", "jsonl"):
        result = logview("--print", "--grep", "(?i)connection reset", "--output", output, *corpus)
        assert result.returncode == 0, result.stderr
        assert result.stdout == _indexed(corpus, _filters("(?i)connection reset"), output)


def _late_times(path: Path) -> None:
    """Records without a time first, then timed ones: their place in the merge is the first time after them in the file."""
    _write(path, UNTIMED, T0, 1, "late", mode="w")
    _write(path, STANDARD, T0 + 60, 2, "late")


def _free_text_first(path: Path) -> None:
    """Lines before the first record: the index makes them a record of their own, placed by the file's first time."""
    path.write_text("connection reset: a note before the first record\n", encoding="utf-8")
    _write(path, STANDARD, T0 + 0.5, 1, "note")


def _crlf(path: Path) -> None:
    """Windows line ends: split_lines reads a chunk's lines by what the whole chunk holds."""
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.terminator = "\r\n"
    _write(path, STANDARD, T0 + 0.5, 1, "crlf", handler=handler)


def _invalid_utf8(path: Path) -> None:
    """Bytes that are not UTF-8 in a message: the index warns of them."""
    _write(path, STANDARD, T0 + 0.5, 1, "latin", mode="w", handler=logging.FileHandler(path, mode="w", encoding="latin-1"))
    with path.open("a", encoding="latin-1") as handle:
        handle.write("2026-03-02 10:05:00,000 100 grepfirst.latin ERROR connection reset in Z\u00fcrich\n")


@pytest.mark.parametrize("make", [_late_times, _free_text_first, _crlf, _invalid_utf8])
def test_what_a_parse_in_isolation_could_read_otherwise_is_left_to_the_index(tmp_path: Path, logview, make) -> None:
    path = tmp_path / "odd.log"
    make(path)
    other = tmp_path / "other.log"
    _write(other, STANDARD, T0 + 0.1, 1, "other", mode="w")
    names = [str(path), str(other)]
    assert _hits_first(names, _filters("connection reset"), "text") is None
    result = logview("--print", "--grep", "connection reset", *names)
    assert result.stdout == _indexed(names, _filters("connection reset"), "text")
    assert result.returncode == 0
    if make is _invalid_utf8:
        assert "invalid UTF-8" in result.stderr.decode()


def test_logger_and_process_filters_apply_to_the_hits(corpus: list[str]) -> None:
    for filters in (
        Filters(grep="(?i)connection reset", loggers=("grepfirst.w1",)),
        Filters(grep="(?i)connection reset", exclude_loggers=("grepfirst.app.db",)),
        Filters(grep="(?i)connection reset", pids=(os.getpid(),), until=parse_time("2026-03-02 10:00:10")),
    ):
        expected = _indexed(corpus, filters, "jsonl")
        assert expected
        assert _hits_first(corpus, filters, "jsonl") == expected


def test_compressed_inputs_and_warnings_take_the_index_path(tmp_path: Path, logview) -> None:
    """A gzip generation is not a plain file; an empty one is warned about as the index path warns."""
    rotating = logging.handlers.RotatingFileHandler(tmp_path / "app.log", maxBytes=2500, backupCount=2, encoding="utf-8")
    rotating.rotator = gzip_rotator
    rotating.namer = lambda name: name + ".gz"
    _write(tmp_path / "app.log", STANDARD, T0, 1, "gz", handler=rotating)
    names = sorted(str(path) for path in tmp_path.iterdir())
    assert any(name.endswith(".gz") for name in names)
    assert not plain_files(names)
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    plain = [str(tmp_path / "app.log"), str(empty)]
    assert plain_files(plain)
    indexed = logview("--print", "--grep", "connection reset", *names)
    assert indexed.returncode == 0 and indexed.stdout == _indexed(names, _filters("connection reset"), "text")
    hits_first = logview("--print", "--grep", "connection reset", *plain)
    assert hits_first.stdout == _indexed(plain, _filters("connection reset"), "text")
    assert hits_first.stderr.decode().strip() == f"logview: warning: {empty}: empty file"
    assert hits_first.returncode == 0


@pytest.mark.parametrize("output", ["text", "jsonl"])
def test_small_windows_grown_over_many_parses_find_the_same_records(
    corpus: list[str], output: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows of a few bytes, two hits per parse: every record is found by growing windows, round after round."""
    monkeypatch.setattr(grep_first, "HITS_PER_PARSE", 2)
    monkeypatch.setattr(grep_first, "BEFORE", 16)
    monkeypatch.setattr(grep_first, "AFTER", 8)
    filters = _filters("(?i)connection reset")
    got = _hits_first(corpus, filters, output)
    assert got is not None
    assert got == _indexed(corpus, filters, output)


def test_an_hour_written_twice_is_left_to_the_index(tmp_path: Path) -> None:
    """Which pass of the hour a record is in is known only from the records before it, in file order."""
    path = tmp_path / "fall.log"
    created = [FALL_BACK - 1800 + 97.25 * number for number in range(100)]  # 01:30 CEST to 03:10 CET in Berlin
    with zone(BERLIN):
        write(path, created, "%(asctime)s %(levelname)s %(name)s %(message)s")
        assert _hits_first([str(path)], _filters("fall"), "text") is None
        expected = _indexed([str(path)], _filters("fall"), "jsonl")
    result = subprocess.run(
        [sys.executable, "-m", "logview", "--print", "--output", "jsonl", "--grep", "fall", str(path)],
        capture_output=True,
        timeout=120,
        env={**os.environ, "TZ": BERLIN},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    assert len(expected.splitlines()) == 100
