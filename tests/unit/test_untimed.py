"""Records without a time stay beside their own file's neighbours when files are merged.

A file with no time at all (basicConfig's default format, the cookbook's
pynng format) sorts where it was written: its modification time is the time
of its last record. An untimed record in a file with times follows the
timed record before it in its file. The same holds for the batch merge, the
live merge of appended records, rotation sets and the first frame.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from logview.core.inputs.arguments import expand_inputs
from logview.core.newest import newest_records
from logview.core.pipeline import Pipeline
from logview.core.records import RecordReader
from tests.unit.logfiles import STANDARD, record, write_records

#: 2023-11-14 22:13:20 UTC: the timed records are around it.
T = 1_700_000_000.0
BASIC_DEFAULT = logging.BASIC_FORMAT  # %(levelname)s:%(name)s:%(message)s
PYNNG = "%(levelname)-8s %(name)10s %(process)6s %(message)s"


def _timed(path: Path, *seconds: float) -> None:
    write_records(path, [record(T + second, f"{path.name.split('.')[0]}@{second:g}") for second in seconds], fmt=STANDARD)


def _untimed(path: Path, fmt: str, messages: list[str], written: float) -> None:
    write_records(path, [record(0.0, message, name="myapp", process=613) for message in messages], fmt=fmt)
    os.utime(path, (written, written))


def _printed(logview, *paths: Path) -> list[str]:
    result = logview("--print", "--output", "jsonl", *map(str, paths))
    assert result.returncode == 0, result.stderr
    return [json.loads(line)["message"] for line in result.stdout.splitlines()]


@pytest.mark.parametrize("fmt", [BASIC_DEFAULT, PYNNG])
def test_a_file_without_times_sorts_where_it_was_written(tmp_path: Path, logview, fmt: str) -> None:
    timed, untimed = tmp_path / "a.log", tmp_path / "b.log"
    _timed(timed, 0, 10, 20, 30)
    _untimed(untimed, fmt, ["first", "second", "third"], written=T + 15)
    # Given first or last, the untimed file keeps its order and its place: before a@20, after a@10.
    expected = ["a@0", "a@10", "first", "second", "third", "a@20", "a@30"]
    assert _printed(logview, untimed, timed) == expected
    assert _printed(logview, timed, untimed) == expected


def test_a_rotation_generation_without_times_follows_the_one_before(tmp_path: Path, logview) -> None:
    older, newest, other = tmp_path / "app.log.1", tmp_path / "app.log", tmp_path / "other.log"
    _timed(older, 0, 10)
    # The newest generation holds only lines without a time so far (its mtime far later: the set's order decides).
    newest.write_text("starting worker pool\nready\n")
    os.utime(newest, (T + 1000, T + 1000))
    _timed(other, 5, 15)
    assert _printed(logview, other, newest, older) == ["app@0", "other@5", "app@10", "starting worker pool", "ready", "other@15"]


def test_a_generation_that_starts_without_times_keeps_them_before_its_first(tmp_path: Path, logview) -> None:
    older, newest, other = tmp_path / "app.log.1", tmp_path / "app.log", tmp_path / "other.log"
    _timed(older, 0, 10)
    _timed(newest, 30, 40)
    newest.write_text("restarted by the supervisor\n" + newest.read_text())
    _timed(other, 20)
    assert _printed(logview, other, newest, older) == ["app@0", "app@10", "other@20", "restarted by the supervisor", "app@30", "app@40"]


def _json_line(fields: dict[str, object]) -> str:
    return json.dumps(fields) + "\n"


def test_an_untimed_record_appended_live_follows_its_own_file(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(_json_line({"created": T + 1, "message": "a1"}) + _json_line({"created": T + 3, "message": "a2"}))
    b.write_text(_json_line({"created": T + 2, "message": "b1"}))
    pipeline = Pipeline()
    try:
        pipeline.load([str(a), str(b)])
        with b.open("a") as handle:
            handle.write(_json_line({"message": "b without a time", "levelname": "WARNING"}))
        assert pipeline.extend(pipeline.loaded[1], complete=True) == 1
        pipeline.timeline.merge_appended()
        reader = RecordReader(pipeline)
        shown = [reader.record(int(row)).message for row in pipeline.timeline.positions()]
        assert shown == ["a1", "b1", "b without a time", "a2"]
        # The whole merge agrees with the live one.
        pipeline.timeline.merge()
        assert [reader.record(int(row)).message for row in pipeline.timeline.positions()] == shown
    finally:
        pipeline.close()


def test_an_untimed_file_appended_live_sorts_where_it_was_written(tmp_path: Path) -> None:
    timed, untimed = tmp_path / "a.log", tmp_path / "b.log"
    _timed(timed, 0, 30)
    _untimed(untimed, BASIC_DEFAULT, ["first"], written=T + 15)
    pipeline = Pipeline()
    try:
        pipeline.load([str(untimed), str(timed)])
        write_records(untimed, [record(0.0, "second", name="myapp")], fmt=BASIC_DEFAULT, mode="a")
        os.utime(untimed, (T + 40, T + 40))
        assert pipeline.extend(pipeline.loaded[0], complete=True) == 1
        pipeline.timeline.merge_appended()
        reader = RecordReader(pipeline)
        assert [reader.record(int(row)).message for row in pipeline.timeline.positions()] == ["a@0", "first", "a@30", "second"]
    finally:
        pipeline.close()


def _first_frame_and_index(paths: list[Path], count: int) -> tuple[list[str], list[str]]:
    names = [str(path) for path in paths]
    newest = newest_records(names, count)
    assert newest is not None
    pipeline = Pipeline()
    try:
        pipeline.load(expand_inputs(names).names)
        rows = pipeline.timeline.positions()[-count:]
        indexed = [record.message for record in RecordReader(pipeline).records(rows, line_numbers=False)]
    finally:
        pipeline.close()
    return [record.message for record in newest.records], indexed


def test_the_first_frame_places_untimed_files_as_the_index_does(tmp_path: Path) -> None:
    timed, untimed = tmp_path / "a.log", tmp_path / "b.log"
    _timed(timed, *range(0, 100, 10))
    _untimed(untimed, PYNNG, ["first", "second"], written=T + 45)
    frame, indexed = _first_frame_and_index([untimed, timed], 6)
    assert frame == indexed == ["a@40", "first", "second", "a@50", "a@60", "a@70", "a@80", "a@90"][-6:]


def test_the_first_frame_reads_an_older_generation_for_a_newest_one_without_times(tmp_path: Path) -> None:
    older, newest, other = tmp_path / "app.log.1", tmp_path / "app.log", tmp_path / "other.log"
    _timed(older, 0, 10)
    newest.write_text("starting worker pool\n")
    os.utime(newest, (T + 1000, T + 1000))
    _timed(other, 5, 15, 20)
    frame, indexed = _first_frame_and_index([other, older, newest], 3)
    assert frame == indexed == ["starting worker pool", "other@15", "other@20"]
