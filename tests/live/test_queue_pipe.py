"""Reading a multiprocessing queue's pipe many records at a time, as ``get`` would one by one."""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable
from typing import Any

from logview.core.sources.queue_pipe import READ_BYTES, PipeReader, pipe_reader
from tests.live.queue_workers import log_numbered


def put_numbered(log_queue: Any, worker: int, count: int) -> None:
    """Put ``count`` records on the queue with a blocking put: a bounded queue makes it wait for the reader."""
    for number in range(count):
        log_queue.put(logging.makeLogRecord({"msg": f"worker {worker} record {number}", "process": os.getpid()}))


def read_until(reader: PipeReader, count: int, seconds: float = 60) -> tuple[list[Any], int]:
    """At least ``count`` records and the reads it took; fails after ``seconds`` rather than hang."""
    taken: list[Any] = []
    reads = 0

    def read() -> None:
        nonlocal reads
        while len(taken) < count:
            taken.extend(reader.records())
            reads += 1

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{len(taken)} of {count} records read"
    return taken, reads


def read_from_workers(log_queue: Any, target: Callable[[Any, int, int], None], each: int) -> tuple[dict[int, list[str]], int]:
    """Two worker processes running ``target``; the first lines of their records' messages by worker, and the reads it took."""
    workers = [multiprocessing.Process(target=target, args=(log_queue, number, each)) for number in range(2)]
    for worker in workers:
        worker.start()
    reader = pipe_reader(log_queue)
    assert reader is not None
    taken, reads = read_until(reader, 2 * each)
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    by_worker = {
        number: [record.getMessage().split("\n")[0] for record in taken if record.process == worker.pid]
        for number, worker in enumerate(workers)
    }
    return by_worker, reads


def test_records_of_a_bounded_queue_come_whole_and_in_order_and_free_its_writers() -> None:
    # A bounded queue: its writers wait on the semaphore that each record taken releases.
    by_worker, reads = read_from_workers(multiprocessing.Queue(maxsize=50), put_numbered, 3000)
    assert reads < 6000  # many records to a read
    for number, messages in by_worker.items():
        assert messages == [f"worker {number} record {n}" for n in range(3000)]


def test_records_logged_through_queue_handlers_by_several_processes() -> None:
    by_worker, _ = read_from_workers(multiprocessing.Queue(), log_numbered, 1000)
    for number, messages in by_worker.items():
        assert messages == [f"worker {number} record {n}" for n in range(1000)]


def test_a_record_larger_than_one_read_waits_for_its_end_and_the_sentinel_comes_through() -> None:
    log_queue: multiprocessing.Queue = multiprocessing.Queue()
    big = logging.makeLogRecord({"msg": "x" * (READ_BYTES * 2 + 17)})
    log_queue.put(big)
    log_queue.put(logging.makeLogRecord({"msg": "after"}))
    log_queue.put(None)
    reader = pipe_reader(log_queue)
    assert reader is not None
    taken, _ = read_until(reader, 3)
    assert [getattr(item, "msg", item) for item in taken] == [big.msg, "after", None]


def test_other_queues_are_read_with_get() -> None:
    assert pipe_reader(queue.Queue()) is None
    manager = multiprocessing.Manager()
    try:
        assert pipe_reader(manager.Queue()) is None
    finally:
        manager.shutdown()


def test_a_closed_pipe_ends_the_reading() -> None:
    log_queue: multiprocessing.Queue = multiprocessing.Queue()
    reader = pipe_reader(log_queue)
    assert reader is not None
    log_queue._writer.close()  # every writer gone: the pipe's end is read  # noqa: SLF001
    failed: list[BaseException] = []

    def read() -> None:
        try:
            reader.records()
        except EOFError as error:
            failed.append(error)

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(10)
    assert failed and "closed" in str(failed[0])
