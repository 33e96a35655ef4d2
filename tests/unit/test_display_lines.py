"""Display lines map to the right record and line, folded or whole, against a brute-force listing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from logview.core.display_lines import DisplayLines
from logview.core.pipeline import Pipeline
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
    lines = DisplayLines(timeline, selection, folded)
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
