"""--print of small inputs in plain Python prints byte for byte what the engine prints.

Each case runs the real command line (``logview.cli.main``) twice on the same
files, written by the stdlib handlers: once with the engine (the small path's
bound set below any input) and once on the small path (which must then be
taken: the engine path is made to fail the test). Standard output, standard
error and the exit status must be the same. The terminal cases run with
standard output on a real pseudo-terminal.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import json
import logging
import logging.handlers
import lzma
import os
import shutil
import subprocess
import sys
import threading
import time
import tty
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from logview import cli, print_command
from logview.core import small_print, zones
from logview.core.inputs.arguments import expand_inputs
from logview.settings import parse_settings
from tests.unit.logfiles import file_logger, record, write_records

JSON_FORMAT = '{"time": "%(asctime)s", "level": "%(levelname)s", "logger": "%(name)s", "pid": %(process)d, "message": "%(message)s"}'
OTHER_FORMAT = "%(asctime)s [%(levelname)-8s] %(name)s (%(process)d): %(message)s"


@contextlib.contextmanager
def terminal_stdout() -> Iterator[Callable[[], bytes]]:
    """``sys.stdout`` on a real pseudo-terminal (raw: no newline translation) for the block; yields what it received."""
    master, slave = os.openpty()
    tty.setraw(slave)
    received = bytearray()

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 1 << 16)
            except OSError:  # EIO: the terminal's last descriptor closed
                return
            if not data:
                return
            received.extend(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    saved = sys.stdout
    sys.stdout = io.TextIOWrapper(open(slave, "wb", closefd=True), encoding="utf-8")  # noqa: SIM115 - closed below
    try:
        yield lambda: bytes(received)
    finally:
        sys.stdout.close()
        sys.stdout = saved
        reader.join(timeout=30)
        os.close(master)


class Both:
    """Runs the command line in this process on the engine path and on the small path, and compares what they did."""

    def __init__(self, capfd: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
        self.capfd = capfd
        self.monkeypatch = monkeypatch

    def _run(self, args: list[str], small: bool, terminal: bool) -> tuple[int, bytes, bytes]:
        # The command line sets the process's zones (--utc, --written-in-utc): the tests after this one run in it too.
        utc, naive_utc = zones.shown_in_utc(), zones.naive_times_in_utc()
        try:
            return self._main(args, small, terminal)
        finally:
            zones.show_in_utc(utc)
            zones.read_naive_times_in_utc(naive_utc)

    def _main(self, args: list[str], small: bool, terminal: bool) -> tuple[int, bytes, bytes]:
        with self.monkeypatch.context() as patch:
            patch.setattr(small_print, "SMALL_TEXT_BYTES", 1 << 30 if small else -1)
            if small:

                def engine(*_: object) -> int:
                    raise AssertionError(f"the engine printed {args}")

                patch.setattr(print_command, "_run_print", engine)
            self.capfd.readouterr()
            if terminal:
                with terminal_stdout() as shown:
                    status = cli.main(["--print", *args])
                return status, shown(), self.capfd.readouterr().err
            status = cli.main(["--print", *args])
            sys.stdout.flush()
            captured = self.capfd.readouterr()
            return status, captured.out, captured.err

    def same(self, *args: str, terminal: bool = False) -> bytes:
        """Both paths' output, once it is the same (with the same status and standard error)."""
        engine = self._run(list(args), small=False, terminal=terminal)
        small = self._run(list(args), small=True, terminal=terminal)
        assert small == engine, args
        return engine[1]

    def engine_only(self, *args: str) -> None:
        """The small path declines these inputs: it leaves them to the engine."""
        with self.monkeypatch.context() as patch:
            patch.setattr(small_print, "SMALL_TEXT_BYTES", 1 << 30)
            settings = parse_settings(["--print", *args])
            names = expand_inputs(settings.paths).names
            assert small_print.small_print(names, settings.filters, settings.formats) is None, args


@pytest.fixture
def both(capfdbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch) -> Both:
    return Both(capfdbinary, monkeypatch)


def _rotator(opener: Callable[..., object]) -> Callable[[str, str], None]:
    def rotate(source: str, dest: str) -> None:
        with open(source, "rb") as plain, opener(dest, "wb") as packed:  # type: ignore[attr-defined]
            shutil.copyfileobj(plain, packed)
        os.remove(source)

    return rotate


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Real files of every kind the small path reads, written by the stdlib handlers (a few hundred records in all)."""
    folder = tmp_path_factory.mktemp("small")
    base = 1709251200.0
    paths: dict[str, str] = {}
    for worker in range(3):
        path = folder / f"worker-{worker}.log"
        # The same seconds in each file: ties keep the inputs' order, then the files'.
        write_records(
            path,
            [
                record(
                    base + number // 4 + worker * 0.001 * (number % 3),
                    f"job {number} of worker {worker}",
                    name=["app", "app.db", "app.db.pool", "web"][number % 4],
                    level=[logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, 25][number % 5],
                    process=100 + worker + (number % 2) * 10,
                )
                for number in range(60)
            ],
        )
        paths[f"worker-{worker}"] = str(path)
    # A rotation set, each generation compressed a different way (the cookbook's rotator and namer).
    for kind, opener in (("gz", gzip.open), ("bz2", bz2.open), ("xz", lzma.open)):
        handler = logging.handlers.RotatingFileHandler(folder / f"rot-{kind}.log", maxBytes=900, backupCount=3)
        handler.namer = lambda name, kind=kind: f"{name}.{kind}"  # type: ignore[misc]
        handler.rotator = _rotator(opener)  # type: ignore[assignment]
        with file_logger(handler) as logger:
            for number in range(30):
                logger.log([logging.INFO, logging.ERROR][number % 2], "rotated %s record %d", kind, number)
    paths["rotated"] = str(folder / "rot-*.log*")
    # Tracebacks, continuation lines before the first record, and a last line without its newline.
    traced = folder / "traced.log"
    with file_logger(logging.FileHandler(traced, mode="w")) as logger:
        for number in range(20):
            try:
                raise ValueError(f"bad value {number}\nspanning lines")
            except ValueError:
                logger.exception("failed on %d", number)
            logger.info("recovered %d", number)
    traced.write_bytes(
        b"leftover line before any record\n  and another\n" + traced.read_bytes() + b"2024-03-01 00:00:09,000 7 app INFO no end"
    )
    paths["traced"] = str(traced)
    # Records without a time among timed ones, and a file without any time at all.
    untimed = folder / "untimed.log"
    write_records(
        untimed,
        [record(base + number, f"timed {number}", name="untimed") for number in range(10)],
        fmt="%(levelname)s %(name)s %(message)s",
    )
    with untimed.open("a") as handle:
        handle.write("".join(f"2024-03-01 00:00:{number:02d},500 {number} app WARNING between {number}\n" for number in range(5, 10)))
    paths["untimed"] = str(untimed)
    timeless = folder / "timeless.txt"
    timeless.write_text("".join(f"just words {number}\n" for number in range(15)))
    os.utime(timeless, (base + 7, base + 7))
    paths["timeless"] = str(timeless)
    # Two formats in one file (a formatter swapped midway), and JSON lines.
    mixed = folder / "mixed.log"
    write_records(mixed, [record(base + number, f"before {number}", name="mix") for number in range(25)])
    write_records(mixed, [record(base + 25 + number, f"after {number}", name="mix") for number in range(25)], fmt=OTHER_FORMAT, mode="a")
    paths["mixed"] = str(mixed)
    structured = folder / "app.jsonl"
    write_records(
        structured, [record(base + number * 0.5, f"json {number}", name="api", process=300) for number in range(30)], fmt=JSON_FORMAT
    )
    paths["json"] = str(structured)
    # Invalid UTF-8 and control characters, and Windows line ends.
    hostile = folder / "hostile.log"
    write_records(hostile, [record(base + number, f"caf\u00e9 \x1b[31mred\x1b[0m {number}") for number in range(8)])
    hostile.write_bytes(hostile.read_bytes().replace(b"\xc3\xa9", b"\xe9", 3))
    paths["hostile"] = str(hostile)
    windows = folder / "windows.log"
    write_records(windows, [record(base + number, f"windows {number}") for number in range(12)])
    windows.write_bytes(windows.read_bytes().replace(b"\n", b"\r\n"))
    paths["windows"] = str(windows)
    empty = folder / "empty.log"
    empty.write_bytes(b"")
    paths["empty"] = str(empty)
    return paths


def test_one_file_and_all_of_them_as_text_and_json(both: Both, logs: dict[str, str]) -> None:
    everything = list(logs.values())
    for output in ("text", "jsonl"):
        assert both.same("--output", output, logs["worker-0"])
        assert both.same("--output", output, *everything)


def test_merged_by_time_with_ties_in_input_order(both: Both, logs: dict[str, str]) -> None:
    merged = both.same(logs["worker-2"], logs["worker-0"], logs["worker-1"])
    assert merged.index(b"job 0 of worker 2") < merged.index(b"job 0 of worker 0") < merged.index(b"job 0 of worker 1")


def test_rotated_sets_compressed_every_way_in_their_written_order(both: Both, logs: dict[str, str]) -> None:
    shown = both.same(logs["rotated"])
    for kind in ("gz", "bz2", "xz"):
        assert shown.index(f"rotated {kind} record 0\n".encode()) < shown.index(f"rotated {kind} record 29\n".encode())
    both.same("--output", "jsonl", "--level", "ERROR", logs["rotated"])


@pytest.mark.parametrize(
    "options",
    [
        ["--level", "WARNING"],
        ["--level", "25"],
        ["--logger", "app.db"],
        ["--logger", "root", "--exclude-logger", "app.db.pool"],
        ["--exclude-logger", "app"],
        ["--pid", "101", "--pid", "110"],
        ["--grep", r"job \d+ of worker [12]"],
        ["--grep", "(?i)FAILED|spanning"],
        ["--grep", r"\bjob\s\w"],
        ["--since", "2024-03-01T00:00:05", "--until", "2024-03-01T00:00:09.5", "--utc"],
        ["--since", "2024-03-01T01:00:05+01:00"],
        ["--until", "2024-03-01T00:00:03Z", "--level", "INFO", "--logger", "app"],
    ],
)
def test_each_filter(both: Both, logs: dict[str, str], options: list[str]) -> None:
    # Not the file past ASCII: the small path leaves \w, \s and \b there to the engine (see the test below).
    inputs = [path for name, path in logs.items() if name != "hostile"]
    for output in ("text", "jsonl"):
        both.same(*options, "--output", output, *inputs)


def test_a_format_given_and_one_from_a_logging_config(both: Both, logs: dict[str, str], tmp_path: Path) -> None:
    both.same("--format", OTHER_FORMAT, logs["mixed"], logs["worker-0"])
    config = tmp_path / "logging.json"
    config.write_text(json.dumps({"version": 1, "formatters": {"other": {"format": OTHER_FORMAT}}}))
    both.same("--output", "jsonl", "--logging-config", str(config), "--written-in-utc", logs["mixed"])


def test_a_config_files_formats_and_its_mistakes(both: Both, logs: dict[str, str], config_home: Path) -> None:
    config_home.write_text(
        f'[formats.other]\nformat = "{OTHER_FORMAT}"\nfiles = ["mixed*.log"]\nutc = true\n\n[viewer]\nutc = true\nthemes = 1\n'
    )
    both.same("--output", "jsonl", logs["mixed"], logs["worker-1"], logs["untimed"])


def test_records_without_time_sort_where_the_index_sorts_them(both: Both, logs: dict[str, str]) -> None:
    shown = both.same(logs["timeless"], logs["untimed"], logs["worker-0"])
    # The file without a time sorts where it was written, among the others' records: not first, not last.
    assert 0 < shown.index(b"just words 0") < shown.index(b"just words 14") < len(shown) - len(b"just words 14\n")
    both.same("--output", "jsonl", "--since", "2024-03-01T00:00:06", "--utc", logs["timeless"], logs["untimed"])


def test_multi_line_records_and_a_last_line_without_newline(both: Both, logs: dict[str, str]) -> None:
    shown = both.same(logs["traced"], logs["worker-1"])
    assert b"no end\n2024" in shown or shown.endswith(b"no end")
    both.same("--output", "jsonl", "--grep", "spanning", logs["traced"])


def test_invalid_utf8_and_control_characters_on_a_terminal_and_in_a_pipe(both: Both, logs: dict[str, str]) -> None:
    for output in ("text", "jsonl"):
        piped = both.same("--output", output, logs["hostile"], logs["windows"])
        shown = both.same("--output", output, logs["hostile"], logs["windows"], terminal=True)
        assert b"\x1b[31m" not in shown
        if output == "text":
            assert b"\x1b[31m" in piped and b"\\x1b[31m" in shown
    assert b"caf\\xe9" in both.same(logs["hostile"], terminal=True)


def test_warnings_errors_and_status(both: Both, logs: dict[str, str], tmp_path: Path) -> None:
    both.same(logs["empty"], logs["hostile"], str(tmp_path / "nothing-*.log"))
    both.same(logs["empty"])


def test_the_hour_written_twice(both: Both, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Local times of the night the clock is set back: the records after the step back read in its second pass."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        path = tmp_path / "night.log"
        start = 1729990800.0  # 2024-10-27 01:00 UTC: 03:00 summer time, an hour before the clock goes back
        write_records(path, [record(start - 5400 + number * 300, f"at {number}") for number in range(30)])
        both.same("--output", "jsonl", str(path))
        both.same("--since", "2024-10-27T02:30:00+01:00", str(path))
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.filterwarnings("ignore:Possible set:FutureWarning")  # Python's word on a Rust class operator
def test_what_the_small_path_leaves_to_the_engine(both: Both, logs: dict[str, str], tmp_path: Path) -> None:
    lone_return = tmp_path / "lone.log"
    lone_return.write_bytes(b"2024-03-01 00:00:00,000 1 app INFO one\rtwo\n")
    binary = tmp_path / "binary.log"
    binary.write_bytes(b"2024-03-01 00:00:00,000 1 app INFO \x00\n")
    damaged = tmp_path / "damaged.log.gz"
    damaged.write_bytes(gzip.compress(b"2024-03-01 00:00:00,000 1 app INFO one\n" * 50)[:-20])
    for path in (lone_return, binary, damaged):
        both.engine_only(str(path))
    both.engine_only("-")
    both.engine_only("--grep", r"\<job", logs["worker-0"])
    both.engine_only("--grep", "[a-z&&[^x]]", logs["worker-0"])
    both.engine_only("--grep", r"\w+", logs["hostile"])


_OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "--level": st.sampled_from(["DEBUG", "INFO", "25", "ERROR"]),
        "--logger": st.sampled_from(["app", "app.db", "web", "mix", "root"]),
        "--exclude-logger": st.sampled_from(["app.db", "api"]),
        "--pid": st.sampled_from(["100", "101", "300"]),
        "--grep": st.sampled_from(["job", r"\d{2}$", "(?i)ERROR|value", "worker [02]"]),
        "--since": st.sampled_from(["2024-03-01T00:00:05", "2024-03-01T00:00:12.5Z"]),
        "--until": st.sampled_from(["2024-03-01T00:00:10", "2024-03-01T00:00:30Z"]),
        "--output": st.sampled_from(["text", "jsonl"]),
        "--utc": st.just(""),
        "--written-in-utc": st.just(""),
    },
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    options=_OPTIONS,
    inputs=st.lists(
        st.sampled_from(["worker-0", "worker-1", "rotated", "traced", "untimed", "timeless", "mixed", "json", "hostile", "windows"]),
        min_size=1,
        max_size=4,
        unique=True,
    ),
)
def test_any_options_on_any_inputs(both: Both, logs: dict[str, str], options: dict[str, str], inputs: list[str]) -> None:
    # Case folding past ASCII is left to the engine (the test above).
    assume(not ("(?i)" in options.get("--grep", "") and "hostile" in inputs))
    args = [part for option, value in options.items() for part in ((option, value) if value else (option,))]
    both.same(*args, *[logs[name] for name in inputs])


def test_the_small_path_loads_neither_numpy_nor_polars(logs: dict[str, str]) -> None:
    probe = (
        "import sys; from logview.cli import main; status = main(['--print', '--output', 'jsonl', '--grep', 'job', *sys.argv[1:]]); "
        "sys.stdout.flush(); assert not {'numpy', 'polars'} & set(sys.modules), sorted(sys.modules); sys.exit(status)"
    )
    done = subprocess.run([sys.executable, "-c", probe, *logs.values()], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[0])["message"].startswith("job")
