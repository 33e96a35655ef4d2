"""Many inputs, few descriptors: files are closed once indexed and opened again by path; compressed inputs share spools.

Each input held a descriptor for as long as logview ran: a 10,000-file glob
under ``ulimit -n 1024`` printed thousands of "Too many open files" lines and
a tenth of the records. The children here run under a hard limit of 256, which
raising the soft limit to the hard one cannot lift.
"""

from __future__ import annotations

import gzip
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from logview.core.inputs.descriptors import REOPENED
from logview.core.pipeline import Pipeline
from tests.command import ROOT
from tests.unit.logfiles import record, write_records
from tests.waiting import wait_until

#: The children's descriptor limit, soft and hard.
LIMIT = 256
PLAIN_FILES = 600
COMPRESSED_FILES = 100
RECORDS_PER_FILE = 2


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (LIMIT, LIMIT))


def _run_limited(*command: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(list(command), capture_output=True, timeout=120, cwd=ROOT, preexec_fn=_limited)


@pytest.fixture(scope="module")
def many_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,000 plain files and 100 gzip files of two records each, written by a FileHandler (and gzip, for the 100)."""
    directory = tmp_path_factory.mktemp("many")
    for number in range(PLAIN_FILES + COMPRESSED_FILES):
        path = directory / f"worker-{number:04d}.log"
        events = [record(1709251200 + number, f"file {number} event {event}") for event in range(RECORDS_PER_FILE)]
        write_records(path, events)
        if number >= PLAIN_FILES:
            with gzip.open(f"{path}.gz", "wb") as packed:
                packed.write(path.read_bytes())
            path.unlink()
    return directory


def _expected_lines(directory: Path) -> list[bytes]:
    lines: list[bytes] = []
    for path in sorted(directory.iterdir()):
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        lines.extend(data.splitlines())
    return lines


def test_print_reads_every_file_of_a_glob_larger_than_the_descriptor_limit(many_logs: Path) -> None:
    result = _run_limited(sys.executable, "-m", "logview", "--print", f"{many_logs}/*.log", f"{many_logs}/*.gz")
    assert result.stderr == b""
    assert result.returncode == 0
    printed = result.stdout.splitlines()
    assert len(printed) == (PLAIN_FILES + COMPRESSED_FILES) * RECORDS_PER_FILE
    assert sorted(printed) == sorted(_expected_lines(many_logs))


#: Loads the files named in its arguments through the pipeline, under the limit, then reads back every record's
#: bytes, the files taken in turn (each read a different file from the last), and writes them out in that order.
READ_BACK = """
import resource, sys
import numpy as np
from logview.core.pipeline import Pipeline

names = sys.argv[1:]
pipeline = Pipeline()
pipeline.load(names)
timeline = pipeline.timeline
per_file = int(len(timeline) / len(names))
rows = np.argsort(np.arange(len(timeline)) % per_file, kind="stable")
sources, starts, lengths = timeline.spans(rows)
out = sys.stdout.buffer
for source, start, length in zip(sources.tolist(), starts.tolist(), lengths.tolist()):
    out.write(pipeline.read_bytes(source, start, length))
for error in pipeline.errors:
    print(error, file=sys.stderr)
print(len(__import__("os").listdir("/proc/self/fd")), file=sys.stderr)
"""


def test_the_pipeline_reads_back_the_records_of_every_file_after_loading(many_logs: Path) -> None:
    names = sorted(str(path) for path in many_logs.iterdir())
    result = _run_limited(sys.executable, "-c", READ_BACK, *names)
    *errors, descriptors = result.stderr.decode().splitlines()
    assert errors == []
    assert result.returncode == 0
    assert int(descriptors) < LIMIT // 2  # the parked files' kept open are bounded well below the limit
    per_file = [gzip.decompress(Path(name).read_bytes()) if name.endswith(".gz") else Path(name).read_bytes() for name in names]
    in_turn = [lines for lines in zip(*(data.splitlines(keepends=True) for data in per_file), strict=True)]
    assert result.stdout == b"".join(line for lines in in_turn for line in lines)


def _logs(directory: Path, count: int, compress: bool = False) -> list[str]:
    names = []
    for number in range(count):
        path = directory / f"part-{number}.log"
        write_records(path, [record(1709251200 + number, f"part {number} event {event}") for event in range(3)])
        if compress:
            with gzip.open(f"{path}.gz", "wb") as packed:
                packed.write(path.read_bytes())
            path.unlink()
            path = Path(f"{path}.gz")
        names.append(str(path))
    return names


def _text_of_source(pipeline: Pipeline, source_id: int) -> bytes:
    rows = pipeline.timeline.rows_of_source(source_id)
    sources, starts, lengths = pipeline.timeline.spans(rows)
    return b"".join(pipeline.read_bytes(source_id, start, length) for start, length in zip(starts.tolist(), lengths.tolist(), strict=True))


def _descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_a_file_closed_after_indexing_is_read_again_by_its_path(tmp_path: Path) -> None:
    names = _logs(tmp_path, 3)
    pipeline = Pipeline()
    try:
        pipeline.load(names)
        REOPENED.make_room()  # as when other files took the descriptors kept open
        for source_id, name in enumerate(names):
            assert _text_of_source(pipeline, source_id) == Path(name).read_bytes()
        assert pipeline.errors == []
    finally:
        pipeline.close()


@pytest.mark.parametrize("change", ["replaced", "deleted"])
def test_a_file_replaced_or_deleted_after_indexing_is_said_not_shown_with_other_bytes(tmp_path: Path, change: str) -> None:
    first, second = _logs(tmp_path, 2)
    pipeline = Pipeline()
    try:
        pipeline.load([first, second])
        REOPENED.make_room()
        if change == "replaced":
            replacement = tmp_path / "new.log"
            write_records(replacement, [record(1709260000, "another file, another text " * 4)])
            os.replace(replacement, first)
        else:
            os.unlink(first)
        assert _text_of_source(pipeline, 0) == b""
        assert _text_of_source(pipeline, 1) == Path(second).read_bytes()
        assert pipeline.errors == [
            f"{first}: {change}{' by another file' if change == 'replaced' else ''} since it was read; the text of its records is not shown"
        ]
    finally:
        pipeline.close()


def test_compressed_inputs_share_a_spool_rather_than_a_descriptor_each(tmp_path: Path) -> None:
    names = _logs(tmp_path, 40, compress=True)
    before = _descriptors()
    pipeline = Pipeline()
    try:
        pipeline.load(names)
        assert _descriptors() - before < 5
        for source_id, name in enumerate(names):
            assert _text_of_source(pipeline, source_id) == gzip.decompress(Path(name).read_bytes())
    finally:
        pipeline.close()
    assert _descriptors() <= before


def _open_files_limits(pid: int) -> tuple[str, str] | None:
    """The (soft, hard) limit of descriptors of process ``pid``, as /proc says them."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            soft, hard = line.split()[3:5]
            return soft, hard
    return None


def test_the_soft_descriptor_limit_is_raised_to_the_hard_one_at_start(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    write_records(log, [record(1709251200, "one record")])

    def low_soft_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, LIMIT))

    # --print -f runs until interrupted: its limits are looked at while it runs.
    child = subprocess.Popen(
        [sys.executable, "-m", "logview", "--print", "-f", str(log)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        preexec_fn=low_soft_limit,
    )
    try:
        wait_until(lambda: _open_files_limits(child.pid) == (str(LIMIT), str(LIMIT)), "the soft limit raised to the hard one")
    finally:
        child.send_signal(signal.SIGINT)
        _out, errors = child.communicate(timeout=60)
    assert errors == b""
