"""The format compiler: every style, widths, and a property test against logging.Formatter."""

from __future__ import annotations

import logging
import string
from datetime import datetime

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logview.core.index.symbols import FacetTable, LevelTable, ProcessTable, Symbols, SymbolTable
from logview.core.parse.catalogue import CATALOGUE
from logview.core.parse.chunk_parser import ChunkParser
from logview.core.parse.detect import detect_format
from logview.core.parse.format_string import FormatError, LogFormat, compile_format

RECORD = logging.makeLogRecord(
    {
        "name": "myapp.lib1",
        "levelno": logging.WARNING,
        "levelname": "WARNING",
        "msg": "disk at %d%%",
        "args": (93,),
        "process": 4321,
        "processName": "worker 1",
        "thread": 140001234,
        "threadName": "MainThread",
        "module": "storage",
        "filename": "storage.py",
        "pathname": "/srv/app/storage.py",
        "funcName": "check",
        "lineno": 77,
        "created": 1709251200.25,
        "msecs": 250.0,
        "relativeCreated": 1234.5,
    }
)


def render(fmt: str, style: str = "%", datefmt: str | None = None, record: logging.LogRecord = RECORD) -> str:
    return logging.Formatter(fmt, datefmt=datefmt, style=style).format(record)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fmt", "style", "expected"),
    [
        ("%(levelname)s:%(name)s:%(message)s", "%", {"levelname": "WARNING", "name": "myapp.lib1", "message": "disk at 93%"}),
        ("%(levelname)-8s%(name)10s%(process)6s %(message)s", "%", {"levelname": "WARNING", "name": "myapp.lib1", "process": "4321"}),
        ("%(asctime)s %(processName)-10s %(name)s %(levelname)-8s %(message)s", "%", {"processName": "worker 1", "name": "myapp.lib1"}),
        ("%(relativeCreated)5d %(name)-15s %(levelname)-8s %(message)s", "%", {"relativeCreated": "1234", "name": "myapp.lib1"}),
        (
            "{levelname} {asctime} {module} {process:d} {thread:d} {message}",
            "{",
            {"module": "storage", "process": "4321", "thread": "140001234"},
        ),
        ("{asctime} {name} {levelname:8s} {message}", "{", {"levelname": "WARNING", "message": "disk at 93%"}),
        (
            "{levelname:>10} | {name:^20} | {funcName}:{lineno} {message}",
            "{",
            {"levelname": "WARNING", "name": "myapp.lib1", "lineno": "77"},
        ),
        ("$asctime $levelname ${name}: $message", "$", {"levelname": "WARNING", "name": "myapp.lib1"}),
        ("%(asctime)s|%(levelname)s|%(message)s|", "%", {"levelname": "WARNING", "message": "disk at 93%"}),
        (
            "%(pathname)s:%(lineno)d %(threadName)s %(message)s",
            "%",
            {"pathname": "/srv/app/storage.py", "lineno": "77", "threadName": "MainThread"},
        ),
        ("%(levelname).1s %(name)s %(message)s", "%", {"levelname": "W", "name": "myapp.lib1"}),
        ("%(created)f %(msecs)03d %(levelno)s %(message)s", "%", {"created": "1709251200.250000", "msecs": "250", "levelno": "30"}),
    ],
)
def test_cookbook_and_common_formats_parse_back(fmt: str, style: str, expected: dict[str, str]) -> None:
    parsed = compile_format(fmt, style).match(render(fmt, style))
    assert parsed is not None
    for key, value in expected.items():
        assert parsed[key] == value


def test_datefmt_without_year_and_seconds() -> None:
    fmt, datefmt = "%(asctime)s %(name)-12s %(levelname)-8s %(message)s", "%m-%d %H:%M"
    parsed = compile_format(fmt, "%", datefmt).match(render(fmt, datefmt=datefmt))
    assert parsed is not None and parsed["name"] == "myapp.lib1"


def test_message_suffix_is_optional_on_a_first_line() -> None:
    log_format = compile_format("%(asctime)s|%(levelname)s|%(message)s|")
    assert log_format.match("2024-03-01 10:00:00,000|ERROR|boom") is not None


@pytest.mark.parametrize(
    ("fmt", "style"),
    [("%(name)s %(", "%"), ("%(name)*s", "%"), ("plain text", "%"), ("{name!x:>}", "{"), ("{0}", "{"), ("$", "$"), ("%(name)s", "#")],
)
def test_bad_format_strings_are_refused(fmt: str, style: str) -> None:
    with pytest.raises(FormatError):
        compile_format(fmt, style)


# -- property: random format strings round-trip through logging.Formatter ----

LEVELS = [
    (logging.DEBUG, "DEBUG"),
    (logging.INFO, "INFO"),
    (logging.WARNING, "WARNING"),
    (logging.ERROR, "ERROR"),
    (logging.CRITICAL, "CRITICAL"),
]
IDENT = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
WORD = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,10}", fullmatch=True)

# attribute -> (conversion, strategy of the record value)
ATTRIBUTES: dict[str, tuple[str, st.SearchStrategy[object]]] = {
    "name": ("s", st.lists(IDENT, min_size=1, max_size=4).map(".".join)),
    "process": ("d", st.integers(1, 4_194_304)),
    "processName": ("s", WORD),
    "thread": ("d", st.integers(1, 2**47)),
    "threadName": ("s", WORD),
    "taskName": ("s", WORD),
    "module": ("s", IDENT),
    "filename": ("s", IDENT.map(lambda name: name + ".py")),
    "pathname": ("s", st.lists(IDENT, min_size=1, max_size=4).map(lambda parts: "/" + "/".join(parts) + ".py")),
    "funcName": ("s", IDENT),
    "lineno": ("d", st.integers(1, 99_999)),
    "relativeCreated": ("d", st.floats(0, 1e9)),
}
SEPARATORS = [" ", " - ", " | ", ": ", "] [", "\t", " :: "]
MESSAGE = st.text(alphabet=string.ascii_letters + string.digits + " .,:;!?'\"()[]{}%$-_/=", max_size=60).map(str.strip)


@st.composite
def formats(draw: st.DrawFn) -> tuple[str, str, list[str], logging.LogRecord]:
    style = draw(st.sampled_from(["%", "{", "$"]))
    names = draw(
        st.lists(
            st.sampled_from(sorted(ATTRIBUTES) + ["asctime", "levelname", "levelno", "created", "msecs"]),
            min_size=1,
            max_size=6,
            unique=True,
        )
    )
    pieces: list[str] = []
    for name in names:
        conversion = (
            ATTRIBUTES[name][0] if name in ATTRIBUTES else ("d" if name in ("levelno", "msecs") else ("f" if name == "created" else "s"))
        )
        width = draw(st.none() | st.integers(1, 24)) if style != "$" else None
        align = draw(st.sampled_from(["<", ">", "^"])) if style == "{" else draw(st.sampled_from(["-", ""]))
        if style == "%":
            pieces.append(f"%({name}){align if width else ''}{width or ''}{conversion}")
        elif style == "{":
            spec = f"{align}{width}" if width else ""
            conv = conversion if conversion in "df" and name not in ("msecs", "relativeCreated") else ""
            pieces.append("{" + name + (":" + spec + conv if spec or conv else "") + "}")
        else:
            pieces.append("${" + name + "}")
        pieces.append(draw(st.sampled_from(SEPARATORS)))
    pieces.append({"%": "%(message)s", "{": "{message}", "$": "${message}"}[style])
    levelno, levelname = draw(st.sampled_from(LEVELS))
    created = draw(st.floats(946_684_800, 2_000_000_000))
    values = {name: draw(strategy) for name, (_, strategy) in ATTRIBUTES.items()}
    record = logging.makeLogRecord(
        {
            **values,
            "levelno": levelno,
            "levelname": levelname,
            "created": created,
            "msecs": (created - int(created)) * 1000,
            "msg": draw(MESSAGE),
        }
    )
    return "".join(pieces), style, names, record


def expected_value(name: str, style: str, record: logging.LogRecord, fmt: str) -> str:
    if name == "asctime":
        return logging.Formatter().formatTime(record)
    # Render the field alone, with the same conversion but no padding.
    if style == "%":
        conversion = fmt.split(f"%({name})", 1)[1].lstrip("-0123456789")[0]
        return (f"%({name}){conversion}") % record.__dict__
    if style == "{":
        spec = fmt.split("{" + name, 1)[1].split("}", 1)[0]
        conversion = spec[-1] if spec and spec[-1] in "df" else ""
        return ("{" + name + (":" + conversion if conversion else "") + "}").format(**record.__dict__)
    return str(record.__dict__[name])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formats())
def test_random_formats_round_trip(case: tuple[str, str, list[str], logging.LogRecord]) -> None:
    fmt, style, names, record = case
    line = logging.Formatter(fmt, style=style).format(record)  # type: ignore[arg-type]
    parsed = compile_format(fmt, style).match(line)
    assert parsed is not None, (fmt, line)
    for name in names:
        assert parsed[name] == expected_value(name, style, record, fmt).strip(), (fmt, line, name)
    assert parsed["message"] == record.getMessage()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formats())
def test_random_formats_index_the_same_fields_in_polars(case: tuple[str, str, list[str], logging.LogRecord]) -> None:
    """The bulk path (Rust regex in polars) reads what CPython's re reads."""
    fmt, style, names, record = case
    log_format = compile_format(fmt, style)
    line = logging.Formatter(fmt, style=style).format(record)  # type: ignore[arg-type]
    lines = [line, "Traceback (most recent call last):", "  more"]
    text = "".join(item + "\n" for item in lines)
    starts = np.cumsum([0] + [len(item.encode()) + 1 for item in lines])[:-1]
    expected_starts = [int(start) for start, item in zip(starts, lines, strict=True) if log_format.match(item) is not None]
    symbols = Symbols(LevelTable(), SymbolTable(), ProcessTable(), FacetTable())
    parsed = ChunkParser(log_format, symbols).parse(text.encode())
    assert parsed.starts.tolist() == expected_starts
    assert int(parsed.lengths.sum()) + parsed.lead == len(text.encode())
    level_of, logger_of, process_of = symbols.facets.arrays()
    facet = int(parsed.facet[0])
    if "levelname" in names:
        assert symbols.levels.values[level_of[facet]] == record.levelname
    if "name" in names:
        assert symbols.loggers.values[logger_of[facet]] == record.name
    if "process" in names:
        assert symbols.processes.pids[process_of[facet]] == record.process
    if "asctime" in names:
        written = datetime.strptime(logging.Formatter().formatTime(record), "%Y-%m-%d %H:%M:%S,%f")
        expected = int(np.datetime64(written, "ms").astype(np.int64))
        assert int(parsed.time[0]) == expected
    elif "created" in names:
        assert abs(int(parsed.time[0]) - record.created * 1000) <= 1


def test_the_property_tests_cover_every_record_attribute() -> None:
    from logview.core.record import RECORD_ATTRIBUTES

    covered = set(ATTRIBUTES) | {"asctime", "levelname", "levelno", "created", "msecs", "message"}
    assert covered == set(RECORD_ATTRIBUTES)


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda entry: entry.fmt)
@settings(max_examples=30, deadline=None)
@given(message=st.text(max_size=40), name=st.from_regex(r"[a-z][a-z0-9_.]{0,20}", fullmatch=True), process=st.integers(0, 10**7))
def test_could_match_never_turns_away_a_line_the_regex_reads(entry, message: str, name: str, process: int) -> None:
    """Detection skips a candidate whose could_match refuses every line: that must never cost it a line it reads."""
    log_format = compile_format(entry.fmt, entry.style, entry.datefmt)
    formatter = logging.Formatter(entry.fmt, datefmt=entry.datefmt, style=entry.style)  # type: ignore[arg-type]
    fields = {"msg": message.replace("\n", " "), "name": name, "levelno": 30, "levelname": "WARNING", "process": process}
    line = formatter.format(logging.makeLogRecord(fields))
    if log_format.compiled.match(line) is not None:
        assert log_format.could_match(line)


# -- property: realistic values, read with the readings detection chooses on a sample ----

#: Values as Python and real programs write them: thread names with their target, the cookbook's process names,
#: custom and unnamed levels, logger and module names with spaces.
REALISTIC: dict[str, list[str]] = {
    "threadName": ["MainThread", "Thread-1 (fetch)", "Thread-2 (store)", "ThreadPoolExecutor-0_1"],
    "processName": ["MainProcess", "listener (for worker 1)", "listener (for worker 2)", "SpawnPoolWorker-3"],
    "taskName": ["Task-1", "None"],
    "name": ["app", "app.db", "my app", "app.v2 (beta)"],
    "module": ["main", "main app"],
    "funcName": ["<module>", "work", "<lambda>"],
}
CUSTOM_LEVELS = [(5, "TRACE"), (7, "Level 7"), (15, "verbose"), (20, "INFO"), (25, "NOTICE"), (40, "ERROR")]
#: Separators that end a value with spaces themselves: a space alone ends only the field before the message.
ENDING_SEPARATORS = [" | ", "] [", ": ", " :: ", " - "]


@st.composite
def realistic_samples(draw: st.DrawFn) -> tuple[str, str, list[str], list[logging.LogRecord]]:
    style = draw(st.sampled_from(["%", "{"]))
    names = draw(st.lists(st.sampled_from(sorted(REALISTIC) + ["levelname", "process"]), min_size=1, max_size=4, unique=True))
    last = names[-1]
    pieces = ["%(asctime)s " if style == "%" else "{asctime} "]
    for index, name in enumerate(names):
        width = draw(st.none() | st.integers(4, 12)) if name in ("levelname", "processName", "threadName") else None
        conversion = "d" if name == "process" else "s"
        if style == "%":
            pieces.append(f"%({name}){'-' + str(width) if width else ''}{conversion}")
        else:
            pieces.append("{" + name + (f":<{width}" if width else "") + (":d" if name == "process" else "") + "}")
        # Before the message, a name field may end at a plain space only when it is a process, thread or task name.
        plain = index == len(names) - 1 and (name in ("processName", "threadName", "taskName", "levelname", "process"))
        pieces.append(" " if plain else draw(st.sampled_from(ENDING_SEPARATORS)))
    pieces.append("%(message)s" if style == "%" else "{message}")
    records = []
    for number in range(24):
        levelno, levelname = draw(st.sampled_from(CUSTOM_LEVELS))
        values = {name: draw(st.sampled_from(pool)) for name, pool in REALISTIC.items()}
        verb = draw(st.sampled_from(["fetched", "stored", "Skipped", "retrying"]))
        records.append(
            logging.makeLogRecord(
                {**values, "levelno": levelno, "levelname": levelname, "process": 4000 + number % 3, "msg": f"{verb} item {number}"}
            )
        )
    assert last
    return "".join(pieces), style, names, records


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(realistic_samples())
def test_realistic_values_read_back_in_both_engines(case: tuple[str, str, list[str], list[logging.LogRecord]]) -> None:
    fmt, style, names, records = case
    formatter = logging.Formatter(fmt, style=style)  # type: ignore[arg-type]
    lines = [formatter.format(record) for record in records]
    chosen = detect_format(lines, [compile_format(fmt, style)])
    assert isinstance(chosen, LogFormat), (fmt, lines[:3])
    for line, record in zip(lines, records, strict=True):
        parsed = chosen.match(line)
        assert parsed is not None, (fmt, line, chosen.readings)
        for name in names:
            assert parsed[name] == str(getattr(record, name)), (fmt, line, name, chosen.readings)
        assert parsed["message"] == record.getMessage(), (fmt, line, chosen.readings)
    symbols = Symbols(LevelTable(), SymbolTable(), ProcessTable(), FacetTable())
    parsed_chunk = ChunkParser(chosen, symbols).parse("".join(line + "\n" for line in lines).encode())
    assert len(parsed_chunk) == len(records)
    level_of, logger_of, process_of = symbols.facets.arrays()
    for facet, record in zip(parsed_chunk.facet.tolist(), records, strict=True):
        if "levelname" in names:
            assert symbols.levels.values[level_of[facet]] == record.levelname
        if "name" in names:
            assert symbols.loggers.values[logger_of[facet]] == record.name
        if "processName" in names:
            assert symbols.processes.names[process_of[facet]] == record.processName
