"""JSON lines as loguru (serialize=True), structlog's JSONRenderer, python-json-logger and ecs-logging write them.

Each library writes real records, nested fields and a traceback included,
into a file; logview must read every record once, with the level, logger,
process and time the library gave it, and find a nested value with --grep.
"""

from __future__ import annotations

import os
from pathlib import Path

import ecs_logging
import pytest
import structlog
from loguru import logger as loguru_logger
from pythonjsonlogger.json import JsonFormatter

from tests.frameworks.loggers import stdlib_logger
from tests.frameworks.reading import moment, printed_records

#: Records' times as the libraries write them: to the millisecond (ECS, logging's asctime), or finer, which the index cuts.
MILLISECOND = 0.001


def log_three(log, **nested) -> None:
    """An INFO record with nested fields, a WARNING, and an ERROR with its traceback."""
    log.info("order placed", **nested)
    log.warning("stock low")
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        log.exception("order failed")


def assert_times(records: list[dict], created: list[float]) -> None:
    assert len(records) == len(created)
    for record, when in zip(records, created, strict=True):
        assert abs(moment(record["time"]) - when) <= MILLISECOND, (record, when)


def test_loguru_serialized(tmp_path: Path, logview) -> None:
    path = tmp_path / "loguru.json"
    seen: list[dict] = []
    sinks = [
        loguru_logger.add(path, serialize=True, level="DEBUG"),
        loguru_logger.add(lambda message: seen.append(message.record), level="DEBUG"),
    ]
    try:
        log_three(loguru_logger, order={"id": "order-77", "lines": [1, 2]})
    finally:
        for sink in sinks:
            loguru_logger.remove(sink)
    records = printed_records(logview, path)
    assert [(r["level"], r["logger"], r["pid"], r["message"]) for r in records] == [
        (item["level"].name, item["name"], os.getpid(), item["message"]) for item in seen
    ]
    assert [r["level"] for r in records] == ["INFO", "WARNING", "ERROR"] and records[0]["logger"] == __name__
    assert_times(records, [item["time"].timestamp() for item in seen])
    # The traceback (loguru's "text") shows the locals, the order among them, as Python's repr: JSON's quotes tell the two apart.
    found = printed_records(logview, path, options=("--grep", '"id": "order-77"'))
    assert [r["message"] for r in found] == ["order placed"]


def test_structlog_json_renderer(tmp_path: Path, logview) -> None:
    path = tmp_path / "structlog.json"
    formatter = structlog.stdlib.ProcessorFormatter(
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, structlog.processors.JSONRenderer()]
    )
    chain = [
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso"),
        structlog.processors.CallsiteParameterAdder(
            [structlog.processors.CallsiteParameter.PROCESS, structlog.processors.CallsiteParameter.PROCESS_NAME]
        ),
        structlog.processors.dict_tracebacks,
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ]
    structlog.configure(processors=chain, logger_factory=structlog.stdlib.LoggerFactory(), wrapper_class=structlog.stdlib.BoundLogger)
    try:
        with stdlib_logger("shop.orders", path, formatter) as (_, kept):
            log_three(structlog.get_logger("shop.orders"), order={"id": "order-77", "lines": [1, 2]})
    finally:
        structlog.reset_defaults()
    records = printed_records(logview, path)
    assert [(r["level"], r["logger"], r["pid"], r["processName"], r["message"]) for r in records] == [
        ("info", "shop.orders", os.getpid(), "MainProcess", "order placed"),
        ("warning", "shop.orders", os.getpid(), "MainProcess", "stock low"),
        ("error", "shop.orders", os.getpid(), "MainProcess", "order failed"),
    ]
    # structlog stamps its own time, a moment after logging's.
    assert_times(records, [moment(record.msg["timestamp"]) for record in kept.records])
    # dict_tracebacks keeps the frames' locals, the order among them, as Python's repr: JSON's quotes tell the two apart.
    assert [r["message"] for r in printed_records(logview, path, options=("--grep", '"id": "order-77"'))] == ["order placed"]


def test_python_json_logger(tmp_path: Path, logview) -> None:
    path = tmp_path / "json-logger.json"
    formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(process)d %(processName)s %(message)s")
    with stdlib_logger("shop.payments", path, formatter) as (log, kept):
        log.info("order placed", extra={"order": {"id": "order-77", "lines": [1, 2]}})
        log.warning("stock low")
        try:
            raise ZeroDivisionError("division by zero")
        except ZeroDivisionError:
            log.exception("order failed")
    records = printed_records(logview, path)
    assert [(r["level"], r["logger"], r["pid"], r["processName"]) for r in records] == [
        (record.levelname, "shop.payments", os.getpid(), "MainProcess") for record in kept.records
    ]
    assert [r["message"].split("\n")[0] for r in records] == ["order placed", "stock low", "order failed"]
    assert records[2]["message"].endswith("ZeroDivisionError: division by zero")
    assert_times(records, [record.created for record in kept.records])
    assert [r["message"] for r in printed_records(logview, path, options=("--grep", "order-77"))] == ["order placed"]


def test_ecs_logging(tmp_path: Path, logview) -> None:
    path = tmp_path / "ecs.json"
    with stdlib_logger("shop.shipping", path, ecs_logging.StdlibFormatter()) as (log, kept):
        log.info("order placed", extra={"http.request.method": "POST", "order": {"id": "order-77"}})
        log.warning("stock low")
        try:
            raise ZeroDivisionError("division by zero")
        except ZeroDivisionError:
            log.exception("order failed")
    records = printed_records(logview, path)
    # ECS nests the logger (log.logger) and the process (process.pid, process.name), and spells the level "log.level".
    assert [(r["level"], r["logger"], r["pid"]) for r in records] == [
        ("info", "shop.shipping", os.getpid()),
        ("warning", "shop.shipping", os.getpid()),
        ("error", "shop.shipping", os.getpid()),
    ]
    assert [r["message"].split("\n")[0] for r in records] == ["order placed", "stock low", "order failed"]
    assert "ZeroDivisionError" in records[2]["error"] and "raise ZeroDivisionError" in records[2]["message"]
    assert_times(records, [record.created for record in kept.records])
    assert [r["message"] for r in printed_records(logview, path, options=("--grep", "order-77"))] == ["order placed"]


@pytest.mark.parametrize("first_screen", [True, False], ids=["newest-records", "index"])
def test_nested_fields_read_alike_by_both_paths(tmp_path: Path, first_screen: bool) -> None:
    """The first screen (line_record, in Python) reads a nested record as the index (polars) does."""
    from logview.core.inputs.arguments import expand_inputs
    from logview.core.newest import newest_records
    from logview.core.pipeline import Pipeline
    from logview.core.records import RecordReader

    path = tmp_path / "ecs.json"
    with stdlib_logger("shop.shipping", path, ecs_logging.StdlibFormatter()) as (log, _):
        log_three(log)
    if first_screen:
        newest = newest_records([str(path)], 3, ())
        assert newest is not None
        records = newest.records
    else:
        pipeline = Pipeline()
        try:
            pipeline.load(expand_inputs([str(path)]).names)
            records = list(RecordReader(pipeline).records(pipeline.timeline.positions(), line_numbers=False))
        finally:
            pipeline.close()
    assert [(r.level, r.logger, r.pid, r.fields.get("processName")) for r in records] == [
        (level, "shop.shipping", os.getpid(), "MainProcess") for level in ("info", "warning", "error")
    ]
