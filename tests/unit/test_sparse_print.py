"""``--print --grep`` read around its hits in plain Python (core/sparse_print.py) prints what the indexed path prints.

Each case runs the real command line (``logview.cli.main``) twice on the same
files, written by the stdlib handlers and larger than the small path reads:
once through the index (the plain-Python and search-first paths turned off)
and once on the sparse path (which must then be taken: the other paths are
made to fail the test). Standard output, standard error and the exit status
must be the same.
"""

from __future__ import annotations

import gzip
import json
import logging
import logging.handlers
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from logview import cli, print_command
from logview.core import required_literal, small_print, sparse_print, zones
from logview.core.filters import Filters
from tests.unit.logfiles import STANDARD, SteppedClock, left_a_while_ago, named_logger
from tests.unit.zoned import BERLIN, FALL_BACK, write, zone

#: 2026-03-02 10:00:00 UTC, far from any change of the local clock.
T0 = 1772445600.0
#: basicConfig's format: no time, so its records sort beside the timed ones before them.
UNTIMED = "%(levelname)s:%(name)s:%(message)s"


def _write(handler: logging.Handler, fmt: str, clock: SteppedClock, name: str, body: Callable[[logging.Logger], None]) -> None:
    handler.setFormatter(logging.Formatter(fmt))
    handler.addFilter(clock)
    with named_logger(handler, f"sparse.{name}") as logger:
        body(logger)


def _program(records: int, worker: str) -> Callable[[logging.Logger], None]:
    """A program's records: rare hits in messages, in traceback lines and in multi-line messages; a first and a last."""

    def run(logger: logging.Logger) -> None:
        logger.warning("first record of %s", worker)
        for step in range(records):
            if step % 997 == 11:
                try:
                    raise ConnectionResetError(f"connection reset by peer in step {step}")
                except ConnectionResetError:
                    logger.getChild("net").exception("request %d failed", step)
            elif step % 1499 == 7:
                logger.getChild("db").error("connection reset while reading row %d", step)
            elif step % 701 == 3:
                logger.info("a report of %d lines:\n  queue depth %d\n  connection reset count %d", 3, step, step // 7)
            else:
                logger.getChild(["api", "db", "cache"][step % 3]).log(
                    [logging.DEBUG, logging.INFO][step % 2], "step %d of %s is fine", step, worker
                )
        logger.critical("last record of %s", worker)

    return run


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A rotation set of about 3 MB and two workers' files written over the same seconds, one with untimed records."""
    root = tmp_path_factory.mktemp("sparse")
    rotating = logging.handlers.RotatingFileHandler(root / "app.log", maxBytes=1 << 20, backupCount=4, encoding="utf-8")
    _write(rotating, STANDARD, SteppedClock(T0, 0.01), "app", _program(30_000, "app"))
    worker = root / "worker.log"
    _write(
        logging.FileHandler(worker, mode="w", encoding="utf-8"), STANDARD, SteppedClock(T0 + 0.003, 0.05), "worker", _program(4000, "w1")
    )
    # A formatter without a time at the end (where detection samples it too): the untimed records sort beside the timed
    # one before them.
    _write(logging.FileHandler(worker, encoding="utf-8"), UNTIMED, SteppedClock(T0 + 200, 0.05), "worker", _program(1500, "untimed"))
    worker.write_bytes(worker.read_bytes().rstrip(b"\n"))  # a last line without its newline
    left_a_while_ago(worker)
    return sorted(str(path) for path in root.iterdir())


class Both:
    """Runs the command line in this process through the index and on the sparse path, and compares what they did."""

    def __init__(self, capfd: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
        self.capfd = capfd
        self.monkeypatch = monkeypatch

    def _run(self, args: list[str], sparse: bool) -> tuple[int, bytes, bytes]:
        utc, naive_utc = zones.shown_in_utc(), zones.naive_times_in_utc()  # --utc sets the process's zones
        try:
            with self.monkeypatch.context() as patch:
                if sparse:

                    def other(*_: object) -> int:
                        raise AssertionError(f"another path printed {args}")

                    patch.setattr(print_command, "_print_grep_first", other)
                    patch.setattr(print_command, "_run_print", other)
                else:
                    patch.setattr(print_command, "_print_sparse", lambda *_: None)
                    patch.setattr(print_command, "_print_grep_first", lambda *_: None)
                self.capfd.readouterr()
                status = cli.main(["--print", *args])
                sys.stdout.flush()
                captured = self.capfd.readouterr()
                return status, captured.out, captured.err
        finally:
            zones.show_in_utc(utc)
            zones.read_naive_times_in_utc(naive_utc)

    def indexed(self, *args: str) -> bytes:
        """What the index prints."""
        status, out, _ = self._run(list(args), sparse=False)
        assert status == 0
        return out

    def same(self, *args: str) -> bytes:
        """Both paths' output, once it is the same (with the same status and standard error)."""
        indexed = self._run(list(args), sparse=False)
        sparse = self._run(list(args), sparse=True)
        assert sparse == indexed, args
        return indexed[1]


@pytest.fixture
def both(capfdbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch) -> Both:
    return Both(capfdbinary, monkeypatch)


@pytest.mark.parametrize(
    "options",
    [
        ["--grep", "connection reset"],  # in messages, traceback lines and a multi-line message's lines
        ["--grep", r"reset by \w+ in step \d+5\b"],
        ["--grep", "first record"],  # each file's first record
        ["--grep", "last record of"],  # each file's last (one without a time, and without a last newline)
        ["--grep", "Traceback"],  # in traceback lines only
        ["--grep", "no such words anywhere"],
        ["--grep", "connection reset", "--level", "ERROR"],
        ["--grep", "connection reset", "--logger", "sparse.worker.net", "--exclude-logger", "sparse.app"],
        ["--grep", "connection reset", "--since", "2026-03-02T10:01:00Z", "--until", "2026-03-02T10:04:10Z", "--utc"],
        ["--grep", "step 12[0-9]7 of"],  # among the untimed records too
    ],
)
@pytest.mark.parametrize("output", ["text", "jsonl"])
def test_the_sparse_path_prints_what_the_index_prints(both: Both, corpus: list[str], options: list[str], output: str) -> None:
    both.same(*options, "--output", output, *corpus)


def test_the_corpus_has_what_the_comparison_needs(both: Both, corpus: list[str]) -> None:
    """Not vacuous: hits in traceback lines and multi-line messages, untimed records, rotated files, inputs interleaved."""
    assert sum(os.path.getsize(name) for name in corpus) > small_print.SMALL_TEXT_BYTES
    printed = both.indexed("--grep", "connection reset|step 12[0-9]7 of", "--output", "jsonl", *corpus)
    records = [json.loads(line) for line in printed.splitlines()]
    assert any(record["message"].startswith("request") and "Traceback" in record["message"] for record in records)
    assert any(record["message"].startswith("a report of") for record in records)
    assert any(record["time"] is None for record in records)
    assert any(record["source"].endswith("app.log.2") for record in records)
    sources = [record["source"].rsplit("/", 1)[-1] for record in records]
    last_of_app = max(index for index, source in enumerate(sources) if source.startswith("app.log"))
    assert sources.index("worker.log") < last_of_app  # interleaved, not one after the other


@pytest.mark.parametrize("output", ["text", "jsonl"])
def test_records_across_chunk_edges_and_small_blocks(both: Both, corpus: list[str], output: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 4 KiB and blocks of 256 bytes: records begin in one chunk and end in the next, walks read block after block."""
    monkeypatch.setattr(sparse_print, "SCAN_BYTES", 4096)
    monkeypatch.setattr(sparse_print, "BLOCK_BYTES", 256)
    monkeypatch.setattr(required_literal, "MIN_DENSE_LINES", 1000)
    for pattern in ("connection reset", "Traceback", "step 12[0-9]7 of"):
        both.same("--grep", pattern, "--output", output, *corpus)


def _none(names: list[str], pattern: str) -> bool:
    return sparse_print.sparse_print(names, Filters(grep=pattern)) is None


def test_what_the_sparse_path_leaves_to_the_others(corpus: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not _none(corpus, "connection reset")
    assert _none(corpus, "(?i)connection reset")  # its search folds case with numpy
    assert _none(corpus, "reset|peer")  # no required literal
    assert _none(corpus, "INFO")  # on most lines (in their headers)
    assert _none(["-"], "connection reset")
    monkeypatch.setattr(sparse_print, "MAX_HITS", 10)
    assert _none(corpus, "connection reset")
    monkeypatch.undo()
    monkeypatch.setattr(sparse_print, "MAX_RECORD_BYTES", 200)
    assert _none(corpus, "Traceback")  # a record the index would cut
    monkeypatch.undo()
    timed = Path(corpus[0]).read_bytes()
    cases: dict[str, bytes] = {
        "untimed-first.log": b"INFO:app:connection reset before any time\n" + timed,
        "free-text-first.log": b"connection reset: a note before the first record\n" + timed,
        "crlf.log": timed.replace(b"\n", b"\r\n"),
        "bom.log": b"\xef\xbb\xbf" + timed,
        "invalid.log": timed + "2026-03-02 10:05:00,000 100 app ERROR connection reset in Z\u00fcrich\n".encode("latin-1"),
        "nul.log": timed + b"2026-03-02 10:05:00,000 100 app ERROR connection reset \x00\n",
        "words.txt": b"connection reset, said the note\n" * 100,
        "long-line.log": timed + b"2026-03-02 10:05:00,000 100 app ERROR connection reset " + b"x" * (1 << 20) + b"\n",
        "not-alike.log": timed + "2026-03-02 10:05:00,000 100 app ERROR connection reset by p\u00eber\n".encode(),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert _none([str(path), corpus[1]], r"connection reset by \w+" if name == "not-alike.log" else "connection reset"), name
    packed = tmp_path / "app.log.1.gz"
    packed.write_bytes(gzip.compress(timed))
    assert _none([str(packed)], "connection reset")


def test_a_file_dense_with_hits_is_given_up_early(corpus: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Hits that foretell more than MAX_HITS are given up once PROJECT_AFTER bytes are searched, not at the file's end."""
    read: list[int] = []
    add = sparse_print._Records.add

    def counted(records: sparse_print._Records, hit: int, line: str) -> None:
        read.append(hit)
        add(records, hit, line)

    monkeypatch.setattr(sparse_print._Records, "add", counted)
    monkeypatch.setattr(sparse_print, "SCAN_BYTES", 4096)
    whole = sparse_print.sparse_print([corpus[1]], Filters(grep="connection reset"))
    assert whole is not None
    hits = len(read)
    read.clear()
    monkeypatch.setattr(sparse_print, "MAX_HITS", hits // 2)
    monkeypatch.setattr(sparse_print, "PROJECT_AFTER", 64 << 10)
    assert _none([corpus[1]], "connection reset")
    assert 0 < len(read) < hits // 4


def test_an_hour_written_twice_is_left_to_the_others(tmp_path: Path) -> None:
    path = tmp_path / "fall.log"
    created = [FALL_BACK - 1800 + 97.25 * number for number in range(100)]  # 01:30 CEST to 03:10 CET in Berlin
    with zone(BERLIN):
        write(path, created, "%(asctime)s %(levelname)s %(name)s %(message)s")
        assert _none([str(path)], "fall30")  # at 02:18 local time, in the hour's first pass
        assert not _none([str(path)], "fall99")  # 03:10, after the hour written twice


def test_the_fallbacks_print_what_the_index_prints(both: Both, corpus: list[str], tmp_path: Path) -> None:
    """A file the sparse path declines: the search-first path or the index prints it all, the sparse path nothing."""
    path = tmp_path / "untimed-first.log"
    path.write_bytes(b"INFO:app:connection reset before any time\n" + Path(corpus[0]).read_bytes())
    indexed = both._run(["--grep", "connection reset", str(path), corpus[1]], sparse=False)
    assert b"INFO:app:connection reset before any time\n" in indexed[1]
    with both.monkeypatch.context() as patch:
        patch.setattr(print_command, "_print_grep_first", lambda *_: None)
        both.capfd.readouterr()
        assert cli.main(["--print", "--grep", "connection reset", str(path), corpus[1]]) == indexed[0]
        sys.stdout.flush()
        assert both.capfd.readouterr().out == indexed[1]


def test_an_empty_file_is_warned_of(both: Both, corpus: list[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    both.same("--grep", "last record", str(empty), *corpus)


def test_the_sparse_path_loads_neither_numpy_nor_polars(corpus: list[str]) -> None:
    probe = (
        "import sys; from logview.cli import main; status = main(['--print', '--output', 'jsonl', '--grep', 'connection reset', *sys.argv[1:]]); "
        "sys.stdout.flush(); assert not {'numpy', 'polars'} & set(sys.modules), sorted(sys.modules); sys.exit(status)"
    )
    done = subprocess.run([sys.executable, "-c", probe, *corpus], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "connection reset" in json.loads(done.stdout.splitlines()[0])["message"]
