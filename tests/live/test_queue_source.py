"""Records from worker processes through a multiprocessing queue, drained into the timeline."""

from __future__ import annotations

import logging
import logging.handlers
import multiprocessing
import queue
import re
import sys
from pathlib import Path

from logview.core.index.status import Status
from logview.core.pipeline import Pipeline
from logview.core.records import RecordReader
from logview.core.sources.queue import SENTINEL, QueueSource
from logview.ui.app import LogViewApp
from logview.ui.widgets.pid_pane import PidPane
from tests.functional.driving import SIZE, screen_text, settled, wait_for
from tests.live.queue_workers import log_numbered
from tests.unit.logfiles import record, write_records

NUMBERED = re.compile(r"worker (\d+) record (\d+)")


def test_records_of_several_processes_keep_their_fields_and_tracebacks() -> None:
    log_queue: multiprocessing.Queue = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=log_numbered, args=(log_queue, number, 500), name=f"Worker-{number}") for number in range(3)]
    for worker in workers:
        worker.start()
    pipeline = Pipeline()
    source = QueueSource(log_queue)
    drained = pipeline.start([source])
    for worker in workers:
        worker.join(30)
    log_queue.put(None)  # QueueListener's sentinel: the source stops
    assert drained.wait(30) and source.ended
    records = list(RecordReader(pipeline).records(list(range(len(pipeline.timeline)))))
    assert len(records) == 1500
    seen: dict[int, list[int]] = {}
    for item in records:
        found = NUMBERED.search(item.message)
        assert found, item.message
        worker, number = int(found[1]), int(found[2])
        seen.setdefault(worker, []).append(number)
        assert item.pid == workers[worker].pid
        assert item.fields["processName"] == f"Worker-{worker}"
        assert item.logger == ("myapp", "myapp.lib1", "myapp.lib2")[number % 3]
        if number % 100 == 99:
            assert item.level == "ERROR"
            assert item.message.endswith(f"RuntimeError: worker {worker} failed at {number}")
            assert "Traceback (most recent call last):" in item.message
        else:
            assert item.level == ("DEBUG", "INFO", "WARNING")[number % 3]
    # Each process's records arrive in the order it logged them.
    assert all(numbers == list(range(500)) for numbers in seen.values())
    source.close()


async def test_the_app_shows_a_queue_and_a_file_in_one_timeline(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    write_records(log, [record(1_000_000_000.0, "from the file")])
    log_queue: queue.Queue = queue.Queue()
    logger = logging.getLogger("myapp.queue-test")
    logger.propagate = False
    logger.addHandler(logging.handlers.QueueHandler(log_queue))
    logger.setLevel(logging.INFO)
    app = LogViewApp([str(log)], queues=[log_queue])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("f")
        for number in range(20):
            logger.warning("from the queue %d", number)
        await wait_for(pilot, lambda: len(app.log_pane.selection) == 21)
        await wait_for(pilot, lambda: "from the queue 19" in screen_text(app))
        assert "from the file" in "\n".join(record.message for record in app.reader.records(app.log_pane.selection.to_array()))
        assert app.pipeline.timeline.symbols.loggers.lookup("myapp.queue-test") is not None


def _record(process: int, message: str, **fields: object) -> logging.LogRecord:
    """A record as another process would put it on the queue, with its own pid."""
    made = logging.makeLogRecord({"name": "myapp.worker", "levelno": logging.INFO, "levelname": "INFO", "msg": message, **fields})
    made.process, made.processName = process, f"Worker-{process}"
    return made


async def test_a_process_toggled_off_stays_off_while_live_records_update_the_counts() -> None:
    log_queue: queue.Queue = queue.Queue()
    for number in range(10):
        log_queue.put(_record(7001 + number % 2, f"early {number}"))
    app = LogViewApp([], queues=[log_queue])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        pids = app.query_one(PidPane)

        def prompts() -> list[str]:
            return [str(pids.get_option_at_index(index).prompt) for index in range(pids.option_count)]

        await wait_for(pilot, lambda: prompts() == ["7001 (Worker-7001) (5)", "7002 (Worker-7002) (5)"])
        await pilot.press("p", "down", "space")  # 7002 off
        await wait_for(pilot, lambda: len(app.log_pane.selection) == 5)
        options = [pids.get_option_at_index(index) for index in range(pids.option_count)]
        for number in range(10, 30):
            log_queue.put(_record(7001 + number % 2, f"late {number}"))
        # The counts follow the other panes' filters (none here): 7002's own count grows though it is hidden.
        await wait_for(pilot, lambda: prompts() == ["7001 (Worker-7001) (15)", "7002 (Worker-7002) (15)"])
        assert [pids.get_option_at_index(index) for index in range(pids.option_count)] == options  # replaced in place
        assert [app.pipeline.timeline.symbols.processes.pids[code] for code in pids.selected] == [7001]
        await wait_for(pilot, lambda: len(app.log_pane.selection) == 15)
        assert {record.pid for record in app.reader.records(app.log_pane.selection.to_array())} == {7001}


def test_records_not_prepared_by_queue_handler_get_their_message_and_traceback_formatted() -> None:
    log_queue: queue.Queue = queue.Queue()
    try:
        raise ValueError("bad value")
    except ValueError:
        failure = _record(7001, "failed %s of %d", args=("step", 3), levelno=logging.ERROR, levelname="ERROR")
        failure.exc_info = sys.exc_info()
    unnamed = _record(7002, "no process name")
    unnamed.processName = unnamed.threadName = None  # logging.logMultiprocessing and logThreads off
    wrong = _record(7001, "%d items", args=("many",))
    for item in (failure, unnamed, wrong, SENTINEL):
        log_queue.put(item)
    pipeline = Pipeline()
    source = QueueSource(log_queue)
    pipeline.start([source]).wait()
    first, second, third = RecordReader(pipeline).records([0, 1, 2])
    assert first.level == "ERROR" and first.message.startswith("failed step of 3\nTraceback (most recent call last):")
    assert first.message.endswith("ValueError: bad value")
    assert second.message == "no process name" and second.pid == 7002
    assert third.message.startswith("%d items (arguments ('many',) not formatted:")
    source.close()


def test_something_that_is_not_a_record_stops_the_source_with_its_reason() -> None:
    log_queue: queue.Queue = queue.Queue()
    log_queue.put(_record(7001, "fine"))
    log_queue.put("not a record")
    pipeline = Pipeline()
    source = QueueSource(log_queue)
    pipeline.start([source]).wait()
    assert source.ended
    assert source.status == Status.ERROR
    assert pipeline.errors == ["logging queue: stopped: AttributeError: 'str' object has no attribute 'created'"]


async def test_a_search_counts_and_reaches_the_records_that_arrive_after_it() -> None:
    log_queue: queue.Queue = queue.Queue()
    for number in range(6):
        log_queue.put(_record(7001, f"record {number}" + (" needle" if number % 2 else "")))
    app = LogViewApp([], queues=[log_queue])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await wait_for(pilot, lambda: len(app.log_pane.selection) == 6)
        await pilot.press("g", "slash", *"needle", "enter")
        await wait_for(pilot, lambda: "match 1 of 3" in str(app.query_one("#status").render()))
        cursor = app.log_pane.cursor
        for number in range(6, 10):
            log_queue.put(_record(7001, f"record {number} needle"))
        await wait_for(pilot, lambda: "match 1 of 7" in str(app.query_one("#status").render()))
        assert app.log_pane.cursor == cursor  # live matches do not move the cursor
        await pilot.press("N")  # the previous match, wrapping around: the last record, which came after the search
        assert app.log_pane.cursor == 9
