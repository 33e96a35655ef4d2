"""The logging cookbook's examples, run unmodified, read back record for record.

Each example (examples/, verbatim from docs.python.org) runs as real
processes in a temporary directory; what its handlers wrote is noted as it
is written (running.py), and ``logview --print --output jsonl`` must print
every record of each file it wrote, in order, with the fields its format
holds.
"""

from __future__ import annotations

import gzip
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from tests.cookbook.running import EXAMPLES, ROOT, STDERR, STDOUT, compared, example_env, expected, read_back, run, start, written
from tests.waiting import wait_until

#: The formats of the examples below, as the LogRecord attributes they hold.
DETAILED = [
    "asctime",
    "name",
    "levelname",
    "processName",
    "message",
]  # '%(asctime)s %(name)-15s %(levelname)-8s %(processName)-10s %(message)s'
NETWORK = ["relativeCreated", "name", "levelname", "message"]  # '%(relativeCreated)5d %(name)-15s %(levelname)-8s %(message)s'
THREADS = ["relativeCreated", "threadName", "message"]  # '%(relativeCreated)6d %(threadName)s %(message)s'
LEVELS = ["levelname", "message"]  # '%(levelname)-8s - %(message)s'
BRACE = [
    "asctime",
    "name",
    "levelname",
    "message",
]  # '{asctime} {name} {levelname:8s} {message}', then '$asctime $name ${levelname} $message'
BASIC = ["levelname", "name", "message"]  # basicConfig's default '%(levelname)s:%(name)s:%(message)s'


def _read_back_exactly(directory: Path, target: str, attributes: list[str], *paths: Path) -> None:
    records = written(directory, target)
    assert records, f"nothing written to {target}"
    wanted = expected(records, attributes)
    assert compared(read_back(*(paths or (directory / target,))), wanted) == wanted


def test_logging_to_a_single_file_from_multiple_processes(tmp_path: Path) -> None:
    # The section's second script (logging in a thread of the main process): its first one waits up to a second
    # between records in each of ten processes, and reads no parameter to wait less.
    run("multiprocess_thread_variant.txt", tmp_path)
    for name in ("mplog.log", "mplog-foo.log", "mplog-errors.log"):
        _read_back_exactly(tmp_path, name, DETAILED)


def test_the_more_elaborate_multiprocessing_example(tmp_path: Path) -> None:
    run("multiprocess_elaborate.txt", tmp_path)
    for name in ("mplog.log", "mplog-foo.log", "mplog-errors.log"):
        _read_back_exactly(tmp_path, name, DETAILED)


def test_sending_and_receiving_logging_events_across_a_network(tmp_path: Path) -> None:
    driver = [sys.executable, "-m", "tests.cookbook.network_run", str(tmp_path)]
    if shutil.which("unshare") and subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode == 0:
        # A loopback of its own: port 9020, fixed in the example, is free there whatever else runs here.
        driver = ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *driver]
    result = subprocess.run(driver, cwd=ROOT, capture_output=True, timeout=180)
    assert result.returncode == 0, result.stderr.decode()
    _read_back_exactly(tmp_path, STDERR, NETWORK, tmp_path / "receiver.py.stderr")


def test_using_a_rotator_and_namer(tmp_path: Path) -> None:
    run("rotator_namer.txt", tmp_path)
    files = sorted(tmp_path.glob("rotated.log*"))
    assert [path.name for path in files] == ["rotated.log", *(f"rotated.log.{n}.gz" for n in range(1, 6))]
    kept = sum((gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()).count(b"\n") for path in files)
    records = written(tmp_path, "rotated.log")
    assert len(records) == 1000
    # The records of the set's six files are the last ones written; the older were rotated away.
    wanted = expected(records[-kept:], ["asctime", "message"])
    assert compared(read_back(*files), wanted) == wanted


def test_custom_handling_of_levels_configured_with_dict_config(tmp_path: Path) -> None:
    # The cookbook runs it as "python main.py 2>stderr.log >stdout.log": three files, one format, no time.
    run("custom_levels.txt", tmp_path)
    _read_back_exactly(tmp_path, "app.log", LEVELS)
    _read_back_exactly(tmp_path, STDOUT, LEVELS, tmp_path / "main.py.stdout")
    _read_back_exactly(tmp_path, STDERR, LEVELS, tmp_path / "main.py.stderr")


def test_logging_from_multiple_threads(tmp_path: Path) -> None:
    # It logs until Ctrl+C: interrupted once both threads have logged twice.
    process = start("threads.txt", tmp_path, "main.py")
    try:
        wait_until(lambda: len(written(tmp_path, STDERR)) >= 4, "four records from the two threads")
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(60) == 0
    _read_back_exactly(tmp_path, STDERR, THREADS, tmp_path / "main.py.stderr")


def _session_statements(session: str) -> str:
    """A console session's statements, without its prompts and the output it shows."""
    return "".join(line[4:] + "\n" for line in session.splitlines() if line.startswith((">>> ", "... ")))


def test_use_of_alternative_formatting_styles(tmp_path: Path) -> None:
    # The section's console session: its statements, typed in that order, run as one script.
    session = (EXAMPLES / "format_styles_session.txt").read_text()
    (tmp_path / "session.py").write_text(_session_statements(session))
    process = subprocess.run([sys.executable, "session.py"], cwd=tmp_path, env=example_env(tmp_path), capture_output=True, timeout=120)
    assert process.returncode == 0, process.stderr.decode()
    (tmp_path / "session.py.stderr").write_bytes(process.stderr)
    _read_back_exactly(tmp_path, STDERR, BRACE, tmp_path / "session.py.stderr")


def test_a_style_adapter_logging_with_basic_config_defaults(tmp_path: Path) -> None:
    run("format_styles_adapter.txt", tmp_path)
    _read_back_exactly(tmp_path, STDERR, BASIC, tmp_path / "main.py.stderr")
