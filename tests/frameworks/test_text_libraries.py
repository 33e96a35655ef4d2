"""Text formats of libraries run in a process of their own or here: loguru's default, Django's documented LOGGING."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from loguru import logger as loguru_logger

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
