"""Text formats of libraries run in a process of their own or here: loguru's default, structlog's ConsoleRenderer, Django's documented LOGGING."""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import structlog
from loguru import logger as loguru_logger

from logview.core.newest import newest_records
from tests.frameworks.reading import moment, printed_records
from tests.frameworks.servers import APPS


def test_loguru_default_format(tmp_path: Path, logview) -> None:
    path = tmp_path / "loguru.log"
    seen: list[dict] = []
    sinks = [loguru_logger.add(path, level="DEBUG"), loguru_logger.add(lambda message: seen.append(message.record), level="DEBUG")]
    try:
        loguru_logger.debug("connecting to {}", "db")
        loguru_logger.success("connected")
        loguru_logger.warning("slow query: {ms} ms", ms=812)
        try:
            raise ZeroDivisionError("division by zero")
        except ZeroDivisionError:
            loguru_logger.exception("query failed")
    finally:
        for sink in sinks:
            loguru_logger.remove(sink)
    records = printed_records(logview, path)
    # "{time:YYYY-MM-DD HH:mm:ss.SSS} | {level: <8} | {name}:{function}:{line} - {message}"
    assert [(r["level"], r["logger"], r["funcName"], r["lineno"], r["message"].split("\n")[0]) for r in records] == [
        (item["level"].name, item["name"], item["function"], str(item["line"]), item["message"]) for item in seen
    ]
    assert records[-1]["message"].endswith("ZeroDivisionError: division by zero")
    for record, item in zip(records, seen, strict=True):
        # Written to the millisecond (cut, not rounded), in local time.
        assert 0 <= item["time"].timestamp() - moment(record["time"]) < 0.001, (record, item["time"])


@pytest.mark.parametrize("stamp", ["%Y-%m-%d %H:%M:%S", "iso"])
def test_structlog_console_renderer(tmp_path: Path, logview, stamp: str) -> None:
    path = tmp_path / "structlog.log"
    stamped: list[dict] = []

    def keep(_logger: object, _method: str, event: dict) -> dict:
        stamped.append(dict(event))
        return event

    with path.open("w") as out:
        structlog.configure(
            processors=[
                structlog.processors.add_log_level,
                structlog.processors.TimeStamper(fmt=stamp),
                keep,
                structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback),
            ],
            logger_factory=structlog.PrintLoggerFactory(out),
        )
        try:
            log = structlog.get_logger()
            log.debug("connecting", host="db", port=5432)
            log.info("order placed", order_id=77)
            log.warning("stock low")
            log.critical("disk full", free=0)
            try:
                raise ZeroDivisionError("division by zero")
            except ZeroDivisionError:
                log.exception("order failed")
        finally:
            structlog.reset_defaults()
    records = printed_records(logview, path)
    # "2024-01-01 12:00:00 [info     ] order placed                   order_id=77": the level lowercase, padded in
    # brackets; the event padded to 30 before its key=value pairs, which stay in the message. Levels read as logged
    # (as structlog's JSON records' are), and understood as logging's: --level below.
    assert [(r["level"], r["message"].split("\n")[0]) for r in records] == [
        ("debug", "connecting                     host=db port=5432"),
        ("info", "order placed                   order_id=77"),
        ("warning", "stock low"),
        ("critical", "disk full                      free=0"),
        ("error", "order failed"),
    ]
    assert records[-1]["message"].endswith("ZeroDivisionError: division by zero")
    for record, event in zip(records, stamped, strict=True):
        written = event["timestamp"]
        # The default stamp is local time to the second; "iso" is UTC to the microsecond, with a Z.
        expected = datetime.fromisoformat(written).timestamp() if stamp == "iso" else datetime.strptime(written, stamp).timestamp()
        assert 0 <= expected - moment(record["time"]) < 0.001, (record, written)
    # The viewer's first frame reads them with CPython's re, --print with polars: alike.
    newest = newest_records([str(path)], len(records))
    assert newest is not None and [(r.level, r.message) for r in newest.records] == [(r["level"], r["message"]) for r in records]
    warned = printed_records(logview, path, options=("--level", "WARNING"))
    assert [r["level"].upper() for r in warned] == [logging.getLevelName(n) for n in (logging.WARNING, logging.CRITICAL, logging.ERROR)]


def test_django_documented_logging(tmp_path: Path, logview) -> None:
    path = tmp_path / "django.log"
    done = subprocess.run([sys.executable, "django_site.py", str(path)], cwd=APPS, capture_output=True, check=True, timeout=120)
    pid, thread = map(int, done.stdout.split())
    records = printed_records(logview, path)
    # "{levelname} {asctime} {module} {process:d} {thread:d} {message}"
    assert [(r["level"], r["module"], r["pid"], r["thread"], r["message"].split("\n")[0]) for r in records] == [
        ("INFO", "django_site", pid, str(thread), "listing 3 orders"),
        ("WARNING", "log", pid, str(thread), "Not Found: /missing/"),
        ("ERROR", "django_site", pid, str(thread), "the order page broke"),
        ("ERROR", "log", pid, str(thread), "Internal Server Error: /broken/"),
    ]
    assert records[2]["message"].endswith("ZeroDivisionError: division by zero")
