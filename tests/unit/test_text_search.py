"""Text search finds the records whose message or continuation lines match, across any chunking."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from logview.core import text_search
from logview.core.pipeline import Pipeline
from logview.core.records import RecordReader
from tests.unit.logfiles import record, write_records


@pytest.mark.parametrize("search_chunk", [64, 700, 1 << 20])
@pytest.mark.parametrize("files", [1, 2])
def test_text_hits_match_a_brute_force_search(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, search_chunk: int, files: int) -> None:
    monkeypatch.setattr(text_search, "SEARCH_CHUNK", search_chunk)
    paths = []
    for number in range(files):
        path = tmp_path / f"part{number}.log"
        rows = []
        for index in range(150):
            message = f"job {index} of file {number}"
            if index % 9 == 4:
                message += "\nTraceback (most recent call last):\n  File 'x.py', line 2\nKeyError: 'needle'"
            rows.append(record(1709251200 + 2 * index + number, message))
        write_records(path, rows)
        paths.append(str(path))
    pipeline = Pipeline()
    timeline = pipeline.load(paths)
    reader = RecordReader(pipeline)
    monkeypatch.setattr(text_search, "ROWS_BLOCK", 64)  # the rows listed a block at a time, the last one short
    for pattern in ("needle", r"job 1\d of", "file 1$"):
        hits = text_search.text_hits(pipeline, pattern)
        expected = [re.search(pattern, record.message, re.MULTILINE) is not None for record in reader.records(range(len(timeline)))]
        assert hits.mask.tolist() == expected, pattern
        assert hits.rows().tolist() == [row for row, hit in enumerate(expected) if hit], pattern
    pipeline.close()
