"""Display lines map to the right record and line, folded or whole, against a brute-force listing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from logview.core.display_lines import DisplayLines
from logview.core.pipeline import Pipeline
from logview.core.view_rows import ViewRows
from tests.unit.logfiles import record, write_records


@pytest.mark.parametrize("folded", [False, True])
def test_every_display_line_maps_back(tmp_path: Path, folded: bool) -> None:
    path = tmp_path / "app.log"
    rows = []
    for number in range(60):
        message = f"record {number}"
        if number % 7 == 3:
            message += "\nTraceback (most recent call last):\n" + "\n".join(f"  line {k}" for k in range(number % 5))
        rows.append(record(1709251200 + number, message))
    write_records(path, rows)
    pipeline = Pipeline()
    timeline = pipeline.load([str(path)])
    selection = timeline.positions()[::2]  # every other record, as a filter would
    lines = DisplayLines(timeline, ViewRows.listed(selection), folded)
    expected: list[tuple[int, int]] = []
    for index, row in enumerate(selection.tolist()):
        count = 1 if folded else 1 + int(timeline.multi_line.extra_lines(np.array([row]))[0])
        expected.extend((index, line) for line in range(count))
    assert len(lines) == len(expected)
    assert [lines.locate(y) for y in range(len(expected))] == expected
    for index in range(len(selection)):
        first = lines.first_line_of(index)
        assert expected[first] == (index, 0)
        assert lines.lines_of(index) == sum(1 for item in expected if item[0] == index)
    pipeline.close()


def test_locate_for_sorted_and_merged_views(tmp_path: Path) -> None:
    first, second = tmp_path / "a.log", tmp_path / "b.log"
    write_records(first, [record(1709251200 + 2 * n, f"a {n}") for n in range(50)])
    write_records(second, [record(1709251201 + 2 * n, f"b {n}") for n in range(50)])
    for names in ([str(first)], [str(first), str(second)]):
        pipeline = Pipeline()
        timeline = pipeline.load(names)
        keep = np.zeros(len(timeline), dtype=bool)
        keep[::3] = True
        rows = ViewRows.over(timeline.order, keep, len(timeline))
        selection = rows.to_array()
        wanted = np.array(sorted({int(row) for row in selection[::4]} | {int(len(timeline) - 1), 1}), dtype=np.int64)
        expected = [index for index, row in enumerate(selection.tolist()) if row in set(wanted.tolist())]
        assert rows.locate(wanted)[0].tolist() == expected
        assert (timeline.order is None) == (len(names) == 1)
        pipeline.close()
