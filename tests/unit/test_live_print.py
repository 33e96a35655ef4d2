"""``--print -f``'s live printer, polled by hand: lines that continue a record already printed.

A record is printed once its file has been quiet for a poll; a record printed
cannot be amended, so lines written to it later (the rest of a traceback
whose writer paused) are printed when they come: as text, the lines as they
are; as JSON lines, the record again whole, marked ``"continued": true``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from logview.core.filters import Filters
from logview.core.live_print import LivePrinter
from logview.core.pipeline import Pipeline
from logview.core.printer import Printer
from logview.core.selection import selected_rows
from logview.core.sources.follow import Follower

FAILED = b"2026-11-23 21:20:50,227 3580 myapp ERROR failed\nTraceback (most recent call last):\n"
LATE = b'  File "x.py", line 1, in <module>\nValueError: late\n'
OTHER = b"2026-11-23 21:20:50,500 3580 other INFO meanwhile\n"
NEXT = b"2026-11-23 21:20:51,227 3580 myapp INFO next\n"


@contextmanager
def _printing(paths: list[Path], output: str) -> Iterator[tuple[io.BytesIO, Callable[[], None]]]:
    """A live printer over ``paths``, and a poll: the follower's, then a print by its rule (held back until a quiet poll)."""
    pipeline = Pipeline(growing=True)
    out = io.BytesIO()
    try:
        pipeline.load([str(path) for path in paths])
        follower = Follower(pipeline, ())
        live = LivePrinter(pipeline, Printer(pipeline, out), Filters(), output)
        live.print_read(selected_rows(pipeline, Filters()))

        def poll() -> None:
            live.print_new(quiet=follower.poll() == 0)

        try:
            yield out, poll
        finally:
            follower.close()
        live.print_new(quiet=True, final=True)
    finally:
        pipeline.close()


def _append(path: Path, data: bytes) -> None:
    with open(path, "ab") as handle:
        handle.write(data)


def test_lines_after_a_pause_follow_the_record_when_nothing_came_between(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_bytes(FAILED)
    with _printing([log], "text") as (out, poll):
        poll()  # quiet: the record is printed
        assert out.getvalue() == FAILED
        _append(log, LATE)
        poll()  # its lines came: held, as a record is, for more may come
        poll()  # quiet: printed
        _append(log, NEXT)
        poll()
    assert out.getvalue() == FAILED + LATE + NEXT


def test_lines_after_a_pause_come_after_what_was_printed_meanwhile(tmp_path: Path) -> None:
    log, other = tmp_path / "app.log", tmp_path / "other.log"
    log.write_bytes(FAILED)
    other.write_bytes(b"")
    with _printing([log, other], "text") as (out, poll):
        poll()
        _append(other, OTHER)
        poll()
        poll()
        assert out.getvalue() == FAILED + OTHER
        _append(log, LATE)
        poll()
        poll()
    assert out.getvalue() == FAILED + OTHER + LATE


def test_lines_after_a_pause_reprint_the_record_marked_continued_in_json_lines(tmp_path: Path) -> None:
    log, other = tmp_path / "app.log", tmp_path / "other.log"
    log.write_bytes(FAILED)
    other.write_bytes(b"")
    with _printing([log, other], "jsonl") as (out, poll):
        poll()
        _append(other, OTHER)
        poll()
        poll()
        _append(log, LATE)
        poll()
        poll()
        _append(log, NEXT)
        poll()
    objects = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(item["message"], item["line"], item.get("continued")) for item in objects] == [
        ("failed\nTraceback (most recent call last):", 1, None),
        ("meanwhile", 1, None),
        ('failed\nTraceback (most recent call last):\n  File "x.py", line 1, in <module>\nValueError: late', 1, True),
        ("next", 5, None),
    ]
    assert objects[2]["source"] == objects[0]["source"]
