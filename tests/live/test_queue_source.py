"""Records from worker processes through a multiprocessing queue, drained into the timeline."""

from __future__ import annotations

import logging
import logging.handlers
import multiprocessing
import queue
import re
import threading
from pathlib import Path

from logview.core.pipeline import Pipeline
from logview.core.queue_source import QueueSource
from logview.core.records import RecordReader
from logview.ui.app import LogViewApp
from tests.functional.test_app import SIZE, screen_text, settled, wait_for
from tests.live.queue_workers import log_numbered
from tests.unit.logfiles import record, write_records

NUMBERED = re.compile(r"worker (\d+) record (\d+)")


def test_records_of_several_processes_keep_their_fields_and_tracebacks() -> None:
    log_queue: multiprocessing.Queue = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=log_numbered, args=(log_queue, number, 500), name=f"Worker-{number}") for number in range(3)]
    for worker in workers:
        worker.start()
    pipeline = Pipeline()
    source = QueueSource(log_queue, pipeline)
    stop = threading.Event()
    drained = threading.Thread(target=source.run, args=(stop, lambda added: None))
    drained.start()
    for worker in workers:
        worker.join(30)
    log_queue.put(None)  # QueueListener's sentinel: the source stops
    drained.join(30)
    assert source.ended and not drained.is_alive()
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
