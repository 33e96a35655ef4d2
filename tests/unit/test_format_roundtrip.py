"""Any format logging can write, read back: generated format strings, real values, the real Formatter.

Hypothesis builds format strings from every LogRecord attribute, with widths,
brackets and separators, in all three styles, and values as real programs
have them: process names with spaces and parentheses (the cookbook's
``listener (for worker 3)``), Python 3.11 thread names (``Thread-1 (worker)``),
custom levels, pathnames with spaces. ``logging.Formatter`` writes a file of
records with them; the engine reads it back twice: told the format (the
compiler) and not (detection and inference). Both paths of the engine are held
to it: the index (polars) and the first frame (CPython ``re``).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from logview.core.newest import newest_records
from logview.core.parse.format_string import compile_format
from logview.core.pipeline import Pipeline
from logview.core.record import NO_TIME, Record, level_name
from logview.core.records import RecordReader

EXAMPLES = int(os.environ.get("LOGVIEW_FUZZ_EXAMPLES", "30"))
RECORDS = 24
START = 1_733_000_000.0  # 2024-11-30, in the viewing machine's zone (the suite runs in UTC)

LEVELS = [(10, "DEBUG"), (20, "INFO"), (30, "WARNING"), (40, "ERROR"), (50, "CRITICAL"), (5, "TRACE"), (25, "NOTICE")]
LOGGERS = ["root", "app", "app.db", "app.http.client", "worker_pool.tasks", "uvicorn.error"]
PROCESS_NAMES = ["MainProcess", "SpawnProcess-2", "ForkPoolWorker-3", "worker 1", "listener (for worker 3)"]
THREAD_NAMES = ["MainThread", "Thread-1 (worker)", "Thread-12 (serve_forever)", "ThreadPoolExecutor-0_0", "QueueFeederThread"]
FUNCTIONS = ["<module>", "handle_request", "run", "_bootstrap_inner"]
PATHS = ["/srv/app/app.py", "/home/me/my project/jobs.py", "C:/Program Files/tool/main.py"]
MESSAGES = [
    "Starting up",
    "connection reset by peer (errno 104)",
    "user=42 action=login ok",
    "Jackdaws love my big sphinx of quartz.",
    "retrying in 3 s: timeout",
    "[cache] miss for key 'a b'",
    "- dash first",
    "values: 1, 2, 3",
]
DATEFMTS = [None, "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M:%S"]


class Field(NamedTuple):
    """One placeholder: the LogRecord attribute, its %-conversion, and its padding."""

    name: str
    conversion: str = "s"
    width: int = 0
    left: bool = True


#: Fields whose values may hold spaces: the literal after them must say where they end.
SPACED = {"processName", "threadName", "pathname", "message"}
#: Literals after a field; those without a space can follow any field.
SEPARATORS = [" ", " - ", " | ", ": ", " :: "]
CLOSED_SEPARATORS = [" - ", " | ", ": ", " :: "]

FIELD_CHOICES = [
    Field("levelname"),
    Field("levelname", width=8),
    Field("levelno", "d"),
    Field("name"),
    Field("name", width=15),
    Field("process", "d"),
    Field("process", "d", width=6, left=False),
    Field("processName"),
    Field("processName", width=10),
    Field("thread", "d"),
    Field("threadName"),
    Field("module"),
    Field("filename"),
    Field("funcName"),
    Field("lineno", "d"),
    Field("pathname"),
]
TIME_CHOICES = [Field("asctime"), Field("created", "f"), None]


class Layout(NamedTuple):
    """A format string's pieces before it is written in a style: fields, the literal after each, brackets."""

    fields: tuple[Field, ...]
    separators: tuple[str, ...]
    bracketed: tuple[bool, ...]
    style: str
    datefmt: str | None

    def format_string(self) -> str:
        parts: list[str] = []
        for field, separator, bracketed in zip(self.fields, self.separators, self.bracketed, strict=True):
            placeholder = _placeholder(field, self.style)
            parts.append(f"[{placeholder}]" if bracketed else placeholder)
            parts.append(separator)
        parts.append(_placeholder(Field("message"), self.style))
        return "".join(parts)


def _placeholder(field: Field, style: str) -> str:
    if style == "%":
        width = f"{'-' if field.left else ''}{field.width}" if field.width else ""
        return f"%({field.name}){width}{field.conversion}"
    if style == "{":
        spec = f":{'<' if field.left else '>'}{field.width}" if field.width else ""
        if field.conversion == "f":
            spec = ":f"
        return f"{{{field.name}{spec}}}"
    return f"${{{field.name}}}"


#: What text alone can tell: a module, file or function name reads like a logger's, a line number like a pid.
#: Formats with them are read back by the compiler (told the format) and by the catalogue, not by inference.
INFERABLE = [field for field in FIELD_CHOICES if field.name not in {"module", "filename", "funcName", "lineno", "pathname"}]
#: The names multiprocessing gives: a program's own (the cookbook's 'worker 1') are read with their format given.
PYTHONS_PROCESS_NAMES = ["MainProcess", "SpawnProcess-2", "ForkPoolWorker-3"]


@st.composite
def layouts(draw: st.DrawFn, choices: list[Field] = FIELD_CHOICES) -> Layout:
    style = draw(st.sampled_from(["%", "{", "$"]))
    time = draw(st.sampled_from(TIME_CHOICES))
    count = draw(st.integers(1, 4))
    chosen = draw(st.lists(st.sampled_from(choices), min_size=count, max_size=count, unique_by=lambda field: field.name))
    fields = ([time] if time is not None else []) + chosen
    if style == "$":  # no widths, and every value as str() writes it
        fields = [field._replace(width=0, conversion="s") for field in fields]
    separators: list[str] = []
    bracketed: list[bool] = []
    for field in fields:
        bracket = draw(st.booleans()) and field.name != "asctime"
        bracketed.append(bracket)
        # A value that may hold spaces needs a closing literal that is not a lone space, or brackets.
        open_ended = field.name in SPACED and not bracket and not field.width
        separators.append(draw(st.sampled_from(CLOSED_SEPARATORS if open_ended else SEPARATORS)))
    datefmt = draw(st.sampled_from(DATEFMTS)) if time is not None and time.name == "asctime" else None
    return Layout(tuple(fields), tuple(separators), tuple(bracketed), style, datefmt)


@st.composite
def record_sets(draw: st.DrawFn, process_names: list[str] = PROCESS_NAMES) -> list[logging.LogRecord]:
    """Records of a few processes and threads, times rising, as one program's log has them."""
    processes = draw(st.lists(st.sampled_from(process_names), min_size=1, max_size=3, unique=True))
    threads = draw(st.lists(st.sampled_from(THREAD_NAMES), min_size=1, max_size=3, unique=True))
    # Several levels, as any log of some length has: a file of one level number reads as well as a pid.
    levels = draw(st.lists(st.sampled_from(LEVELS), min_size=2, max_size=4, unique=True))
    records: list[logging.LogRecord] = []
    # Messages vary from record to record, as in any real log: a file whose every
    # message starts with the same word reads as well with that word as a logger name.
    first_message = draw(st.integers(0, len(MESSAGES) - 1))
    created = START + draw(st.integers(0, 10**6)) / 7
    for number in range(RECORDS):
        created += draw(st.integers(1, 5000)) / 1000
        levelno, levelname = levels[(number + draw(st.integers(0, 1))) % len(levels)]
        process_at = (number + draw(st.integers(0, 1))) % len(processes)
        thread_at = (number + draw(st.integers(0, 1))) % len(threads)
        path = draw(st.sampled_from(PATHS))
        record = logging.makeLogRecord(
            {
                "name": draw(st.sampled_from(LOGGERS)),
                "msg": f"{MESSAGES[(first_message + 3 * number) % len(MESSAGES)]} #{number}",
                "levelno": levelno,
                "levelname": levelname,
                "created": created,
                "msecs": (created - int(created)) * 1000,
                "relativeCreated": (created - START) * 1000,
                "process": 1000 + 7 * process_at,
                "processName": processes[process_at],
                "thread": 140_000_000_000_000 + 4096 * thread_at,
                "threadName": threads[thread_at],
                "pathname": path,
                "filename": path.rsplit("/", 1)[-1],
                "module": path.rsplit("/", 1)[-1].removesuffix(".py"),
                "funcName": draw(st.sampled_from(FUNCTIONS)),
                "lineno": draw(st.integers(1, 3000)),
            }
        )
        records.append(record)
    return records


class Expected(NamedTuple):
    time: int | None
    level: str | None
    logger: str | None
    pid: int | None
    process_name: str | None
    message: str


def expected(record: logging.LogRecord, layout: Layout, formatter: logging.Formatter) -> Expected:
    names = {field.name for field in layout.fields}
    time: int | None = None
    if "asctime" in names:
        stamp = formatter.formatTime(record, layout.datefmt)
        millis = int(record.msecs) if layout.datefmt is None else 0
        assert stamp  # the moment written, to the resolution written
        time = int(record.created) * 1000 + millis
    elif "created" in names:
        time = round(float(f"{record.created:f}") * 1000)
    level = record.levelname if "levelname" in names else None
    if level is None and "levelno" in names:
        level = level_name(record.levelno)  # what a reader without the writer's addLevelName can say
    return Expected(
        time=time,
        level=level,
        logger=record.name if "name" in names else None,
        pid=record.process if "process" in names else None,
        process_name=record.processName if "processName" in names else None,
        message=record.getMessage(),
    )


def read_back(record: Record) -> Expected:
    return Expected(
        None if record.time == NO_TIME else record.time,
        record.level,
        record.logger,
        record.pid,
        record.fields.get("processName"),
        record.message,
    )


def write(path: Path, layout: Layout, records: list[logging.LogRecord]) -> logging.Formatter:
    formatter = logging.Formatter(layout.format_string(), layout.datefmt, layout.style)  # type: ignore[arg-type]
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(formatter)
    for record in records:
        handler.handle(record)
    handler.close()
    return formatter


def indexed(path: Path, user_formats: tuple = ()) -> list[Record]:
    pipeline = Pipeline(user_formats=user_formats)
    try:
        pipeline.load([str(path)])
        return list(RecordReader(pipeline).records(pipeline.timeline.positions(), line_numbers=False))
    finally:
        pipeline.close()


def previewed(path: Path, user_formats: tuple = ()) -> list[Record]:
    newest = newest_records([str(path)], RECORDS + 5, user_formats)
    assert newest is not None
    return list(newest.records)


def compare(layout: Layout, records: list[logging.LogRecord], formatter: logging.Formatter, read: list[Record], how: str) -> None:
    written = [expected(record, layout, formatter) for record in records]
    got = [read_back(record) for record in read]
    if layout.datefmt is not None:  # no milliseconds written: compare to the second
        written = [item._replace(time=None) for item in written]
        got = [item._replace(time=None) for item in got]
    assert got == written, f"{how}: {layout.format_string()!r} style {layout.style} datefmt {layout.datefmt!r}"


@pytest.fixture(scope="module")
def custom_levels() -> None:
    logging.addLevelName(5, "TRACE")
    logging.addLevelName(25, "NOTICE")


_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_SETTINGS
@given(layout=layouts(), records=record_sets())
def test_told_the_format(tmp_path: Path, custom_levels: None, layout: Layout, records: list[logging.LogRecord]) -> None:
    """The compiler: every field of every record, as written, through both engines."""
    path = tmp_path / "told.log"
    formatter = write(path, layout, records)
    log_format = compile_format(layout.format_string(), layout.style, layout.datefmt)
    for line, record in zip(path.read_text(encoding="utf-8").splitlines(), records, strict=True):
        fields = log_format.match(line)
        assert fields is not None, line
        for field in layout.fields:
            value = formatter.usesTime() and field.name == "asctime" and formatter.formatTime(record, layout.datefmt)
            want = value if value else _rendered(record, field)
            assert fields.get(field.name) == want, (layout.format_string(), line, field.name)
    compare(layout, records, formatter, indexed(path, (log_format,)), "index, told")
    compare(layout, records, formatter, previewed(path, (log_format,)), "first frame, told")


@_SETTINGS
@given(layout=layouts(INFERABLE), records=record_sets(PYTHONS_PROCESS_NAMES))
def test_not_told_the_format(tmp_path: Path, custom_levels: None, layout: Layout, records: list[logging.LogRecord]) -> None:
    """Detection or inference: the indexed fields and the message of every record.

    Of formats with two fields or more, a time, a level or a pid among them: a
    file of names and messages only (``root Starting up``) is text whose first
    words may as well be a logger's, one of numbers and messages (``1000
    Starting up``) may as well be numbered text.
    """
    assume(
        len(layout.fields) >= 2 and any(field.name in {"asctime", "created", "levelname", "levelno", "process"} for field in layout.fields)
    )
    path = tmp_path / "found.log"
    formatter = write(path, layout, records)
    compare(layout, records, formatter, indexed(path), "index, detected")
    compare(layout, records, formatter, previewed(path), "first frame, detected")


def _rendered(record: logging.LogRecord, field: Field) -> str:
    """A field's value as the Formatter writes it, without its padding."""
    value = getattr(record, field.name)
    if field.conversion == "d":
        return str(int(value))
    if field.conversion == "f":
        return f"{value:f}"
    return str(value)
