"""Sources run into one pipeline (Pipeline.start): each reads back its own text, in turn when asked, failures raised where started."""

from __future__ import annotations

import io
import logging
import queue
import threading
from pathlib import Path

import pytest

from logview.core.filters import Filters
from logview.core.index.status import Problem, Status
from logview.core.live_print import PrintedAsTheyCome
from logview.core.pipeline import Pipeline
from logview.core.printer import Printer
from logview.core.records import RecordReader
from logview.core.running_sources import NoEvents
from logview.core.sources.files import FileSource
from logview.core.sources.queue import SENTINEL, QueueSource
from logview.core.sources.source import Source
from tests.live.fifos import fifo_with_watchdog
from tests.unit.logfiles import record, write_records
from tests.waiting import wait_until


def _queued(*messages: str) -> queue.Queue[logging.LogRecord | None]:
    log_queue: queue.Queue[logging.LogRecord | None] = queue.Queue()
    for message in messages:
        log_queue.put(logging.makeLogRecord({"msg": message, "levelno": 20, "levelname": "INFO", "name": "queued"}))
    return log_queue


def test_a_source_registered_while_a_fifo_waits_for_its_writer_reads_back_its_own_text(tmp_path: Path) -> None:
    """The FIFO's input is added first, the queue's while the FIFO waits: each record's text is its own source's."""
    with fifo_with_watchdog(tmp_path / "pipe.log") as pipe:
        pipeline = Pipeline(growing=False)
        log_queue = _queued("from the queue")
        files, queued = FileSource(pipeline, [str(pipe)]), QueueSource(log_queue)
        running = pipeline.start([files, queued])
        try:
            wait_until(
                lambda: len(pipeline.timeline.sources) == 2 and queued.records == 1, "the queue's record indexed while the FIFO waits"
            )
            write_records(pipe, [record(1_700_000_000.0, "from the fifo")])
            log_queue.put(SENTINEL)
            assert running.wait(30)
        finally:
            running.close()
        by_source = {item.source: item.message for item in RecordReader(pipeline).records(list(range(len(pipeline.timeline))))}
        pipeline.close()
    assert by_source == {str(pipe): "from the fifo", "logging queue": "from the queue"}


class _Heard(NoEvents):
    """What the sources told, in order."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def caught_up(self, source: Source) -> None:
        self.said.append(f"caught up: {source.kind}")

    def tell(self, problem: Problem) -> None:
        self.said.append(problem.text)


def test_in_turn_a_source_starts_once_the_one_before_it_caught_up(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    write_records(log, [record(1_700_000_000.0 + number, f"file {number}") for number in range(2000)])
    pipeline = Pipeline()
    heard = _Heard()
    log_queue = _queued("queued", "queued")
    log_queue.put(SENTINEL)
    queued = QueueSource(log_queue)
    seen_by_queue: list[int] = []
    original_run = queued.run

    def run_and_look(sink: object, stop: threading.Event) -> None:
        seen_by_queue.append(len(pipeline.timeline))  # what the files had indexed when the queue started
        original_run(sink, stop)  # type: ignore[arg-type]

    queued.run = run_and_look  # type: ignore[method-assign]
    running = pipeline.start([FileSource(pipeline, [str(log)]), queued], heard, in_turn=True)
    try:
        assert running.wait(30)
    finally:
        running.close()
        pipeline.close()
    assert heard.said == ["caught up: files", "caught up: queue"]
    assert seen_by_queue == [2000]
    assert len(pipeline.timeline) == 2002


class _BrokenOutput(NoEvents):
    def arrived(self, count: int) -> None:
        raise BrokenPipeError("the reader of standard output went away")


def test_what_the_events_raise_is_raised_by_wait_and_stops_the_other_sources() -> None:
    """A closed output (the printer's) ends every source, and the command hears why."""
    pipeline = Pipeline()
    broken, endless = QueueSource(_queued("one", "two")), QueueSource(_queued("never ends"), name="other queue")
    running = pipeline.start([broken, endless], _BrokenOutput())
    try:
        with pytest.raises(BrokenPipeError, match="went away"):
            running.wait(30)
        assert running.stop.is_set() and running.ended
    finally:
        running.close()
        pipeline.close()
    assert Status.ERROR not in (broken.status, endless.status), "the output's failure was taken for a queue's"


def test_a_problem_told_as_it_happens_is_not_said_again_with_the_inputs_errors(capsys: pytest.CaptureFixture[str]) -> None:
    """A queue that meets a non-record tells why it stopped, and the line is its input's error too: said once."""
    log_queue = _queued("fine")
    log_queue.put("not a record")  # type: ignore[arg-type]
    pipeline = Pipeline()
    printing = PrintedAsTheyCome(pipeline, Printer(pipeline, io.BytesIO()), Filters(), "text", live=False)
    running = pipeline.start([QueueSource(log_queue)], printing)
    try:
        assert running.wait(30)
        printing.finish()
    finally:
        running.close()
        pipeline.close()
    stopped = [line for line in capsys.readouterr().err.splitlines() if "stopped: AttributeError" in line]
    assert len(stopped) == 1, stopped
