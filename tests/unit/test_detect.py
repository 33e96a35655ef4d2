"""Format detection from the built-in catalogue, on files written by real formatters."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from logview.core.parse.catalogue import CATALOGUE
from logview.core.parse.detect import detect_format
from logview.core.parse.json_lines import JsonLinesFormat
from tests.unit.logfiles import file_logger, record, write_records

WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliett",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
    "quebec",
    "romeo",
    "sierra",
    "tango",
]


def _write_with(path: Path, fmt: str, style: str, datefmt: str | None) -> None:
    with file_logger(logging.FileHandler(path, mode="w"), fmt=fmt, style=style, datefmt=datefmt) as logger:
        logger.name = "myapp.lib1"
        for number in range(20):
            # Messages begin with varied words, as real ones do.
            logger.log(
                [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR][number % 4], "%s number %d: all good", WORDS[number], number
            )
        try:
            1 / 0  # noqa: B018
        except ZeroDivisionError:
            logger.exception("it broke")


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda entry: entry.fmt)
def test_each_catalogue_format_is_detected_and_parsed(tmp_path: Path, entry, logview) -> None:
    path = tmp_path / "app.log"
    _write_with(path, entry.fmt, entry.style, entry.datefmt)
    lines = path.read_text().splitlines()
    detected = detect_format(lines)
    assert detected is not None
    # Several catalogue formats can read the same lines; what matters is the fields.
    result = logview("--print", "--output", "jsonl", str(path))
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 21, (detected, lines[:3])
    assert records[-1]["message"].startswith("it broke\nTraceback (most recent call last):")
    assert records[-1]["message"].endswith("ZeroDivisionError: division by zero")
    if "levelname" in entry.fmt:
        assert [item["level"] for item in records[:4]] == ["DEBUG", "INFO", "WARNING", "ERROR"]
    if "(name)" in entry.fmt or "{name}" in entry.fmt:
        assert records[0]["logger"] == "myapp.lib1"
    if "asctime" in entry.fmt:
        assert records[0]["time"] is not None


def test_user_format_wins_over_the_catalogue(tmp_path: Path, logview) -> None:
    path = tmp_path / "custom.log"
    fmt = "%(asctime)s ~~ %(threadName)s ~~ %(levelname)s ~~ %(name)s ~~ %(message)s"
    _write_with(path, fmt, "%", None)
    records = [json.loads(line) for line in logview("--print", "--output", "jsonl", "--format", fmt, str(path)).stdout.splitlines()]
    assert len(records) == 21 and records[0]["logger"] == "myapp.lib1" and records[0]["level"] == "DEBUG"


def test_structlog_and_python_json_logger_lines(tmp_path: Path, logview) -> None:
    path = tmp_path / "app.jsonl"
    path.write_text(
        json.dumps({"event": "user logged in", "level": "info", "logger": "auth", "timestamp": "2024-03-01T10:00:00.123456Z", "pid": 77})
        + "\n"
        + json.dumps(
            {
                "asctime": "2024-03-01 10:00:01,500",
                "levelname": "ERROR",
                "name": "db",
                "process": 78,
                "message": "lost connection",
                "exc_info": "Traceback (most recent call last):\n  boom",
            }
        )
        + "\n"
    )
    assert isinstance(detect_format(path.read_text().splitlines()), JsonLinesFormat)
    records = [json.loads(line) for line in logview("--print", "--output", "jsonl", str(path)).stdout.splitlines()]
    assert [(r["level"], r["logger"], r["pid"], r["time"]) for r in records] == [
        ("info", "auth", 77, "2024-03-01T10:00:00.123+00:00"),
        ("ERROR", "db", 78, "2024-03-01T10:00:01.500+00:00"),
    ]
    assert records[0]["message"] == "user logged in"
    assert records[1]["message"] == "lost connection\nTraceback (most recent call last):\n  boom"
    errors_only = logview("--print", "--level", "warning", str(path))
    assert errors_only.stdout.count(b"\n") == 1 and b"lost connection" in errors_only.stdout


def test_ecs_style_keys(tmp_path: Path, logview) -> None:
    path = tmp_path / "ecs.jsonl"
    path.write_text(
        json.dumps({"@timestamp": "2024-03-01T10:00:00.250Z", "log.level": "warning", "log.logger": "api", "message": "slow"}) + "\n"
    )
    [record] = [json.loads(line) for line in logview("--print", "--output", "jsonl", str(path)).stdout.splitlines()]
    assert (record["time"], record["level"], record["message"]) == ("2024-03-01T10:00:00.250+00:00", "warning", "slow")


def test_cookbook_multiprocessing_process_names_with_spaces(tmp_path: Path, logview) -> None:
    path = tmp_path / "mplog.log"
    path.write_text(
        "2024-03-01 10:00:00,001 foo.bar         INFO     worker 1 (for 4) hello\n"
        "2024-03-01 10:00:00,002 spam.ham.eggs   ERROR    worker 2   bad thing\n"
    )
    records = [json.loads(line) for line in logview("--print", "--output", "jsonl", str(path)).stdout.splitlines()]
    assert [(r["logger"], r["level"]) for r in records] == [("foo.bar", "INFO"), ("spam.ham.eggs", "ERROR")]
    # A padded name is read whole; one longer than its width and holding
    # spaces cannot be told from the message, so only its start is certain.
    assert records[1]["processName"] == "worker 2" and records[1]["message"] == "bad thing"
    assert records[0]["processName"].startswith("worker")


@pytest.mark.parametrize(
    ("datefmt", "expected"),
    [
        ("%d/%m/%Y %H:%M:%S", "2024-03-01T10:00:05.000+00:00"),
        ("%Y-%m-%dT%H:%M:%S%z", "2024-03-01T10:00:05.000+00:00"),
        ("%b %d %H:%M:%S %Y", "2024-03-01T10:00:05.000+00:00"),
    ],
)
def test_datefmt_option_reads_times(tmp_path: Path, datefmt: str, expected: str, logview) -> None:
    import os
    import time as clock

    fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    path = tmp_path / "dated.log"
    os.environ["TZ"] = "UTC"
    clock.tzset()
    try:
        write_records(path, [record(1709287205.0, "hello")], fmt=fmt, datefmt=datefmt)
    finally:
        del os.environ["TZ"]
        clock.tzset()
    result = logview("--print", "--output", "jsonl", "--format", fmt, "--datefmt", datefmt, str(path))
    assert json.loads(result.stdout)["time"] == expected, path.read_text()


def _every_candidate_tried(lines: list[str], candidates) -> object:
    """What detection chose before it skipped any candidate: the highest key of all that read a line."""
    from logview.core.parse.candidates import format_score

    keyed = []
    for index, candidate in enumerate(candidates):
        score = format_score(candidate, lines)
        if score:
            keyed.append(((score, -candidate.free_text_fields, -index), candidate))
    return max(keyed, key=lambda item: item[0])[1] if keyed else None


def test_skipping_candidates_changes_no_choice(tmp_path: Path) -> None:
    """Candidates whose bounds (all lines, then the lines their head reads) cannot win are skipped: the choice stays the one trying all of them gives."""
    from logview.core.parse.candidates import best_format, catalogue_formats
    from logview.core.parse.detect import sample_lines

    root = Path(__file__).resolve().parent.parent.parent
    samples = [sample_lines(path.read_bytes()) for path in sorted((root / "sample_logs").iterdir()) if path.suffix in (".log", "")]
    for number, entry in enumerate(CATALOGUE):
        path = tmp_path / f"{number}.log"
        _write_with(path, entry.fmt, entry.style, entry.datefmt)
        samples.append(sample_lines(path.read_bytes()))
    # Mixed files, a few lines of one format among many of another: the one found first is not the one chosen.
    for first, second in zip(samples[-len(CATALOGUE) :], samples[-len(CATALOGUE) + 1 :], strict=False):
        samples.append(first[:6] + second)
        samples.append(second[:6] + first)
    candidates = catalogue_formats()
    for lines in samples:
        lines = [line for line in lines if line.strip()]
        assert best_format(lines, candidates) == _every_candidate_tried(lines, candidates)


def test_no_catalogue_format_has_two_free_text_fields() -> None:
    """Two free-text fields side by side try every split of a line that does not match: cubic time in Python's re.

    Detection tries every format on every sampled line, the end of a file's
    too, and a long line of words (a payload logged whole) must cost no more
    than a short one. The message, last, is free text in every format.
    """
    from logview.core.parse.candidates import catalogue_formats
    from logview.core.parse.format_string import FREE_TEXT

    for candidate in catalogue_formats():
        assert candidate.regex.count(FREE_TEXT) <= 1, candidate.fmt
    access_log = next(candidate for candidate in catalogue_formats() if "remote_addr" in candidate.names)
    line = '127.0.0.1 - - [06/Dec/2026:12:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8.5.0"'
    assert access_log.match(line) == {
        "remote_addr": "127.0.0.1",
        "ident": "-",
        "user": "-",
        "asctime": "06/Dec/2026:12:00:00 +0000",
        "message": '"GET / HTTP/1.1" 200 5 "-" "curl/8.5.0"',
    }


def test_a_module_name_with_a_space_and_custom_levels_are_both_read_when_each_alone_turns_lines_away() -> None:
    """Found by the realistic-values property test: ``main app`` lines also hold INFO and ``Level 7``, which the lines
    read so far never showed; levels logging knows are no sign of another format's lines."""
    from logview.core.parse.format_string import compile_format

    fmt = "%(asctime)s %(funcName)s | %(module)s | %(levelname)s %(message)s"
    formatter = logging.Formatter(fmt)
    levels = [5] * 13 + [15, 20, 25] + [5] * 4 + [7] + [5] * 3
    modules = ["main app" if number in (0, 3, 5, 8, 12, 14, 15, 20, 21, 22, 23) else "main" for number in range(len(levels))]
    functions = ["work", "<lambda>", "<module>", "<module>", "work", "work", "<module>", "<module>", "work", "work", "<lambda>"]
    functions += ["<module>", "work", "<lambda>", "work", "<module>", "work", "<lambda>", "work", "<lambda>", "work"]
    functions += ["<lambda>"] * 3
    names = {5: "TRACE", 7: "Level 7", 15: "verbose", 20: "INFO", 25: "NOTICE"}
    records = [
        logging.makeLogRecord(
            {"levelno": level, "levelname": names[level], "module": module, "funcName": function, "msg": f"item {number}"}
        )
        for number, (level, module, function) in enumerate(zip(levels, modules, functions, strict=True))
    ]
    lines = [formatter.format(item) for item in records]
    chosen = detect_format(lines, [compile_format(fmt, "%")])
    read = [chosen.match(line) for line in lines]
    assert [(fields or {}).get("module") for fields in read] == modules
    assert [(fields or {}).get("levelname") for fields in read] == [names[level] for level in levels]
