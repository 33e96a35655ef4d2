"""The first frame, drawn before Textual is loaded, is the app's own first frame, cell for cell.

Textual draws its first frame over the one the command line drew half a
second earlier: any cell that differs is a flicker or a jump the user sees.
Both are compared here as a terminal shows them, character, colours and
attributes of every cell, on the bundled sample logs and on files with wide
lines and tracebacks, at 80×24 and wide.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from rich.segment import Segment
from rich.style import Style

from logview.core.newest import SCREEN_RECORDS, newest_records
from logview.ui.app import LogViewApp
from logview.ui.first_frame import first_screen
from tests.command import ROOT
from tests.functional.driving import HeldPipeline
from tests.unit.logfiles import record, write_records

SAMPLES = sorted(str(path) for path in (ROOT / "sample_logs").iterdir())

Cell = tuple[str, str | None, str | None, bool, bool, bool, bool, bool]


def cells(rows: list[list[Segment]]) -> list[list[Cell]]:
    """Each cell as a terminal shows it: its character, its colours (reverse applied) and attributes."""
    screen = []
    for row in rows:
        line: list[Cell] = []
        for segment in row:
            if segment.control:
                continue
            style = segment.style or Style()
            foreground = style.color.get_truecolor().hex if style.color and not style.color.is_default else None
            background = style.bgcolor.get_truecolor().hex if style.bgcolor and not style.bgcolor.is_default else None
            if style.reverse:
                foreground, background = background, foreground
            for char in segment.text:
                # A space's foreground shows nowhere (but in a line drawn through it): it is no difference.
                visible = foreground if char != " " or style.underline or style.strike else None
                line.append(
                    (
                        char,
                        visible,
                        background,
                        bool(style.bold),
                        bool(style.dim),
                        bool(style.italic),
                        bool(style.underline),
                        bool(style.strike),
                    )
                )
        screen.append(line)
    return screen


async def textual_first_frame(paths: list[str], size: tuple[int, int]) -> list[list[Segment]]:
    """The app's screen before its index has read anything: its first frame."""
    with HeldPipeline() as pipeline:
        app = LogViewApp(paths, pipeline=pipeline)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            update = app.screen._compositor.render_full_update()
            pipeline.go.set()  # let it read, so that the app's exit does not wait for its held thread
            return [[segment for strip in line for segment in strip] for line in update.strips]


def differences(expected: list[list[Cell]], drawn: list[list[Cell]]) -> list[str]:
    found = []
    for y, (want, got) in enumerate(zip(expected, drawn, strict=True)):
        if want != got:
            x = (
                next(index for index, (a, b) in enumerate(zip(want, got, strict=False)) if a != b)
                if len(want) == len(got)
                else min(len(want), len(got))
            )
            found.append(f"row {y} col {x}: Textual {want[x : x + 3]} first frame {got[x : x + 3]} (widths {len(want)}, {len(got)})")
    return found


@pytest.fixture
def wide_and_tracebacks(tmp_path: Path) -> list[str]:
    path = tmp_path / "service.log"
    rows = []
    for number in range(300):
        message = f"request {number} " + ("y" * (number % 200))
        if number % 17 == 0:
            message += '\nTraceback (most recent call last):\n  File "svc.py", line 9, in handle\nValueError: bad input'
        level = [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL][number % 5]
        rows.append(record(1709251200 + number / 10, message, name=f"svc.part{number % 3}", level=level, process=900 + number % 4))
    write_records(path, rows)
    return [str(path)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 45)], ids=lambda size: f"{size[0]}x{size[1]}")
async def test_the_first_frame_is_the_apps_on_the_sample_logs(size: tuple[int, int]) -> None:
    newest = newest_records(SAMPLES, SCREEN_RECORDS)
    assert newest is not None
    expected = cells(await textual_first_frame(SAMPLES, size))
    drawn = cells(first_screen(*size, newest.records))
    assert differences(expected, drawn) == []


@pytest.mark.parametrize("size", [(80, 24), (150, 40)], ids=lambda size: f"{size[0]}x{size[1]}")
async def test_the_first_frame_is_the_apps_with_wide_lines_and_tracebacks(size: tuple[int, int], wide_and_tracebacks: list[str]) -> None:
    newest = newest_records(wide_and_tracebacks, SCREEN_RECORDS)
    assert newest is not None
    expected = cells(await textual_first_frame(wide_and_tracebacks, size))
    drawn = cells(first_screen(*size, newest.records))
    assert differences(expected, drawn) == []


async def test_a_few_records_fill_the_pane_from_its_top(tmp_path: Path) -> None:
    path = tmp_path / "short.log"
    write_records(path, [record(1709251200 + number, f"only {number}") for number in range(4)])
    newest = newest_records([str(path)], SCREEN_RECORDS)
    assert newest is not None
    expected = cells(await textual_first_frame([str(path)], (100, 30)))
    assert differences(expected, cells(first_screen(100, 30, newest.records))) == []
