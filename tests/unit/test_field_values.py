"""Field values as Python's logging writes them: padding, spaces, parentheses, custom names.

Every file here is written by the real ``logging`` machinery (formatters,
handlers, threads, processes), then read back twice: by ``--print --output
jsonl`` in a child process (the index is built by polars' regex engine) and
by ``newest_records`` (CPython's ``re``, the viewer's first frame). The two
must agree, and must give back what the program logged.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from logview.core.newest import newest_records
from logview.core.parse.format_string import compile_format
from logview.core.pipeline import Pipeline
from logview.core.sources.inputs import expand_inputs
from tests.conftest import run_logview


def printed(path: Path, *options: str) -> list[dict[str, object]]:
    """The records of ``path`` as ``logview --print --output jsonl`` writes them (the polars-built index)."""
    done = run_logview("--print", "--output", "jsonl", *options, str(path))
    assert done.returncode == 0, done.stderr.decode()
    return [_comparable(json.loads(line)) for line in done.stdout.decode().splitlines()]


def previewed(path: Path, fmt: str | None = None, style: str = "%") -> list[dict[str, object]]:
    """The records of ``path`` as the viewer's first frame reads them (CPython's re)."""
    user_formats = (compile_format(fmt, style, origin="--format"),) if fmt else ()
    newest = newest_records([str(path)], 10_000, user_formats)
    assert newest is not None
    return [_comparable(record.as_json()) for record in newest.records]


def _comparable(record: dict[str, object]) -> dict[str, object]:
    record.pop("line", None)
    return record


def read_both(path: Path, fmt: str | None = None, style: str = "%") -> list[dict[str, object]]:
    """The records of ``path``, the same through both engines (and with ``--format`` when ``fmt`` is given)."""
    options = ("--format", fmt, "--style", style) if fmt else ()
    records = printed(path, *options)
    assert records == previewed(path, fmt, style)
    return records


def indexed_process_names(path: Path, fmt: str | None = None, style: str = "%") -> set[str]:
    """The process names the index's facet table holds: what the Processes pane lists."""
    pipeline = Pipeline(user_formats=(compile_format(fmt, style, origin="--format"),) if fmt else ())
    try:
        pipeline.load(expand_inputs([str(path)]).names)
        return {name for name in pipeline.timeline.symbols.processes.names if name}
    finally:
        pipeline.close()


def write(path: Path, fmt: str, style: str = "%", records: list[dict[str, object]] | None = None) -> None:
    handler = logging.FileHandler(path, mode="a", encoding="utf-8")
    handler.setFormatter(logging.Formatter(fmt, style=style))  # type: ignore[arg-type]
    for number, fields in enumerate(records or []):
        handler.handle(logging.makeLogRecord({"created": 1_709_251_200 + number, "levelno": 20, "levelname": "INFO", **fields}))
    handler.close()


# -- padding ----------------------------------------------------------------

ALTERNATIVE_STYLES = """
import logging, sys
root = logging.getLogger()
root.setLevel(logging.DEBUG)
handler = logging.FileHandler(sys.argv[1], "w")
bf = logging.Formatter('{asctime} {name} {levelname:8s} {message}', style='{')
handler.setFormatter(bf)
root.addHandler(handler)
logger = logging.getLogger('foo.bar')
logger.debug('This is a DEBUG message')
logger.critical('This is a CRITICAL message')
df = logging.Formatter('$asctime $name ${levelname} $message', style='$')
handler.setFormatter(df)
logger.debug('This is a DEBUG message')
logger.critical('This is a CRITICAL message')
"""


def test_a_dollar_format_gives_messages_without_the_padding_of_the_formatter_before_it(tmp_path: Path) -> None:
    """The cookbook's "Use of alternative formatting styles": one stream, a {-style formatter then a $-style one."""
    import subprocess

    path = tmp_path / "styles.log"
    subprocess.run([sys.executable, "-c", ALTERNATIVE_STYLES, str(path)], check=True)
    records = read_both(path, "$asctime $name ${levelname} $message", "$")
    assert [(record["level"], record["message"]) for record in records] == [
        ("DEBUG", "This is a DEBUG message"),
        ("CRITICAL", "This is a CRITICAL message"),
    ] * 2


def test_padding_is_stripped_whatever_its_fill_and_side(tmp_path: Path) -> None:
    path = tmp_path / "filled.log"
    fmt = "{asctime} {name:*^20} {levelname:_<8} {process:08d} {processName:.>12} {message:>30}|"
    write(path, fmt, "{", [{"name": "my.app", "process": 42, "processName": "worker", "msg": "hello"}])
    write(path, fmt, "{", [{"name": "my.app.db", "process": 0, "processName": "MainProcess", "msg": "bye"}])
    records = read_both(path, fmt, "{")
    assert [(r["logger"], r["level"], r["pid"], r["processName"], r["message"]) for r in records] == [
        ("my.app", "INFO", 42, "worker", "hello"),
        ("my.app.db", "INFO", 0, "MainProcess", "bye"),
    ]
    assert indexed_process_names(path, fmt, "{") == {"worker", "MainProcess"}
