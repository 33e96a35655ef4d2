"""Many inputs merge into one timeline, stable on ties, untimed records kept in place."""

from __future__ import annotations

import logging
import multiprocessing
from pathlib import Path

from logview.core.pipeline import Pipeline
from logview.core.records import RecordReader
from tests.unit.logfiles import STANDARD, record, write_records


def _worker(path: str, worker: int) -> None:
    handler = logging.FileHandler(path, mode="w")
    handler.setFormatter(logging.Formatter(STANDARD))
    log = logging.getLogger(f"worker{worker}")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    for number in range(200):
        log.info("worker %d record %d", worker, number)
    handler.close()


def test_files_of_real_processes_merge_by_time(tmp_path: Path, logview) -> None:
    paths = [str(tmp_path / f"w{n}.log") for n in range(3)]
    processes = [multiprocessing.Process(target=_worker, args=(path, n)) for n, path in enumerate(paths)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    result = logview("--print", "--output", "jsonl", *paths)
    import json

    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 600
    times = [item["time"] for item in records]
    assert times == sorted(times)
    assert len({item["pid"] for item in records}) == 3
    for worker in range(3):
        numbers = [int(item["message"].split()[-1]) for item in records if item["logger"] == f"worker{worker}"]
        assert numbers == list(range(200))


def test_ties_keep_input_order_and_untimed_records_follow_their_source(tmp_path: Path) -> None:
    first, second = tmp_path / "a.log", tmp_path / "b.log"
    write_records(first, [record(100.0, "a1"), record(200.0, "a2"), record(300.0, "a3")])
    write_records(second, [record(100.0, "b1"), record(250.0, "b2")])
    # An untimed line block in b after b2 (a line that matches no format).
    with open(second, "a") as handle:
        handle.write("free text that is no record\n")
    # b starts with free text too: it belongs before b's first record.
    second.write_text("preamble line\n" + second.read_text())
    pipeline = Pipeline()
    pipeline.load([str(first), str(second)])
    reader = RecordReader(pipeline)
    order = [reader.record(int(row)).text.splitlines()[0].split(" ")[-1] for row in pipeline.timeline.positions()]
    # b's preamble takes b1's time and ties with a1: a came first on the command line.
    assert order == ["a1", "line", "b1", "a2", "b2", "a3"]
    assert reader.record(int(pipeline.timeline.positions()[4])).text.endswith("free text that is no record")
    pipeline.close()


def test_out_of_order_lines_within_one_file_are_sorted(tmp_path: Path) -> None:
    path = tmp_path / "shuffled.log"
    write_records(path, [record(300.0, "third"), record(100.0, "first"), record(200.0, "second")])
    pipeline = Pipeline()
    pipeline.load([str(path)])
    reader = RecordReader(pipeline)
    assert [reader.record(int(row)).message for row in pipeline.timeline.positions()] == ["first", "second", "third"]
    assert [reader.record(int(row)).line for row in pipeline.timeline.positions()] == [2, 3, 1]
    pipeline.close()


def test_many_inputs_keep_one_descriptor_each(tmp_path: Path) -> None:
    import os

    paths = []
    for number in range(60):
        path = tmp_path / f"part{number}.log"
        write_records(path, [record(1000.0 + number, f"part {number}")])
        paths.append(str(path))
    compressed = tmp_path / "packed.log.gz"
    import gzip

    compressed.write_bytes(gzip.compress((tmp_path / "part0.log").read_bytes()))
    before = len(os.listdir("/proc/self/fd"))
    pipeline = Pipeline()
    pipeline.load([*paths, str(compressed)])
    assert len(os.listdir("/proc/self/fd")) - before == 61
    assert len(pipeline.timeline) == 61
    pipeline.close()
    assert len(os.listdir("/proc/self/fd")) == before
