"""Every filter of --print, on real files, through the real command line."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from tests.unit.logfiles import record, write_records

TRACE = 5


@pytest.fixture
def mixed_log(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.log"
    loggers = ["app", "app.db", "app.db.pool", "application", "web"]
    levels = [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL, TRACE]
    rows = []
    for i in range(300):
        level = levels[i % len(levels)]
        fields = record(
            1709251200 + i,
            f"event {i} {'needle' if i % 7 == 0 else 'hay'}",
            name=loggers[i % len(loggers)],
            level=level,
            process=100 + i % 3,
        )
        fields["levelname"] = "TRACE" if level == TRACE else logging.getLevelName(level)
        rows.append(fields)
    write_records(path, rows)
    return path


def _json(result) -> list[dict[str, object]]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_level_and_above(mixed_log: Path, logview) -> None:
    records = _json(logview("--print", "--output", "jsonl", "--level", "WARNING", str(mixed_log)))
    assert {item["level"] for item in records} == {"WARNING", "ERROR", "CRITICAL"}
    assert len(records) == 150


def test_custom_numeric_level(mixed_log: Path, logview) -> None:
    records = _json(logview("--print", "--output", "jsonl", "--level", "5", str(mixed_log)))
    assert len(records) == 300
    records = _json(logview("--print", "--output", "jsonl", "--level", "11", str(mixed_log)))
    assert "TRACE" not in {item["level"] for item in records} and "DEBUG" not in {item["level"] for item in records}


def test_logger_and_descendants_not_prefix_siblings(mixed_log: Path, logview) -> None:
    records = _json(logview("--print", "--output", "jsonl", "--logger", "app.db", str(mixed_log)))
    assert {item["logger"] for item in records} == {"app.db", "app.db.pool"}
    records = _json(logview("--print", "--output", "jsonl", "--logger", "app", "--logger", "web", str(mixed_log)))
    assert {item["logger"] for item in records} == {"app", "app.db", "app.db.pool", "web"}


def test_exclude_logger(mixed_log: Path, logview) -> None:
    records = _json(logview("--print", "--output", "jsonl", "--exclude-logger", "app", str(mixed_log)))
    assert {item["logger"] for item in records} == {"application", "web"}


def test_pid(mixed_log: Path, logview) -> None:
    records = _json(logview("--print", "--output", "jsonl", "--pid", "101", "--pid", "102", str(mixed_log)))
    assert {item["pid"] for item in records} == {101, 102} and len(records) == 200


def test_grep_on_message(mixed_log: Path, logview) -> None:
    records = _json(logview("--print", "--output", "jsonl", "--grep", "need(le)", str(mixed_log)))
    assert len(records) == 43 and all("needle" in item["message"] for item in records)
    # The header is not searched: the level name is not in any message.
    assert _json(logview("--print", "--output", "jsonl", "--grep", "CRITICAL", str(mixed_log))) == []


def test_grep_with_a_python_only_regex(mixed_log: Path, logview) -> None:
    records = _json(logview("--print", "--output", "jsonl", "--grep", r"event (\d)\1 ", str(mixed_log)))
    assert sorted(int(str(item["message"]).split()[1]) for item in records) == [11, 22, 33, 44, 55, 66, 77, 88, 99]


def test_since_until(mixed_log: Path, logview) -> None:
    records = _json(
        logview("--print", "--output", "jsonl", "--since", "2024-03-01T00:01:00", "--until", "2024-03-01T00:01:09", str(mixed_log))
    )
    assert [item["message"].split()[1] for item in records] == [str(i) for i in range(60, 70)]


def test_filters_combine(mixed_log: Path, logview) -> None:
    records = _json(logview("--print", "--output", "jsonl", "--level", "ERROR", "--logger", "app", "--pid", "100", str(mixed_log)))
    assert records and all(
        item["pid"] == 100 and str(item["logger"]).startswith("app") and item["level"] in ("ERROR", "CRITICAL") for item in records
    )


def test_jsonl_fields(mixed_log: Path, logview) -> None:
    first = _json(logview("--print", "--output", "jsonl", str(mixed_log)))[0]
    assert first == {
        "time": "2024-03-01T00:00:00.000+00:00",
        "level": "DEBUG",
        "logger": "app",
        "pid": 100,
        "message": "event 0 needle",
        "source": str(mixed_log),
        "line": 1,
    }


@pytest.mark.parametrize(
    "arguments",
    [["--bogus"], ["--level", "LOUD"], ["--grep", "("], ["--since", "yesterday"], ["--format", "%(name"], ["--style", "#"], ["--pid", "x"]],
)
def test_usage_errors_exit_2_with_one_line(mixed_log: Path, arguments: list[str], logview) -> None:
    result = logview("--print", *arguments, str(mixed_log))
    assert result.returncode == 2
    assert len(result.stderr.decode().strip().splitlines()) == 1
    assert b"Traceback" not in result.stderr


def test_without_a_terminal_records_are_printed(mixed_log: Path, logview) -> None:
    piped = logview(str(mixed_log), "--level", "ERROR")
    printed = logview("--print", str(mixed_log), "--level", "ERROR")
    assert piped.returncode == 0 and piped.stdout == printed.stdout and piped.stdout


def test_selection_while_the_index_grows_lines_its_masks_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A text mask computed after more records arrived is cut to the rows the facet snapshot holds."""
    from concurrent.futures import ThreadPoolExecutor

    from logview.core.filters import Filters, TextFilter
    from logview.core.pipeline import Pipeline
    from logview.core.selection import Selector

    first, second = tmp_path / "first.log", tmp_path / "second.log"
    write_records(first, [record(1709251200 + n, f"alpha {n}", level=logging.INFO if n % 2 else logging.ERROR) for n in range(40)])
    write_records(second, [record(1709252200 + n, f"alpha late {n}") for n in range(25)])
    pipeline = Pipeline()
    with ThreadPoolExecutor(1) as pool:
        pipeline.load_one(str(first), pool)
        selector = Selector(pipeline)
        original = Selector.text_hits

        def grow_then_search(self: Selector, pattern: str):  # the loader appends between the two reads
            if len(pipeline.timeline) == 40:
                pipeline.load_one(str(second), pool)
            return original(self, pattern)

        monkeypatch.setattr(Selector, "text_hits", grow_then_search)
        selection = selector.select(Filters(min_level=logging.ERROR, text_filters=(TextFilter("alpha", keep=True),)))
    assert len(pipeline.timeline) == 65
    assert selection.rows.to_array().tolist() == list(range(0, 40, 2))
    assert int(selection.counts.levels.sum()) == 40
    pipeline.close()


def test_pane_counts_while_new_facets_arrive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Facets (a new logger, a new process) interned while the counts are made must not misalign the per-facet arrays."""
    from concurrent.futures import ThreadPoolExecutor

    from logview.core.filters import Filters
    from logview.core.pipeline import Pipeline
    from logview.core.selection import Selector

    first, second = tmp_path / "first.log", tmp_path / "second.log"
    write_records(first, [record(1709251200 + n, f"alpha {n}", level=logging.INFO if n % 2 else logging.ERROR) for n in range(40)])
    write_records(second, [record(1709252200 + n, f"late {n}", name=f"late.part{n}", process=5000 + n) for n in range(25)])
    pipeline = Pipeline()
    with ThreadPoolExecutor(1) as pool:
        pipeline.load_one(str(first), pool)
        selector = Selector(pipeline)
        original = Selector._facet_counts

        def count_while_growing(self: Selector, *arguments):  # the loader appends while the counts are made
            if len(pipeline.timeline) == 40:
                pipeline.load_one(str(second), pool)
            return original(self, *arguments)

        monkeypatch.setattr(Selector, "_facet_counts", count_while_growing)
        selection = selector.select(Filters(min_level=logging.ERROR))
    assert len(pipeline.timeline) == 65
    assert selection.rows.to_array().tolist() == list(range(0, 40, 2))
    assert int(selection.counts.levels.sum()) == 40 and int(selection.counts.processes.sum()) == 20
    pipeline.close()


def test_pane_counts_follow_an_index_that_grows(tmp_path: Path) -> None:
    """The count over every row is kept and grown chunk by chunk: it must equal a count made afresh at every step."""
    from logview.core.filters import Filters
    from logview.core.pipeline import Pipeline
    from logview.core.selection import Selector

    path = tmp_path / "app.log"
    levels = [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR]
    write_records(path, [record(1709251200 + n, f"event {n}", level=levels[n % 4], name=f"app.part{n % 7}") for n in range(3000)])
    pipeline = Pipeline(chunk_size=16384, first_chunk_size=4096)
    selector = Selector(pipeline)
    steps = []

    def counted(state: object) -> None:
        grown = selector.select(Filters()).counts.loggers
        afresh = Selector(pipeline).select(Filters()).counts.loggers
        steps.append(len(pipeline.timeline))
        np.testing.assert_array_equal(grown[: len(afresh)], afresh)
        assert not grown[len(afresh) :].any()

    pipeline.load([str(path)], on_progress=counted)
    assert len(steps) > 5 and steps[-1] == 3000
    assert int(selector.select(Filters()).counts.loggers.sum()) == 3000
    pipeline.close()


def test_text_filters_keep_any_filter_in_and_no_filter_out(mixed_log: Path) -> None:
    """lnav's rule: two filter-ins widen the view (either matches), a filter-out narrows it, a switched-off one does nothing."""
    from concurrent.futures import ThreadPoolExecutor

    from logview.core.filters import Filters, TextFilter
    from logview.core.pipeline import Pipeline
    from logview.core.records import RecordReader
    from logview.core.selection import Selector

    pipeline = Pipeline()
    with ThreadPoolExecutor(1) as pool:
        pipeline.load_one(str(mixed_log), pool)
    selector, reader = Selector(pipeline), RecordReader(pipeline)

    def messages(*text_filters: TextFilter) -> list[str]:
        rows = selector.select(Filters(text_filters=text_filters)).rows.to_array()
        return [record.message for record in reader.records(rows)]

    events = [f"event {i} {'needle' if i % 7 == 0 else 'hay'}" for i in range(300)]
    assert messages(TextFilter("event 1[0-9] ", True), TextFilter("event 2[0-9] ", True)) == [
        message for message in events if message.startswith(("event 1", "event 2")) and len(message.split()[1]) == 2
    ]
    assert messages(TextFilter("needle", True), TextFilter("event [0-9] ", False)) == [
        message for message in events if "needle" in message and len(message.split()[1]) > 1
    ]
    assert messages(TextFilter("needle", True, enabled=False)) == events
    assert messages(TextFilter("needle", True), TextFilter("hay", True, enabled=False)) == [
        message for message in events if "needle" in message
    ]
    pipeline.close()


@pytest.mark.parametrize("allowed_codes", [[3], [0, 5, 7], list(range(1, 40)), [code for code in range(40) if code not in (2, 9)]])
@pytest.mark.parametrize("block", [7, 64, 1 << 18])
def test_code_mask_is_the_table_lookup_whatever_the_blocks(monkeypatch: pytest.MonkeyPatch, allowed_codes: list[int], block: int) -> None:
    """Few codes allowed, few not, or many of each: three ways to the same mask, block by block."""
    from logview.core import masks

    monkeypatch.setattr(masks, "LOOKUP_BLOCK", block)
    codes = np.random.default_rng(3).integers(0, 40, size=1000).astype(np.uint16)
    allowed = np.zeros(40, dtype=bool)
    allowed[allowed_codes] = True
    assert masks.code_mask(codes, allowed).tolist() == allowed[codes].tolist()
