"""The parser against hostile bytes: random data, and real log lines broken in the ways files break.

A log file is input nobody vetted: a crashed writer leaves NULs, a handler
misconfigured writes Latin-1, Windows tools add CRs and BOMs, two programs
share one file. Whatever the bytes, reading must not fail, must not lose or
repeat a line, and must keep memory bounded. The examples go through the real
engine (a file on disk, the pipeline, the printer), with chunks small enough
that their boundaries fall inside records and lines.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import logging
import lzma
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logview.core.filters import Filters
from logview.core.index.timeline import Timeline
from logview.core.inputs.magic import detect_compression
from logview.core.live_print import LivePrinter
from logview.core.parse.catalogue import CATALOGUE, CatalogueEntry
from logview.core.parse.format_string import compile_format
from logview.core.pipeline import Pipeline
from logview.core.printer import Printer
from logview.core.selection import selected_rows
from logview.core.sources.follow import Follower
from tests.command import ROOT
from tests.live.children import logview_child

SAMPLES = ROOT / "sample_logs"
#: Real lines of every format in sample_logs/ (the plain files, not the compressed rotated copies).
SAMPLE_LINES: list[bytes] = sorted(
    {line for path in sorted(SAMPLES.iterdir()) if not path.name.endswith(".gz") for line in path.read_bytes().splitlines() if line}
)
#: A record as logging.Formatter writes it in each format of the catalogue (the samples hold three of them).
_RECORD = logging.makeLogRecord(
    {"name": "app.db", "levelno": 30, "levelname": "WARNING", "msg": "disk at 93%", "process": 4321, "processName": "Worker-1"}
)
CATALOGUE_LINES: list[bytes] = [
    logging.Formatter(entry.fmt, entry.datefmt, entry.style).format(_RECORD).encode()  # type: ignore[arg-type]
    for entry in CATALOGUE
]
ODD_TIMESTAMPS = [
    b"2024-02-30 25:61:61,999",
    b"0000-00-00 00:00:00,000",
    b"9999-12-31 23:59:59,999",
    b"1970-01-01 00:00:00,000",
    b"1900-01-01 00:00:00,-01",
    b"2024-03-01T00:00:00.000000+14:00",
    b"2024-03-01 00:00:00,00000000000000000000001",
    b"-2024-03-01 00:00:00,000",
    b"",
]
#: Bytes that are not UTF-8: a lone continuation byte, a truncated sequence, a surrogate, an overlong NUL, 0xff.
INVALID_UTF8 = [b"\x80", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\x80", b"\xff\xfe"]
#: Bytes with a meaning to some layer: NUL, a lone CR, the line splitter's own separator (lines.py), a BOM, escapes.
SPECIAL = [b"\x00", b"\r", b"\x1f", b"\xef\xbb\xbf", b"\x1b[31m", b"\t", b'"', b"{", b"\\", b"%", b"\xe2\x80\xae"]

#: More examples, with a random seed, for a longer hunt by hand: LOGVIEW_FUZZ_EXAMPLES=5000 pytest tests/unit/test_parser_fuzz.py
HUNT_EXAMPLES = int(os.environ.get("LOGVIEW_FUZZ_EXAMPLES", "0"))
#: In the suite: few examples, reproducible (a fixed seed, no example database), a few seconds in all.
FUZZ = settings(
    max_examples=HUNT_EXAMPLES or 60,
    deadline=None,
    derandomize=not HUNT_EXAMPLES,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
    ],
)


@st.composite
def mutated_line(draw: st.DrawFn) -> bytes:
    """A real line with a few of the faults files carry: inserted bytes, odd times, a long field, a cut."""
    line = draw(st.sampled_from(SAMPLE_LINES + CATALOGUE_LINES))
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["insert", "timestamp", "long", "cut", "json", "random"]))
        at = draw(st.integers(0, len(line)))
        if kind == "insert":
            line = line[:at] + draw(st.sampled_from(INVALID_UTF8 + SPECIAL)) + line[at:]
        elif kind == "timestamp":
            line = draw(st.sampled_from(ODD_TIMESTAMPS)) + line[23:]
        elif kind == "long":
            line = line[:at] + draw(st.sampled_from([b"x", b"\xe9", b"{", b" "])) * draw(st.integers(1_000, 70_000)) + line[at:]
        elif kind == "cut":
            line = line[:at]
        elif kind == "json":
            line = line[:at] + draw(st.sampled_from([b'{"message": ', b'"}', b'{"levelname": 5, "process": "x"}', b"[1e999]"]))
        else:
            line = line[:at] + draw(st.binary(max_size=40)) + line[at:]
    return line


#: One line of a fuzzed file: a real one, a broken real one, random bytes, or nothing.
LINE = st.one_of(st.sampled_from(SAMPLE_LINES + CATALOGUE_LINES), mutated_line(), st.binary(max_size=200), st.just(b""))


@st.composite
def log_file(draw: st.DrawFn) -> bytes:
    """Lines joined by newlines (Unix, Windows or mixed), perhaps a BOM first, perhaps no newline last."""
    lines = draw(st.lists(LINE, min_size=1, max_size=60))
    ends = draw(st.sampled_from([b"\n", b"\r\n", b"mixed"]))
    data = b"".join(line + (draw(st.sampled_from([b"\n", b"\r\n"])) if ends == b"mixed" else ends) for line in lines)
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.booleans()):
        data = data.rstrip(b"\r\n")
    return data


def _lines(data: bytes) -> list[bytes]:
    """A file's lines as --print copies them: split on newlines only, the last one whether or not it ends."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def _assert_spans_tile(timeline: Timeline, size: int, source: int = 0) -> np.ndarray:
    """The spans of ``source``'s records tile its ``size`` bytes: each byte, hence each line, is in exactly one record.

    Returns the source's rows in file order.
    """
    sources, offsets, lengths = timeline.spans(np.arange(len(timeline)))
    rows = np.flatnonzero(sources == source)
    order = rows[np.argsort(offsets[rows], kind="stable")]
    starts, stops = offsets[order], (offsets + lengths)[order]
    assert (lengths[rows] > 0).all()
    if len(order) == 0:
        assert size == 0
    else:
        assert starts[0] == 0 and np.array_equal(starts[1:], stops[:-1]) and stops[-1] == size
    return order


def check_read_whole(data: bytes, path: Path, chunk_size: int, stored: bytes | None = None, forced: CatalogueEntry | None = None) -> None:
    """Read ``data`` as a file through the pipeline and the printers; every line must come out exactly once.

    ``stored``: the file's bytes when they are not ``data`` itself (``data`` compressed). ``forced``: the
    format the user named (--format), which the lines may not match at all.
    """
    path.write_bytes(data if stored is None else stored)
    user_formats = () if forced is None else (compile_format(forced.fmt, forced.style, forced.datefmt),)
    pipeline = Pipeline(user_formats=user_formats, chunk_size=chunk_size, first_chunk_size=chunk_size)
    try:
        timeline = pipeline.load([str(path)])
        assert not pipeline.errors, pipeline.errors
        rows = selected_rows(pipeline, Filters())
        count = len(timeline)
        line_count = len(_lines(data))
        assert len(rows) == count <= line_count

        order = _assert_spans_tile(timeline, len(data))
        assert len(order) == count

        # Text output (to a pipe): the file's own lines, each once, in whatever order the merge puts the records.
        text = io.BytesIO()
        assert Printer(pipeline, text).print(rows, "text") == count
        assert Counter(_lines(text.getvalue())) == Counter(_lines(data))

        # On a terminal: escaped, and still one output line per input line (an escaped CR or NUL makes no new line).
        shown = io.BytesIO()
        Printer(pipeline, shown, escape=True).print(rows, "text")
        assert len(_lines(shown.getvalue())) == line_count
        shown.getvalue().decode("utf-8")

        # JSON lines: one object per record, each a JSON object with its line number; the first lines of distinct records differ.
        jsonl = io.BytesIO()
        Printer(pipeline, jsonl).print(rows, "jsonl")
        objects = [json.loads(line) for line in jsonl.getvalue().decode("utf-8").split("\n")[:-1]] if count else []
        assert len(objects) == count
        numbers = sorted(item["line"] for item in objects)
        assert len(set(numbers)) == count and all(1 <= number <= line_count for number in numbers)
        # On a terminal the JSON's control characters are escaped: still one JSON object per line.
        shown = io.BytesIO()
        Printer(pipeline, shown, escape=True).print(rows, "jsonl")
        assert [json.loads(line) for line in shown.getvalue().decode("utf-8").split("\n")[:-1]] == objects
    finally:
        pipeline.close()


def _not_compressed(data: bytes) -> bool:
    """Whether ``data`` is read as text: one that starts with a compression's magic is read as a compressed stream (below).

    Text that starts with "BZh" is taken for bzip2 too, wrongly: see test_a_text_file_that_starts_with_bzh_is_text.
    """
    return detect_compression(data) is None


PLAIN_FILE = log_file().filter(_not_compressed)
#: Random bytes, but for the few that start with a compression's magic.
RANDOM_BYTES = st.binary(min_size=1, max_size=4000).filter(_not_compressed)


@FUZZ
@given(data=PLAIN_FILE, chunk_size=st.sampled_from([64, 4096, 1 << 20]), forced=st.none() | st.sampled_from(CATALOGUE))
def test_mutated_log_lines_are_read_whole(tmp_path: Path, data: bytes, chunk_size: int, forced: CatalogueEntry | None) -> None:
    check_read_whole(data, tmp_path / "fuzzed.log", chunk_size, forced=forced)


COMPRESSORS = {"gzip": gzip.compress, "bzip2": bz2.compress, "xz": lzma.compress}


@FUZZ
@given(files=st.lists(PLAIN_FILE.map(lambda data: data if data.endswith(b"\n") else data + b"\n"), min_size=2, max_size=4))
def test_fuzzed_files_merged_into_one_timeline_are_read_whole(tmp_path: Path, files: list[bytes]) -> None:
    """Several inputs at once: each detected after the one before (which may lend its format), merged by time.

    Each file ends with a newline: a line left without one is joined to the record after it in merge
    order (test_a_last_line_without_newline_stays_a_line_of_its_own).
    """
    paths = [tmp_path / f"fuzzed-{number}.log" for number in range(len(files))]
    for path, data in zip(paths, files, strict=True):
        path.write_bytes(data)
    pipeline = Pipeline(chunk_size=256, first_chunk_size=256)
    try:
        timeline = pipeline.load([str(path) for path in paths])
        assert not pipeline.errors, pipeline.errors
        for source, data in enumerate(files):
            _assert_spans_tile(timeline, len(data), source)
        text = io.BytesIO()
        Printer(pipeline, text).print(selected_rows(pipeline, Filters()), "text")
        assert Counter(_lines(text.getvalue())) == sum((Counter(_lines(data)) for data in files), Counter())
    finally:
        pipeline.close()


@FUZZ
@given(data=RANDOM_BYTES, chunk_size=st.sampled_from([64, 4096, 1 << 20]))
def test_random_bytes_are_read_whole(tmp_path: Path, data: bytes, chunk_size: int) -> None:
    check_read_whole(data, tmp_path / "random.bin", chunk_size)


@FUZZ
@given(data=log_file(), compression=st.sampled_from(sorted(COMPRESSORS)), chunk_size=st.sampled_from([64, 1 << 20]))
def test_compressed_fuzzed_files_are_read_whole(tmp_path: Path, data: bytes, compression: str, chunk_size: int) -> None:
    check_read_whole(data, tmp_path / "fuzzed.log.z", chunk_size, stored=COMPRESSORS[compression](data))


@FUZZ
@given(
    data=log_file(),
    compression=st.sampled_from(sorted(COMPRESSORS)),
    damage=st.tuples(st.floats(0, 1), st.sampled_from(["cut", "flip", "garbage"]), st.binary(min_size=1, max_size=64)),
)
def test_damaged_compressed_files_keep_what_precedes_the_damage(
    tmp_path: Path, data: bytes, compression: str, damage: tuple[float, str, bytes]
) -> None:
    """A truncated or corrupted stream: no exception, one line per problem naming the file, and a cut one keeps its start."""
    stored = COMPRESSORS[compression](data)
    place, kind, garbage = damage
    at = 2 + int(place * (len(stored) - 2))  # the magic stays: the file is still taken for what it claims to be
    if kind == "cut":
        stored = stored[:at]
    elif kind == "flip":
        stored = stored[:at] + bytes([stored[at] ^ 0xFF]) + stored[at + 1 :] if at < len(stored) else stored + garbage
    else:
        stored = stored[:at] + garbage + stored[at:]
    path = tmp_path / "damaged.log.z"
    path.write_bytes(stored)
    pipeline = Pipeline(chunk_size=4096, first_chunk_size=4096)
    try:
        timeline = pipeline.load([str(path)])
        for message in pipeline.errors:
            assert message.startswith(str(path)) and "\n" not in message, message
        text = io.BytesIO()
        Printer(pipeline, text).print(selected_rows(pipeline, Filters()), "text")
        shown = _lines(text.getvalue())
        assert len(timeline) <= len(shown)
        if kind == "cut":  # what came out is the text's start, its last line perhaps cut short
            assert not Counter(shown[:-1]) - Counter(_lines(data))
    finally:
        pipeline.close()


def test_a_last_line_without_newline_stays_a_line_of_its_own(tmp_path: Path, logview) -> None:
    """Found by the fuzz: the newest record is not always last in the file, and a last line may lack its newline."""
    path = tmp_path / "unterminated.log"
    path.write_bytes(b"2026-11-23 21:20:50,035 3580 app WARNING later\n2026-11-23 21:20:50,034 3580 app INFO earlier, no newline")
    result = logview("--print", str(path))
    assert result.returncode == 0, result.stderr
    assert sorted(_lines(result.stdout)) == sorted(_lines(path.read_bytes()))


@FUZZ
@given(data=PLAIN_FILE, cuts=st.lists(st.floats(0, 1), max_size=8), chunk_size=st.sampled_from([64, 1 << 20]))
def test_a_fuzzed_file_written_in_pieces_is_printed_whole_as_it_grows(
    tmp_path: Path, data: bytes, cuts: list[float], chunk_size: int
) -> None:
    """``--print -f``'s reading and printing, polled by hand after each piece: pieces cut anywhere, lines included.

    A poll that finds no new line prints the record held back, as the
    follower does after a quiet spell: the lines that continue it later are
    printed when they come, as in test_lines_that_continue_a_record_after_a_pause_are_printed.
    """
    path = tmp_path / "growing.log"
    path.write_bytes(b"")
    pipeline = Pipeline(growing=True, chunk_size=chunk_size, first_chunk_size=chunk_size)
    out = io.BytesIO()
    try:
        pipeline.load([str(path)])
        follower = Follower(pipeline, ())
        live = LivePrinter(pipeline, Printer(pipeline, out), Filters(), "text")
        live.print_read(selected_rows(pipeline, Filters()))
        start = 0
        try:
            for stop in sorted({int(cut * len(data)) for cut in cuts} | {len(data)}):
                with open(path, "ab") as handle:
                    handle.write(data[start:stop])
                start = stop
                live.print_new(quiet=follower.poll() == 0)
        finally:
            follower.close()
        # As follow_and_print ends: the files read to their ends, a line never ended included, and all printed.
        pipeline.extend(pipeline.loaded[0], complete=True)
        live.print_new(quiet=True, final=True)
        assert not pipeline.errors, pipeline.errors
        _assert_spans_tile(pipeline.timeline, len(data))
        assert len(pipeline.timeline) <= len(_lines(data))
        assert Counter(_lines(out.getvalue())) == Counter(_lines(data))
    finally:
        pipeline.close()


def test_lines_that_continue_a_record_after_a_pause_are_printed(tmp_path: Path) -> None:
    """Found by the fuzz: a traceback whose writer paused after its first line lost its other lines in ``--print -f``."""
    log = tmp_path / "app.log"
    log.write_bytes(b"")
    printer = logview_child("--print", "-f", str(log))
    try:
        printer.wait_watching(log)
        with open(log, "ab") as handle:
            handle.write(b"2026-11-23 21:20:50,227 3580 myapp ERROR failed\nTraceback (most recent call last):\n")
        printer.wait_for_line(b"Traceback (most recent call last):", "the record printed once the file was quiet")
        with open(log, "ab") as handle:
            handle.write(b'  File "x.py", line 1, in <module>\nValueError: late\n2026-11-23 21:20:51,227 3580 myapp INFO next\n')
        printer.wait_for_line(b"INFO next", "the record after the traceback printed")
    finally:
        status = printer.interrupt()
    assert status == 130, printer.stderr
    assert printer.lines == [
        b"2026-11-23 21:20:50,227 3580 myapp ERROR failed",
        b"Traceback (most recent call last):",
        b'  File "x.py", line 1, in <module>',
        b"ValueError: late",
        b"2026-11-23 21:20:51,227 3580 myapp INFO next",
    ]


def test_a_text_file_that_starts_with_bzh_is_text(tmp_path: Path, logview) -> None:
    """Found by the fuzz: a text file whose first word starts with "BZh" was read as corrupt bzip2, and nothing shown."""
    path = tmp_path / "bzh.log"
    path.write_bytes(b"BZh is a word\n2026-11-23 21:20:50,227 3580 myapp INFO next\n")
    result = logview("--print", str(path))
    assert (result.returncode, result.stdout, result.stderr) == (0, path.read_bytes(), b"")


#: What ``logview --print`` may hold at its peak for the 8 MB fuzzed file below. Measured (VmHWM): 82 MiB for a
#: one-line file (the interpreter, numpy and polars), 151 MiB for this file as text and 182 MiB as JSON lines.
MEMORY_BOUND = 300 << 20


def _fuzzed_corpus(size: int, seed: int) -> bytes:
    """``size`` bytes of real lines, broken lines and random bytes, the same for a seed: a file for a whole process."""
    chooser = random.Random(seed)
    pieces: list[bytes] = []
    total = 0
    while total < size:
        line = chooser.choice(SAMPLE_LINES)
        roll = chooser.random()
        if roll < 0.1:
            line = chooser.randbytes(chooser.randrange(200))
        elif roll < 0.5:
            at = chooser.randrange(len(line) + 1)
            line = line[:at] + chooser.choice(INVALID_UTF8 + SPECIAL + ODD_TIMESTAMPS) + line[at:]
        elif roll < 0.52:
            line = line + b"y" * chooser.randrange(100_000)
        pieces.append(line + chooser.choice([b"\n", b"\n", b"\n", b"\r\n", b"\n\n"]))
        total += len(pieces[-1])
    return b"".join(pieces)


#: logview's entry point in a process of its own, which then writes its peak resident memory (VmHWM, kB) to argv[1].
#: Its own VmHWM, not wait4's ru_maxrss: that one starts from the forking parent's (a test worker's hundreds of MB).
PEAK_PROBE = """
import sys
from logview.cli import main
status = main(sys.argv[2:])
with open("/proc/self/status") as lines:
    peak = next(line.split()[1] for line in lines if line.startswith("VmHWM:"))
with open(sys.argv[1], "w") as report:
    report.write(peak)
sys.exit(status)
"""


@pytest.mark.parametrize("output", ["text", "jsonl"])
def test_a_fuzzed_file_read_by_the_command_stays_up_within_its_memory_bound(tmp_path: Path, output: str) -> None:
    """The whole command in a process of its own: its status, its stderr, its output and its peak memory, for 8 MB of damage."""
    data = _fuzzed_corpus(8 << 20, seed=12)
    path = tmp_path / "fuzzed.log"
    path.write_bytes(data)
    out, err, peak = tmp_path / "out", tmp_path / "err", tmp_path / "peak"
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        status = subprocess.run(
            [sys.executable, "-c", PEAK_PROBE, str(peak), "--print", "--output", output, str(path)],
            stdout=stdout,
            stderr=stderr,
            cwd=ROOT,
            timeout=120,
        ).returncode
    messages = err.read_bytes().decode().splitlines()
    assert status == 0, messages
    assert all(message.startswith("logview: ") for message in messages), messages
    assert int(peak.read_text()) * 1024 < MEMORY_BOUND
    printed = out.read_bytes()
    if output == "text":
        assert Counter(_lines(printed)) == Counter(_lines(data))
    else:
        objects = [json.loads(line) for line in printed.decode().splitlines()]
        assert 0 < len(objects) <= len(_lines(data))
