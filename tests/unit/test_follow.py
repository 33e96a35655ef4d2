"""The follower, polled by hand between writes of real handlers: growth, rotation, truncation, new files."""

from __future__ import annotations

import gzip
import logging
import logging.handlers
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from logview.core.index.status import Status
from logview.core.pipeline import Pipeline
from logview.core.records import RecordReader
from logview.core.sources import follow, numbered_copies, rotated_copies
from logview.core.sources.follow import Follower
from logview.core.sources.grabber import Identity
from logview.core.text_search import text_hits
from tests.unit.logfiles import STANDARD, file_logger, gzip_rotator, left_a_while_ago, record, write_records
from tests.waiting import wait_for_rollover_time, wait_until

NUMBER = re.compile(r"record (\d+)")


@contextmanager
def following(*paths: Path, patterns: tuple[str, ...] = ()) -> Iterator[tuple[Pipeline, Follower]]:
    pipeline = Pipeline(growing=True)
    pipeline.load([str(path) for path in paths])
    follower = Follower(pipeline, patterns)
    try:
        yield pipeline, follower
    finally:
        follower.close()
        pipeline.close()


def numbers(pipeline: Pipeline) -> list[int]:
    """The record numbers in arrival order, read back from the sources' bytes (archived ones included)."""
    reader = RecordReader(pipeline)
    rows = list(range(len(pipeline.timeline)))
    return [int(found[1]) for record in reader.records(rows) if (found := NUMBER.search(record.message))]


def rotating(path: Path, max_bytes: int, backups: int, compress: bool) -> logging.handlers.RotatingFileHandler:
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups)
    if compress:
        handler.rotator = gzip_rotator
        handler.namer = lambda name: name + ".gz"
    return handler


def test_lines_appended_are_read_and_a_partial_line_waits_for_its_end(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log)) as logger:
        logger.info("record 1")
        with following(log) as (pipeline, follower):
            logger.info("record 2")
            logger.info("record 3")
            assert follower.poll() == 2
            with open(log, "a") as raw:
                raw.write("2026-01-01 00:00:00,000 1 test INFO record 4 is half")
                raw.flush()
                assert follower.poll() == 0
                raw.write(" written\n")
            assert follower.poll() == 1
            assert numbers(pipeline) == [1, 2, 3, 4]
            assert RecordReader(pipeline).record(3).message == "record 4 is half written"


def test_a_last_line_left_unfinished_is_read_and_what_comes_later_continues_it(tmp_path: Path) -> None:
    """A file that does not end with a newline lost its last record in the viewer: it waited for an end never written."""
    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log)) as logger:
        logger.info("record 1")
        logger.info("record 2")
    with open(log, "a") as raw:
        raw.write("2026-01-01 00:00:00,000 1 test INFO record 3 is half")
    left_a_while_ago(log)
    with following(log) as (pipeline, follower):
        assert numbers(pipeline) == [1, 2, 3]
        kept = text_hits(pipeline, "half written")
        with open(log, "a") as raw:
            raw.write(" written\n2026-01-01 00:00:01,000 1 test INFO record 4\n")
        assert follower.poll() == 2  # record 3 grown, record 4 added
        # A search kept current searches the line whole again, not its rest alone: a match across the join is found.
        assert text_hits(pipeline, "half written", since=kept).rows().tolist() == [2]
        reader = RecordReader(pipeline)
        assert reader.record(2).message == "record 3 is half written"
        assert reader.record(3).message == "record 4" and reader.record(3).line == 4  # one line, not two
        with open(log, "a") as raw:
            raw.write("2026-01-01 00:00:02,000 1 test INFO record 5 is being written")
        assert follower.poll() == 0  # just written: its end may be coming
        left_a_while_ago(log)
        assert follower.poll() == 1
        assert numbers(pipeline) == [1, 2, 3, 4, 5] and RecordReader(pipeline).record(4).line == 5


def test_a_traceback_read_in_two_polls_stays_one_record(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log)) as logger:
        logger.info("record 1")
        with following(log) as (pipeline, follower):
            with open(log, "a") as raw:
                raw.write("2026-01-01 00:00:00,000 1 test ERROR record 2\nTraceback (most recent call last):\n")
                raw.flush()
                follower.poll()
                raw.write('  File "x.py", line 1, in <module>\nValueError: late\n')
            assert follower.poll() == 1  # no record added, one grown: views must draw it again
            assert numbers(pipeline) == [1, 2]
            assert RecordReader(pipeline).record(1).message.endswith("ValueError: late")


def test_rename_rotation_is_followed_and_its_copies_are_not_read_again(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    with file_logger(rotating(log, 400, 50, compress=False)) as logger:
        logger.info("record 1")
        with following(log, patterns=(str(tmp_path / "app.log*"),)) as (pipeline, follower):
            for number in range(2, 200):
                logger.info("record %d", number)
                if number % 7 == 0:
                    follower.poll()
            follower.poll()
            assert len(list(tmp_path.glob("app.log.*"))) > 20
            assert numbers(pipeline) == list(range(1, 200))


def test_gzip_rotations_between_two_polls_are_read_from_their_copies(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    with file_logger(rotating(log, 400, 100, compress=True)) as logger:
        logger.info("record 1")
        with following(log) as (pipeline, follower):
            for number in range(2, 300):
                logger.info("record %d", number)
                if number % 60 == 0:
                    follower.poll()  # about ten rotations since the last poll
            follower.poll()
            assert numbers(pipeline) == list(range(1, 300))
            # One descriptor for the archive, however many files were read.
            assert all(source.status in (Status.DONE, Status.FOLLOWING) for source in pipeline.timeline.sources)


def test_copies_that_existed_before_following_are_not_read(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    with file_logger(rotating(log, 400, 100, compress=True)) as logger:
        for number in range(1, 40):
            logger.info("old %d", number)
        (tmp_path / "app.log").unlink()
        logger.handlers[0].close()  # type: ignore[attr-defined]
    with file_logger(rotating(log, 400, 100, compress=True)) as logger:
        logger.info("record 1")
        with following(log) as (pipeline, follower):
            for number in range(2, 60):
                logger.info("record %d", number)
            follower.poll()
            assert numbers(pipeline) == list(range(1, 60))


def test_copytruncate_restarts_at_the_top_and_keeps_the_old_text_from_the_copy(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log)) as logger:
        for number in range(1, 4):
            logger.info("record %d", number)
        with following(log) as (pipeline, follower):
            logger.info("record 4")
            follower.poll()
            shutil.copyfile(log, tmp_path / "app.log.1")  # logrotate's copytruncate
            with open(log, "r+") as raw:
                raw.truncate(0)
            logger.info("record 5")
            follower.poll()
            assert numbers(pipeline) == [1, 2, 3, 4, 5]


def test_truncation_without_a_copy_is_reported(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log)) as logger:
        for number in range(1, 4):
            logger.info("record %d", number)
        with following(log) as (pipeline, follower):
            with open(log, "r+") as raw:
                raw.truncate(0)
            logger.info("record 4 after the truncation, longer than what was there before it, by far")
            follower.poll()
            assert numbers(pipeline)[-1] == 4
            assert any("truncated" in message for message in follower.messages)


def test_a_file_deleted_and_created_again_is_followed_again(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log)) as logger:
        logger.info("record 1")
    with following(log) as (pipeline, follower):
        log.unlink()
        follower.poll()
        assert follower.poll() == 0
        with file_logger(logging.FileHandler(log)) as logger:
            logger.info("record 2")
            follower.poll()
            assert numbers(pipeline) == [1, 2]


def test_a_glob_picks_up_files_that_match_it_later(tmp_path: Path) -> None:
    first = tmp_path / "worker-1.log"
    with file_logger(logging.FileHandler(first)) as logger:
        logger.info("record 1")
    with following(first, patterns=(str(tmp_path / "worker-*.log"),)) as (pipeline, follower):
        with file_logger(logging.FileHandler(tmp_path / "worker-2.log"), name="second") as logger:
            logger.info("record 2")
            follower.poll()
            logger.info("record 3")
            follower.poll()
        assert sorted(numbers(pipeline)) == [1, 2, 3]
        assert str(tmp_path / "worker-2.log") in follower.followed


def test_a_missing_file_is_waited_for_and_followed_from_its_start_once_it_appears(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    with following(log) as (pipeline, follower):
        assert pipeline.errors == [f"{log}: no such file (waiting for it to appear)"]
        assert follower.poll() == 0
        assert str(tmp_path) in follower.directories()
        with file_logger(logging.FileHandler(log)) as logger:
            logger.info("record 1")
            logger.info("record 2")
            assert follower.poll() == 2
            assert follower.messages == [f"{log}: appeared; following it"]
            assert pipeline.errors == []
            logger.info("record 3")
            follower.poll()
        # Through a rotation, as any followed file: the copy is not read again.
        os.rename(log, f"{log}.1")
        with file_logger(logging.FileHandler(log)) as logger:
            logger.info("record 4")
            follower.poll()
        assert numbers(pipeline) == [1, 2, 3, 4]
        assert follower.messages == [f"{log}: appeared; following it"]
        # The file became the source that waited for it: one source, not an error and a file.
        first = pipeline.timeline.sources[0]
        assert (first.name, first.records, first.errors) == (str(log), 3, [])


def test_a_missing_file_is_not_waited_for_without_following(tmp_path: Path) -> None:
    missing = tmp_path / "app.log"
    printed = Pipeline()
    printed.load([str(missing)])
    assert printed.errors == [f"{missing}: no such file"]


def test_a_file_in_a_missing_directory_is_waited_for_from_the_nearest_directory_that_exists(tmp_path: Path) -> None:
    """As tail -F retries: the directories are made, then the file, and it is read from its start."""
    nowhere = tmp_path / "logs" / "today" / "app.log"
    with following(nowhere) as (pipeline, follower):
        assert pipeline.errors == [f"{nowhere}: no such file (waiting for it to appear)"]
        assert follower.directories() == {str(tmp_path)}
        (tmp_path / "logs").mkdir()
        assert follower.poll() == 0
        assert follower.directories() == {str(tmp_path / "logs")}
        (tmp_path / "logs" / "today").mkdir()
        with file_logger(logging.FileHandler(nowhere)) as logger:
            logger.info("record 1")
            assert follower.poll() == 1
            assert follower.directories() == {str(tmp_path / "logs" / "today")}
            logger.info("record 2")
            follower.poll()
        assert numbers(pipeline) == [1, 2]
        assert pipeline.errors == []
        assert follower.messages == [f"{nowhere}: appeared; following it"]


def test_a_glob_in_a_missing_directory_is_watched_from_the_nearest_directory_that_exists(tmp_path: Path) -> None:
    pattern = str(tmp_path / "logs" / "*.log")
    with following(patterns=(pattern,)) as (pipeline, follower):
        assert follower.directories() == {str(tmp_path)}
        (tmp_path / "logs").mkdir()
        with file_logger(logging.FileHandler(tmp_path / "logs" / "worker-1.log")) as logger:
            logger.info("record 1")
            follower.poll()
            logger.info("record 2")
            follower.poll()
        assert numbers(pipeline) == [1, 2]
        assert follower.directories() == {str(tmp_path / "logs")}


def test_a_path_through_a_file_is_not_waited_for(tmp_path: Path) -> None:
    """A file cannot become a directory: ``app.log/x.log`` stays an error, as ``tail -F`` says it is not a directory."""
    (tmp_path / "app.log").touch()
    through = tmp_path / "app.log" / "x.log"
    with following(through) as (pipeline, follower):
        assert pipeline.errors == [f"{through}: Not a directory"]
        assert follower.followed == {}


def test_timed_rotation_is_followed(tmp_path: Path) -> None:
    """A new second's file every other record, and a poll every third: files rotate between two polls."""
    log = tmp_path / "app.log"
    handler = logging.handlers.TimedRotatingFileHandler(log, when="S", interval=1, backupCount=20)
    with file_logger(handler, fmt=STANDARD) as logger:
        logger.info("record 1")
        with following(log) as (pipeline, follower):
            for number in range(2, 8):
                if number % 2 == 0:
                    wait_for_rollover_time(handler)
                logger.info("record %d", number)
                if number % 3 == 0:
                    follower.poll()
            follower.poll()
            assert len(os.listdir(tmp_path)) > 2
            assert numbers(pipeline) == list(range(1, 8))


def test_records_that_arrive_live_are_merged_into_the_timeline_order(tmp_path: Path) -> None:
    """The order kept up poll by poll is the order a full merge of everything finds."""
    first, second = tmp_path / "worker-1.log", tmp_path / "worker-2.log"
    write_records(first, [record(1000.0 + 0.010 * n, f"record {n}", process=1) for n in range(0, 40, 2)])
    write_records(second, [record(1000.0 + 0.010 * n, f"record {n}", process=2) for n in range(1, 40, 2)])
    with following(first, second) as (pipeline, follower):
        timeline = pipeline.timeline
        for step in range(5):
            base = 40 + 10 * step
            # worker-2's records of this step are polled first, then worker-1's earlier ones.
            write_records(second, [record(1000.0 + 0.010 * n, f"record {n}", process=2) for n in range(base + 1, base + 10, 2)], mode="a")
            follower.poll()
            timeline.merge_appended()
            write_records(first, [record(1000.0 + 0.010 * n, f"record {n}", process=1) for n in range(base, base + 10, 2)], mode="a")
            follower.poll()
            timeline.merge_appended()
        live_order = timeline.positions()
        timeline.merge()
        assert np.array_equal(live_order, timeline.positions())
        reader = RecordReader(pipeline)
        assert [int(NUMBER.search(r.message)[1]) for r in reader.records(live_order)] == list(range(90))  # type: ignore[index]


def test_a_search_kept_current_searches_only_what_was_added_and_finds_what_a_new_search_finds(tmp_path: Path) -> None:
    log, other = tmp_path / "app.log", tmp_path / "other.log"
    with file_logger(logging.FileHandler(log)) as logger, file_logger(logging.FileHandler(other), name="other") as second:
        for number in range(5):
            logger.info("record %d needle" if number % 2 else "record %d", number)
        second.info("record 100 needle")
        with following(log, other) as (pipeline, follower):
            kept = text_hits(pipeline, "needle|Boom")
            assert kept.mask.tolist() == text_hits(pipeline, "needle|Boom").mask.tolist()
            for number in range(5, 9):
                logger.info("record %d needle" if number % 2 else "record %d", number)
            second.info("record 101")
            with open(log, "a") as raw:  # a traceback whose last lines come in the next poll
                raw.write("2099-01-01 00:00:00,000 1 test ERROR record 9 failed\nTraceback (most recent call last):\n")
            assert follower.poll() > 0
            kept = text_hits(pipeline, "needle|Boom", since=kept)
            assert kept.mask.tolist() == text_hits(pipeline, "needle|Boom").mask.tolist()
            with open(log, "a") as raw:
                raw.write('  File "x.py", line 1, in <module>\nValueError: Boom\n')
            follower.poll()
            searched = dict(kept.searched)
            kept = text_hits(pipeline, "needle|Boom", since=kept)
            fresh = text_hits(pipeline, "needle|Boom").mask
            assert kept.mask.tolist() == fresh.tolist()
            assert int(fresh.sum()) == 6  # records 1, 3, 5, 7 and 100, and record 9 by its traceback's last line
            assert all(kept.searched[source] >= end for source, end in searched.items())


class RotatingWhileLooked:
    """The writer rotates while the follower looks at the rotated copies: at its ``at``-th look, ``bursts`` times.

    A look is an opening or a stat of a name of the rotation set other than
    the followed path, the follower's only ways of seeing the copies; the
    rotations happen between that look and the next, as when the writer (a
    process of its own) rotates in the middle of a poll.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, log: Path, write: Callable[[int], None]) -> None:
        self.log, self.write = str(log), write
        self.looks = 0
        self.at: int | None = None
        self.bursts = 0
        real_open, real_identity_at = open, follow.identity_at

        def looking_open(name: str, *arguments: Any, **keywords: Any) -> Any:
            self._look(name)
            return real_open(name, *arguments, **keywords)

        def looking_identity_at(name: str) -> Any:
            self._look(name)
            return real_identity_at(name)

        for module in (follow, numbered_copies, rotated_copies):
            monkeypatch.setattr(module, "open", looking_open, raising=False)
        for module in (follow, numbered_copies):
            monkeypatch.setattr(module, "identity_at", looking_identity_at)

    def arm(self, at: int, bursts: int) -> None:
        self.looks, self.at, self.bursts = 0, at, bursts

    def _look(self, name: str) -> None:
        if self.at is None or not str(name).startswith(self.log + "."):
            return
        self.looks += 1
        if self.looks == self.at:
            self.at = None
            self.write(RECORDS_PER_ROTATION * self.bursts)


class NumberedRecords:
    """Writes ``record 1``, ``record 2``, … through ``logger``; ``written`` is the last number written."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger
        self.written = 0

    def write(self, count: int = 1) -> None:
        for _ in range(count):
            self.written += 1
            self.logger.info("record %d", self.written)

    def until_rotated(self, rotations: Callable[[], int]) -> None:
        """Write records until the writer's count of rotations moves on: a file filled and rotated."""
        before = rotations()
        while rotations() == before:
            self.write()


#: Records that fill a 400-byte file of the rotating handler below at least once.
RECORDS_PER_ROTATION = 7

#: (backupCount, look, rotations): many copies kept; or so few that the writer deletes the copies while they are read.
DURING_THE_POLL = [(backups, at, bursts) for backups in (100, 8) for at in range(1, 41, 2) for bursts in (1, 4)]


@pytest.mark.parametrize(("backups", "at", "bursts"), DURING_THE_POLL)
def test_copies_read_in_order_when_the_writer_rotates_during_the_poll(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backups: int, at: int, bursts: int
) -> None:
    """Whenever in a poll the writer rotates, once or many times, each record is read once and in order.

    With eight copies kept, the writer deletes some before the poll opens
    them: those records are gone from the disk, and a message says so.
    """
    log = tmp_path / "app.log"
    with file_logger(rotating(log, 400, backups, compress=True)) as logger:
        records = NumberedRecords(logger)
        records.write()
        with following(log) as (pipeline, follower):
            looks = RotatingWhileLooked(monkeypatch, log, records.write)
            records.write(25)  # about five files come and go before the poll
            looks.arm(at, bursts)
            follower.poll()
            looks.arm(0, 0)
            records.write(20)
            follower.poll()
            follower.poll()
            read = numbers(pipeline)
            assert read == sorted(set(read)), "each record read once, in order"
            if backups == 100:
                assert read == list(range(1, records.written + 1))
                assert follower.messages == []
            else:
                # The writer deleted copies before the poll could open one: what it took is said, what is left read.
                missing = sorted(set(range(1, records.written + 1)) - set(read))
                assert not missing or any("deleted before logview could read" in message for message in follower.messages), missing
                assert read[-20:] == list(range(records.written - 19, records.written + 1))


class GzipCopyFinishedWhileLooked:
    """The cookbook's gzip rotator, caught between making the copy and finishing it, while the follower polls.

    ``gzip.open(dest, "wb")`` makes the copy empty (its header is buffered),
    and the compressed text is written when it closes: meanwhile the
    follower may look at the copy several times. Here the copy is finished
    right after the follower's ``at``-th look at its content (its size, time
    and first bytes: ``rotated_copies.file_key``), as when the writer (a process of
    its own) closes it between two of the follower's looks.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, at: int) -> None:
        self.at = at
        self.armed = False
        self.rotations = 0
        self.follower: Follower | None = None
        self._copy: tuple[str, bytes, Identity] | None = None
        self._looks = 0
        real_file_key = rotated_copies.file_key

        def looking_file_key(handle: Any) -> Any:
            key = real_file_key(handle)
            if self._copy is not None and key[0] == self._copy[2]:
                self._looks += 1
                if self._looks == self.at:
                    self._finish()
            return key

        for module in (follow, rotated_copies):
            monkeypatch.setattr(module, "file_key", looking_file_key)

    def rotate(self, source: str, dest: str) -> None:
        self.rotations += 1
        if not self.armed:
            gzip_rotator(source, dest)
            return
        self.armed = False
        with open(source, "rb") as text:
            data = text.read()
        Path(dest).touch()
        identity = follow.identity_at(dest)
        assert identity is not None and self.follower is not None
        self._copy = (dest, data, identity)
        self.follower.poll()
        self._finish()
        os.remove(source)

    def _finish(self) -> None:
        if self._copy is not None:
            dest, data, _identity = self._copy
            self._copy = None
            with gzip.open(dest, "wb") as compressed:  # the same file, written whole
                compressed.write(data)


@pytest.mark.parametrize("at", [1, 2, 3, 4, 5])
def test_a_file_whose_gzip_copy_is_finished_while_the_poll_looks_at_it_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at: int
) -> None:
    """The file just grabbed is being compressed when the poll reads the copies missed before it.

    Its copy, empty at one look and whole at the next, was taken for an
    older file missed: read as one, then the file itself, its records twice
    (tests/live/test_follow_print.py, gzip rotations, once in a whole suite).
    """
    log = tmp_path / "app.log"
    rotation = GzipCopyFinishedWhileLooked(monkeypatch, at)
    handler = rotating(log, 400, 100, compress=True)
    handler.rotator = rotation.rotate
    with file_logger(handler) as logger:
        records = NumberedRecords(logger)
        records.write()
        with following(log) as (pipeline, follower):
            rotation.follower = follower
            follower.poll()
            records.until_rotated(lambda: rotation.rotations)  # a new file, not polled yet, filled until its rotation:
            rotation.armed = True
            records.until_rotated(lambda: rotation.rotations)  # its copy is finished during the poll made in the middle of it
            records.write(3)
            follower.poll()
            follower.poll()
            assert numbers(pipeline) == list(range(1, records.written + 1))
            assert follower.messages == []


def test_a_file_rotated_away_before_anything_of_it_was_read_comes_before_the_files_after_it(tmp_path: Path) -> None:
    """The file followed, still empty, is filled and rotated, and two files after it, before a poll.

    The poll comes between the rotator's removal of the last file and the
    handler's making of the next: no new file at the path. The copies were
    taken for copies that copytruncate made of the file before emptying it
    (its own was deleted: two are kept), and read before it, with a message
    saying that records may have been lost.
    """
    log = tmp_path / "app.log"
    handler = rotating(log, 400, 2, compress=True)
    armed = False
    rotations = 0
    with file_logger(handler) as logger, following(log) as (pipeline, follower):

        def rotate(source: str, dest: str) -> None:
            nonlocal rotations
            rotations += 1
            gzip_rotator(source, dest)
            if armed:
                follower.poll()  # after the file is removed, before the handler makes the next

        handler.rotator = rotate
        records = NumberedRecords(logger)
        records.until_rotated(lambda: rotations)
        records.until_rotated(lambda: rotations)
        armed = True
        records.until_rotated(lambda: rotations)
        armed = False
        records.write(3)
        follower.poll()
        follower.poll()
        assert numbers(pipeline) == list(range(1, records.written + 1))
        assert not any("copytruncate" in message for message in follower.messages), follower.messages


def copy_and_truncate(log: Path, backups: int = 3) -> None:
    """What logrotate's copytruncate does: shift the copies, copy the file to ``LOG.1``, empty it in place."""
    for older in range(backups - 1, 0, -1):
        if os.path.exists(f"{log}.{older}"):
            os.replace(f"{log}.{older}", f"{log}.{older + 1}")
    shutil.copyfile(log, f"{log}.1")
    with open(log, "r+b") as emptied:
        emptied.truncate(0)


def test_copytruncate_reads_from_the_copy_what_was_written_after_the_last_poll(tmp_path: Path) -> None:
    """The records written between the last poll and the copy are in the copy alone: read from it, before the file's new top."""
    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log)) as logger:
        logger.info("record 1")
        with following(log) as (pipeline, follower):
            logger.info("record 2")
            follower.poll()
            logger.info("record 3")
            logger.info("record 4")
            copy_and_truncate(log)
            logger.info("record 5")
            follower.poll()
            logger.info("record 6")
            follower.poll()
            assert numbers(pipeline) == [1, 2, 3, 4, 5, 6]
            # Whether the writer wrote between the copy and the emptying cannot be known: the window is said.
            assert len(follower.messages) == 1
            assert "emptied after a copy was made (copytruncate)" in follower.messages[0]


def test_copytruncate_twice_between_two_polls_reads_both_copies_in_order(tmp_path: Path) -> None:
    """Emptied again before a poll: the second copy holds records never seen in the file; the first, the rest of what was read."""
    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log)) as logger:
        logger.info("record 1")
        with following(log) as (pipeline, follower):
            logger.info("record 2")
            copy_and_truncate(log)
            logger.info("record 3")
            copy_and_truncate(log)
            logger.info("record 4")
            follower.poll()
            assert numbers(pipeline) == [1, 2, 3, 4]


def test_a_copy_still_being_made_of_the_text_now_in_the_file_is_not_read_as_an_older_one(tmp_path: Path) -> None:
    """The poll sees the file emptied while copytruncate is already copying its new text: that copy is not yet a text emptied.

    Read then as one, its first part came before the file's own records and
    again with them, and a copy read in part was later taken for read whole:
    the rest of its text was never printed (a loaded machine lost one period
    of records this way).
    """
    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log)) as logger:
        logger.info("record 1")
        with following(log) as (pipeline, follower):
            follower.poll()
            logger.info("record 2")
            copy_and_truncate(log)
            logger.info("record 3")
            logger.info("record 4")
            # The next copytruncate has begun: the copies shifted, LOG.1 holds the first line of the file's text so far.
            os.replace(f"{log}.1", f"{log}.2")
            Path(f"{log}.1").write_bytes(log.read_bytes().split(b"\n")[0] + b"\n")
            follower.poll()
            shutil.copyfile(log, f"{log}.1")
            with open(log, "r+b") as emptied:
                emptied.truncate(0)
            logger.info("record 5")
            follower.poll()
            follower.poll()
            assert numbers(pipeline) == [1, 2, 3, 4, 5], follower.messages
            assert not any("no copy of it found" in message for message in follower.messages), follower.messages


def test_copytruncate_of_a_file_nothing_was_read_of_yet_reads_the_copy(tmp_path: Path) -> None:
    """Emptied after a poll that found it empty: nothing shows the truncation (same inode, nothing read) but the new copy."""
    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log)) as logger:
        logger.info("record 1")
        with following(log) as (pipeline, follower):
            copy_and_truncate(log)
            follower.poll()
            logger.info("record 2")
            logger.info("record 3")
            copy_and_truncate(log)
            logger.info("record 4")
            follower.poll()
            assert numbers(pipeline) == [1, 2, 3, 4]


def test_records_read_before_copytruncate_keep_their_text_until_the_emptying_is_seen(tmp_path: Path) -> None:
    """Printed after the poll that read them: by then the file's offsets may hold the new text, or nothing."""
    log = tmp_path / "app.log"
    log.touch()
    with file_logger(logging.FileHandler(log)) as logger, following(log) as (pipeline, follower):
        for number in range(1, 6):
            logger.info("record %d", number)
        follower.poll()
        copy_and_truncate(log)
        for number in range(6, 20):
            logger.info("record %d", number)
        assert numbers(pipeline) == [1, 2, 3, 4, 5]  # read back before the next poll sees the emptying
        follower.poll()
        assert numbers(pipeline) == list(range(1, 20))


def test_a_live_input_keeps_no_byte_read_after_its_file_was_emptied(tmp_path: Path) -> None:
    """The read that follows an emptying (between the poll's look and its read) gives nothing: those bytes are another text's."""
    log = tmp_path / "app.log"
    log.touch()
    with file_logger(logging.FileHandler(log)) as logger, following(log) as (_pipeline, follower):
        live = follower.followed[str(log)].live
        assert live is not None
        logger.info("record 1")
        first = live.input.read(0, 4096)
        assert b"record 1" in first
        with open(log, "r+b") as emptied:
            emptied.truncate(0)
        for number in range(2, 9):
            logger.info("record %d", number)
        assert live.input.read(len(first), 4096) == b""
        assert live.input.read(0, len(first)) == first
        assert live.input.emptied()


#: Copies kept by the writer of the tests below: a file is deleted by the fourth rotation after the one that made it.
KEPT = 3
#: Milliseconds a slow writer takes to fill a file: many ticks of the file system's clock, as a fast one takes one.
SLOW_MS = 60


class PlacedRotations:
    """RotatingFileHandler's own renames (``backupCount`` of KEPT), counted, and a poll placed in the middle of one.

    The handler deletes the oldest copy, renames the others up one number,
    then the file (its rotator): ``deleting`` runs once the oldest copy is
    deleted, ``renaming`` once the copies are renamed, as the writer (a
    process of its own) may be stopped there while a poll looks. The
    handler's namer is called just before it deletes the oldest copy: the
    deletion is made there, then ``deleting``, and the handler finds nothing
    left to delete. ``starts`` holds the first record of each file, the file
    made by the n-th rotation at n.
    """

    def __init__(self, handler: logging.handlers.RotatingFileHandler, records: NumberedRecords) -> None:
        self.oldest = f"{handler.baseFilename}.{KEPT}"
        self.records = records
        self.count = 0
        self.starts = [1]
        self.deleting: Callable[[], object] | None = None
        self.renaming: Callable[[], object] | None = None
        handler.namer, handler.rotator = self.name, self.rotate

    def name(self, default: str) -> str:
        if default == self.oldest and self.deleting is not None and os.path.exists(default):
            deleting, self.deleting = self.deleting, None
            os.remove(default)
            deleting()
        return default

    def rotate(self, source: str, dest: str) -> None:
        self.count += 1
        self.starts.append(self.records.written)  # the record being written goes to the next file
        if self.renaming is not None:
            renaming, self.renaming = self.renaming, None
            renaming()
        os.rename(source, dest)

    def records_of(self, files: range) -> set[int]:
        """The records written to the files made by those rotations."""
        return set(range(self.starts[files.start], self.starts[files.stop])) if files else set()


def fill(records: NumberedRecords, rotations: PlacedRotations, log: Path, slow: bool) -> None:
    """Write records until the file at ``log`` is rotated; then until the file system's clock has moved on.

    ``slow``: the file is filled over SLOW_MS (what is awaited is time
    itself, the writer's pace being what the follower must not rely on).
    Each file is last written in a tick of its own, after the rotation
    before it, as a writer that formats records between two writes is on
    any clock.
    """
    if slow:
        begun = time.time_ns()
        wait_until(lambda: time.time_ns() >= begun + SLOW_MS * 1_000_000, f"{SLOW_MS} ms, a slow writer's file")
    records.until_rotated(lambda: rotations.count)
    rotated_at = os.stat(f"{log}.1").st_ctime_ns
    probe = log.with_name("clock")

    def ticked() -> bool:
        with open(probe, "ab") as clock:
            clock.write(b".")
        return probe.stat().st_mtime_ns > rotated_at

    wait_until(ticked, "the file system's clock past the rotation")


#: (rotations between two polls, the files they delete unread), with three copies kept.
BETWEEN_TWO_POLLS = [(4, 0), (5, 1), (6, 2), (7, 3)]
#: The count in a line that says files were deleted unread: ``about`` when it is at least this many, estimated.
DELETED_UNREAD = re.compile(r": (about )?(\d+) rotated files? \(")


@pytest.mark.parametrize(("rotations_unread", "deleted"), BETWEEN_TWO_POLLS)
@pytest.mark.parametrize("poll", ["after", "deleting", "renaming"])
@pytest.mark.parametrize("pace", ["slow-then-fast", "fast-then-slow"])
def test_files_deleted_before_a_poll_are_counted_whatever_the_pace_of_the_writer(
    tmp_path: Path, rotations_unread: int, deleted: int, poll: str, pace: str
) -> None:
    """The file read last is deleted before the next poll: the files deleted unread after it are counted, not guessed.

    Counting them from the files' times alone (how often the writer
    rotates) cannot tell none from one when the writer's pace changes: a
    file filled fast went unsaid (slow then fast), a file filled slowly was
    said to hide one deleted (fast then slow), as in the live test's
    RotatingFileHandler at full speed (tests/live/test_follow_print.py, one
    run in twenty-five). The poll comes after the last rotation, or in its
    middle: the oldest copy deleted and the others not renamed yet, or the
    copies renamed and the file written before them not yet. When every
    copy left was written after the deletion, more may have been deleted
    before them: at least that many are said.
    """
    log = tmp_path / "app.log"
    handler = rotating(log, 400, KEPT, compress=False)
    with file_logger(handler) as logger:
        records = NumberedRecords(logger)
        rotations = PlacedRotations(handler, records)
        records.write()
        with following(log) as (pipeline, follower):
            for _file in range(8):  # read as they come: the pace the follower knows the writer by
                fill(records, rotations, log, slow=pace == "slow-then-fast")
                follower.poll()
            last_read = rotations.count  # the file at the path, which the poll took
            for file in range(last_read, last_read + rotations_unread):
                if file == last_read + rotations_unread - 1:  # the last rotation before the poll
                    rotations.deleting = follower.poll if poll == "deleting" else None
                    rotations.renaming = follower.poll if poll == "renaming" else None
                fill(records, rotations, log, slow=pace == "fast-then-slow" and file == last_read + 1)
            records.write(3)
            follower.poll()
            follower.poll()
            lost = rotations.records_of(range(last_read + 1, last_read + 1 + deleted))
            assert numbers(pipeline) == [number for number in range(1, records.written + 1) if number not in lost]
            if not deleted:
                assert follower.messages == []
                return
            assert len(follower.messages) == 1, follower.messages
            said = DELETED_UNREAD.search(follower.messages[0])
            assert said is not None, follower.messages
            if deleted < KEPT:
                assert (said[1], int(said[2])) == (None, deleted), follower.messages  # counted: one is left of those written before
            else:
                assert said[1] and int(said[2]) >= deleted, follower.messages  # each copy written since: at least that many
