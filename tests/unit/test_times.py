"""Times as Python's logging writes them, read as true UTC by both readers, and shown in one zone.

Every file here is written by a real ``logging.Formatter`` in the zone named
(``TZ`` and ``time.tzset()``), and read back twice: by ``--print`` in a child
process whose ``TZ`` is the viewer's (the polars path), and by the first
frame's plain-Python reader (``newest_records``, CPython's ``re``) in that zone.
Both must give each record's true moment, so that records keep their order
across an offset, a change to or from summer time, and files from different zones.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from logview.core import zones
from logview.core.inputs.arguments import expand_inputs
from logview.core.newest import newest_records
from logview.core.parse.format_string import LogFormat, compile_format
from logview.core.pipeline import Pipeline
from logview.core.records import RecordReader
from tests.unit.zoned import BERLIN, FALL_BACK, NEW_YORK, SPRING_FORWARD, write, zone

ROOT = Path(__file__).resolve().parent.parent.parent


def true_ms(moment: float, unit_ms: int = 1) -> int:
    """The moment as the log can say it: to the millisecond, or the second or minute its datefmt keeps."""
    millis = round(moment * 1000)
    return millis - millis % unit_ms


def printed(paths: list[Path], viewer_zone: str, *options: str) -> list[tuple[str, int, str]]:
    """(message, UTC ms, time as printed) of each record of ``--print --output jsonl``, run in ``viewer_zone``."""
    result = subprocess.run(
        [sys.executable, "-m", "logview", "--print", "--output", "jsonl", *options, *map(str, paths)],
        capture_output=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "TZ": viewer_zone},
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    return [(item["message"], _utc_ms(item["time"]), item["time"]) for item in records]


def _utc_ms(text: str) -> int:
    return round(datetime.fromisoformat(text).timestamp() * 1000)


def previewed(paths: list[Path], viewer_zone: str, user_formats: tuple[LogFormat, ...] = ()) -> list[tuple[str, int]]:
    """(message, UTC ms) of the records the first frame reads (plain Python, ``re``), in ``viewer_zone``."""
    with zone(viewer_zone):
        newest = newest_records([str(path) for path in paths], 1000, user_formats)
    assert newest is not None
    return [(record.message, record.time) for record in newest.records]


def indexed(paths: list[Path], viewer_zone: str, chunk_size: int) -> list[tuple[str, int]]:
    """(message, UTC ms) of every record of the index, read in chunks of ``chunk_size`` bytes in ``viewer_zone``."""
    with zone(viewer_zone):
        pipeline = Pipeline(chunk_size=chunk_size, first_chunk_size=chunk_size)
        try:
            pipeline.load(expand_inputs([str(path) for path in paths]).names)
            rows = pipeline.timeline.positions()
            return [(record.message, record.time) for record in RecordReader(pipeline).records(rows, line_numbers=False)]
        finally:
            pipeline.close()


def read_back(paths: list[Path], viewer_zone: str, fmt: str | None = None, datefmt: str | None = None) -> list[tuple[str, int]]:
    """What ``--print`` reads, checked equal to what the first frame reads; ``fmt``: the format given with --format."""
    options = ["--format", fmt] + (["--datefmt", datefmt] if datefmt else []) if fmt else []
    by_print = [(message, millis) for message, millis, _ in printed(paths, viewer_zone, *options)]
    assert previewed(paths, viewer_zone, (compile_format(fmt, datefmt=datefmt),) if fmt else ()) == by_print
    return by_print


def expected(path: Path, created: list[float], unit_ms: int = 1) -> list[tuple[str, int]]:
    return [(f"{path.stem}{number}", true_ms(moment, unit_ms)) for number, moment in enumerate(created)]


# -- summer time --------------------------------------------------------------------------------------------------


def test_the_hour_written_twice_when_the_clock_is_set_back_keeps_file_order(tmp_path: Path) -> None:
    """Berlin, 2024-10-27: 02:00-03:00 is written twice; the records after the step back are in its second pass."""
    path = tmp_path / "fall.log"
    created = [FALL_BACK - 1800 + 97.25 * number for number in range(100)]  # 01:30 CEST to 03:10 CET
    with zone(BERLIN):
        write(path, created, "%(asctime)s %(levelname)s %(name)s %(message)s")
    stamps = [line[11:19] for line in path.read_text().splitlines()]
    assert sum(later < earlier for earlier, later in zip(stamps, stamps[1:], strict=False)) == 1  # the clock did step back
    assert read_back([path], BERLIN) == expected(path, created)
    # The step back in one chunk, the second pass in the next ones: chunks are parsed side by side, settled in order.
    assert indexed([path], BERLIN, chunk_size=1024) == expected(path, created)


def test_the_hour_skipped_when_the_clock_is_set_forward(tmp_path: Path) -> None:
    path = tmp_path / "spring.log"
    created = [SPRING_FORWARD - 1800 + 61.5 * number for number in range(90)]  # 01:30 CET to 04:01 CEST
    with zone(BERLIN):
        write(path, created, "%(asctime)s %(levelname)s %(name)s %(message)s")
    assert "02:30:" not in path.read_text()
    assert read_back([path], BERLIN) == expected(path, created)


# -- offsets and zone names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("datefmt", ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S %Z"])
def test_a_written_offset_or_zone_name_is_read_as_it_says(tmp_path: Path, datefmt: str) -> None:
    """Written in Berlin across the fall back, read in New York: the offset or zone name says which pass."""
    path = tmp_path / "zoned.log"
    created = [FALL_BACK - 1800 + 97 * number for number in range(100)]
    fmt = "%(asctime)s %(levelname)s %(name)s %(message)s"
    with zone(BERLIN):
        write(path, created, fmt, datefmt)
    assert read_back([path], NEW_YORK, fmt, datefmt) == expected(path, created, 1000)


def test_files_written_in_different_zones_merge_in_true_order(tmp_path: Path) -> None:
    """Two files with offsets, from Berlin and New York, and one without, written in the viewer's own zone (Tokyo)."""
    start = datetime(2024, 7, 1, 12, tzinfo=UTC).timestamp()
    berlin, new_york, tokyo = tmp_path / "berlin.log", tmp_path / "newyork.log", tmp_path / "tokyo.log"
    fmt, datefmt = "%(asctime)s %(levelname)s %(name)s %(message)s", "%Y-%m-%d %H:%M:%S %z"
    with zone(BERLIN):
        write(berlin, [start + 3 * number for number in range(40)], fmt, datefmt)
    with zone(NEW_YORK):
        write(new_york, [start + 1 + 3 * number for number in range(40)], fmt, datefmt)
    with zone("Asia/Tokyo"):
        write(tokyo, [start + 2 + 3 * number for number in range(40)], fmt)
    merged = [message for message, _ in read_back([berlin, new_york, tokyo], "Asia/Tokyo", fmt, datefmt)]
    assert merged == [f"{name}{number}" for number in range(40) for name in ("berlin", "newyork", "tokyo")]


# -- how the Formatter was set up ------------------------------------------------------------------------------


def test_a_formatter_that_wrote_utc_is_read_as_utc_when_told(tmp_path: Path) -> None:
    """``Formatter.converter = time.gmtime`` writes UTC without saying so: --written-in-utc says it."""
    path = tmp_path / "gmtime.log"
    created = [FALL_BACK + 45.5 * number for number in range(60)]
    with zone(BERLIN):
        write(path, created, "%(asctime)s %(levelname)s %(name)s %(message)s", converter=time.gmtime)
    by_print = [(message, millis) for message, millis, _ in printed([path], BERLIN, "--written-in-utc")]
    assert by_print == expected(path, created)
    zones.read_naive_times_in_utc(True)
    try:
        assert previewed([path], BERLIN) == expected(path, created)
    finally:
        zones.read_naive_times_in_utc(False)


@pytest.mark.parametrize(("msec_format", "unit_ms"), [("%s.%03d", 1), (None, 1000), ("%s,%03d", 1)])
def test_default_msec_format_changed(tmp_path: Path, msec_format: str | None, unit_ms: int) -> None:
    """The default asctime pattern reads ``,mmm``, ``.mmm`` (``default_msec_format = '%s.%03d'``) and none (``None``)."""
    path = tmp_path / "msecs.log"
    created = [FALL_BACK - 900 + 30.25 * number for number in range(60)]
    with zone(BERLIN):
        write(path, created, "%(asctime)s %(levelname)s %(name)s %(message)s", default_msec_format=msec_format)
    assert read_back([path], BERLIN) == expected(path, created, unit_ms)


@pytest.mark.parametrize(
    ("fmt", "datefmt", "unit_ms"),
    [
        ("%(created)f %(levelname)s %(name)s %(message)s", None, 1),
        ("%(asctime)s.%(msecs)03d %(levelname)s %(name)s %(message)s", "%Y-%m-%d %H:%M:%S", 1),
        ("%(asctime)s %(name)-12s %(levelname)-8s %(message)s", "%d/%m/%Y %H:%M", 60_000),
    ],
)
def test_created_msecs_apart_and_no_seconds(tmp_path: Path, fmt: str, datefmt: str | None, unit_ms: int) -> None:
    path = tmp_path / "fields.log"
    created = [FALL_BACK - 3 * 3600 + 61.125 * number for number in range(50)]
    with zone(BERLIN):
        write(path, created, fmt, datefmt)
    assert read_back([path], BERLIN, fmt, datefmt) == expected(path, created, unit_ms)


def test_a_datefmt_without_a_year_is_read_in_this_year(tmp_path: Path) -> None:
    """The cookbook's ``%m-%d %H:%M``: no year and no seconds; the year is the current one, the zone the local one."""
    fmt, datefmt = "%(asctime)s %(name)-12s %(levelname)-8s %(message)s", "%m-%d %H:%M"
    this_year = datetime.now().year
    path = tmp_path / "noyear.log"
    created = [datetime(this_year, 3, 30, 22, tzinfo=UTC).timestamp() + 600.5 * number for number in range(40)]  # over spring forward
    with zone(BERLIN):
        write(path, created, fmt, datefmt)
    assert read_back([path], BERLIN, fmt, datefmt) == expected(path, created, 60_000)


def test_dates_before_1970_and_after_2038(tmp_path: Path) -> None:
    path = tmp_path / "far.log"
    created = [-1_000_000_000.0, -86_400.0, -1.0, 0.0, 2_147_483_647.0, 3_000_000_000.0, 4_102_444_800.0]
    with zone(BERLIN):
        write(path, created, "%(asctime)s %(levelname)s %(name)s %(message)s")
    assert path.read_text().startswith("1938-04-24 23:13:20,000")
    assert read_back([path], BERLIN) == expected(path, created)


# -- shown in one zone -----------------------------------------------------------------------------------------


def test_times_are_shown_in_local_time_or_utc(tmp_path: Path) -> None:
    path = tmp_path / "shown.log"
    created = [FALL_BACK - 600.0, FALL_BACK + 3000.0, FALL_BACK + 4200.0]  # 01:50 CEST, 02:50 CEST, 02:10 CET
    with zone(BERLIN):
        write(path, created, "%(asctime)s %(levelname)s %(name)s %(message)s")
    local = [shown for _, _, shown in printed([path], BERLIN)]
    assert local == ["2024-10-27T01:50:00.000+02:00", "2024-10-27T02:50:00.000+02:00", "2024-10-27T02:10:00.000+01:00"]
    utc = [shown for _, _, shown in printed([path], BERLIN, "--utc")]
    assert utc == ["2024-10-26T23:50:00.000+00:00", "2024-10-27T00:50:00.000+00:00", "2024-10-27T01:10:00.000+00:00"]


def test_since_and_until_are_in_the_zone_times_are_shown_in(tmp_path: Path) -> None:
    path = tmp_path / "since.log"
    created = [FALL_BACK - 3600 + 600.0 * number for number in range(12)]  # 01:00 CEST, every 10 minutes
    with zone(BERLIN):
        write(path, created, "%(asctime)s %(levelname)s %(name)s %(message)s")
    local = printed([path], BERLIN, "--since", "2024-10-27T01:30", "--until", "2024-10-27T01:50")
    assert [message for message, _, _ in local] == ["since3", "since4", "since5"]
    utc = printed([path], BERLIN, "--utc", "--since", "2024-10-26T23:30", "--until", "2024-10-26T23:50")
    assert [message for message, _, _ in utc] == ["since3", "since4", "since5"]
    offset = printed([path], BERLIN, "--since", "2024-10-27T02:30+02:00")
    assert [message for message, _, _ in offset] == ["since9", "since10", "since11"]


@pytest.mark.parametrize("utc", [False, True])
def test_typed_times_and_histogram_labels_are_in_the_zone_shown(utc: bool) -> None:
    """``t 02:30`` on the cursor's day, and the histogram's labels, read and say the time the log pane shows."""
    from logview.core.user_time import parse_moment
    from logview.ui.widgets.histogram import _labels

    cursor = true_ms(FALL_BACK + 3000)  # 00:50 UTC, 02:50 CEST
    zones.show_in_utc(utc)
    try:
        with zone(BERLIN):
            typed = parse_moment("01:30", cursor)
            labels = _labels(cursor, cursor + 3_600_000)
    finally:
        zones.show_in_utc(False)
    if utc:
        assert typed == true_ms(datetime(2024, 10, 27, 1, 30, tzinfo=UTC).timestamp())
        assert labels == (("Oct 27", "Oct 27"), ("00:50:00", "01:50:00"))
    else:
        assert typed == true_ms(datetime(2024, 10, 26, 23, 30, tzinfo=UTC).timestamp())  # 01:30 CEST
        assert labels == (("Oct 27", "Oct 27"), ("02:50:00", "02:50:00"))  # CEST, then CET an hour later


def test_a_queues_records_keep_created_as_their_time(tmp_path: Path) -> None:
    """``created`` is UTC already: over the fall back, the queue's records keep it; their text shows local time."""
    import queue

    from logview.core.sources.queue import QueueSource

    created = [FALL_BACK + 1800.5 + 1800 * number for number in range(3)]  # 02:30 CEST, 02:00 CET, 02:30 CET
    log_queue: queue.Queue[logging.LogRecord | None] = queue.Queue()
    for number, moment in enumerate(created):
        log_queue.put(logging.makeLogRecord({"created": moment, "msg": f"q{number}", "name": "app", "levelno": 20, "levelname": "INFO"}))
    log_queue.put(None)
    with zone(BERLIN):
        pipeline = Pipeline()
        source = QueueSource(log_queue)
        try:
            pipeline.start([source]).wait()
            records = list(RecordReader(pipeline).records(pipeline.timeline.positions()))
        finally:
            source.close()
            pipeline.close()
    assert [(record.message, record.time) for record in records] == [(f"q{n}", true_ms(moment)) for n, moment in enumerate(created)]
    assert [record.text[:23] for record in records] == ["2024-10-27 02:30:00,500", "2024-10-27 02:00:00,500", "2024-10-27 02:30:00,500"]


@pytest.mark.parametrize("time_key", ["asctime", "created"])
def test_json_lines_times_without_an_offset_are_local_and_with_one_as_they_say(tmp_path: Path, time_key: str) -> None:
    """JSON lines written by a Formatter across the fall back: ``asctime`` is local wall-clock time, ``created`` UTC."""
    path = tmp_path / "json.log"
    created = [FALL_BACK - 1800 + 97.25 * number for number in range(100)]
    fmt = f'{{"{time_key}": "%({time_key})s", "levelname": "%(levelname)s", "name": "%(name)s", "message": "%(message)s"}}'
    with zone(BERLIN):
        write(path, created, fmt)
    assert read_back([path], BERLIN) == expected(path, created, 1)
