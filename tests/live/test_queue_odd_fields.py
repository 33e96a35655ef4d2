"""Records put on an in-process logging queue with fields of odd types: shown as they are, and the queue goes on.

A list as a logger's name made the facet look-up fail (unhashable), ``created``
as nan or 1e300 made the time fail, a level name of None made the level
table fail: each stopped the whole queue source, and the records after it
were never shown.
"""

from __future__ import annotations

import logging
import math
import queue
import time

from logview.core.pipeline import Pipeline
from logview.core.records import RecordReader
from logview.core.sources.queue import QueueSource

ODD_FIELDS: list[dict[str, object]] = [
    {"name": ["a", "list"]},
    {"process": "4321"},
    {"process": "not a number", "processName": ("a", "tuple")},
    {"created": math.nan},
    {"created": 1e300},
    {"created": "yesterday"},
    {"levelno": "20"},
    {"levelname": None},
    {"name": "two\nlines\tand a tab", "threadName": 7},
    {"exc_info": 5},
    {"msg": {"a": "dict"}},
    {"msg": "%d items", "args": ("many",)},
]


def _record(message: str, **fields: object) -> logging.LogRecord:
    record = logging.makeLogRecord({"msg": message, "levelno": 20, "levelname": "INFO", "name": "app", "process": 77})
    for name, value in fields.items():
        setattr(record, name, value)
    return record


def test_records_with_fields_of_odd_types_are_shown_and_the_records_after_them_too() -> None:
    log_queue: queue.Queue[logging.LogRecord | None] = queue.Queue()
    for number, fields in enumerate(ODD_FIELDS):
        log_queue.put(_record(f"odd {number}", **fields))
    log_queue.put(_record("after the odd ones"))
    log_queue.put(None)
    pipeline = Pipeline()
    source = QueueSource(log_queue)
    before = time.time()
    try:
        pipeline.start([source]).wait()
        assert source.error is None
        records = list(RecordReader(pipeline).records(range(len(pipeline.timeline))))
    finally:
        source.close()
    assert len(records) == len(ODD_FIELDS) + 1
    by_message = {record.message.split("\n")[0]: record for record in records}
    assert by_message["odd 0"].logger == "['a', 'list']"
    assert by_message["odd 1"].pid == 4321
    assert by_message["odd 2"].pid is None and by_message["odd 2"].fields["processName"] == "('a', 'tuple')"
    # No time that can be shown: the time it was indexed.
    for odd_time in ("odd 3", "odd 4", "odd 5"):
        assert before * 1000 - 1000 <= by_message[odd_time].time <= time.time() * 1000 + 1000
    assert by_message["odd 6"].levelno == 20
    assert by_message["odd 7"].level == "None"
    # One line per name: the spool's lines and fields stay whole.
    assert by_message["odd 8"].logger == "two lines and a tab" and by_message["odd 8"].fields["threadName"] == "7"
    assert by_message["odd 9"].message == "odd 9\n(exc_info 5 is not an exception)"
    assert "{'a': 'dict'}" in by_message
    assert by_message["%d items (arguments ('many',) not formatted: %d format: a real number is required, not str)"].logger == "app"
    last = records[-1]
    assert (last.message, last.logger, last.pid, last.level) == ("after the odd ones", "app", 77, "INFO")
