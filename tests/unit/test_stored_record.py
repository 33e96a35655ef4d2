"""A record read a piece at a time from its file (StoredRecord): what the details view shows past a cut record's head, and how it is saved."""

from __future__ import annotations

import gzip
import io
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from logview.core.pipeline import Pipeline
from logview.core.record_text import StoredRecord, cut_mark, record_bytes
from tests.unit.logfiles import record, write_records

#: A message whose characters take 1, 2, 3 and 4 bytes: pieces of any size fall inside some of them.
MESSAGE = "".join(f"{number} é € 𝄞 " for number in range(300)) + "\nTraceback line\n  more ü"


def _stored(tmp_path: Path, compressed: bool) -> tuple[Pipeline, StoredRecord, bytes]:
    """The middle record of three, in a file written by FileHandler (gzipped, read from the spool): it and its text."""
    path = tmp_path / "log.log"
    write_records(path, [record(1709251200, "before"), record(1709251201, MESSAGE), record(1709251202, "after")])
    lines = path.read_bytes().split(b"\n")
    text = b"\n".join(lines[1:4])  # the record's three lines, without its line end
    if compressed:
        path = path.with_suffix(".log.gz")
        path.write_bytes(gzip.compress((tmp_path / "log.log").read_bytes()))
    pipeline = Pipeline()
    pipeline.load([str(path)])
    sources, offsets, lengths = pipeline.timeline.spans(np.array([1]))
    stored = StoredRecord(partial(pipeline.read_bytes, int(sources[0])), int(offsets[0]), int(lengths[0]))
    assert stored.length == len(text) + 1 and stored.text_length == len(text)
    return pipeline, stored, text


@pytest.mark.parametrize("compressed", [False, True])
@pytest.mark.parametrize("limit", [5, 97, 1000])
def test_pieces_end_between_characters_and_follow_on(tmp_path: Path, compressed: bool, limit: int) -> None:
    pipeline, stored, text = _stored(tmp_path, compressed)
    pieces = []
    start = stored.head_end(limit)
    assert text[:start] + cut_mark(len(text) - start) + b"\n" == record_bytes(stored.read, stored.offset, stored.length, limit)
    pieces.append(text[:start])
    cut_inside = 0
    while start < stored.text_length:
        piece = stored.piece(start, limit)
        assert 0 < len(piece) <= limit
        cut_inside += len(piece) < limit and start + len(piece) < stored.text_length
        piece.decode()  # whole characters: a cut one would not decode
        pieces.append(piece)
        start += len(piece)
    assert cut_inside > 0  # some piece would have ended inside a character
    assert b"".join(pieces) == text
    assert stored.piece(stored.text_length, limit) == b""
    pipeline.close()


def test_a_piece_that_would_end_inside_a_character_ends_before_it(tmp_path: Path) -> None:
    pipeline, stored, text = _stored(tmp_path, compressed=False)
    at = text.index("𝄞".encode())
    assert stored.piece(0, at + 2) == text[:at]  # two of the four bytes of 𝄞: it waits for the next piece
    assert stored.piece(at, 4) == "𝄞".encode()
    assert stored.piece(at + 1, 1) == text[at + 1 : at + 2]  # less than a character still moves on
    assert stored.piece(len(text) - 1, 1000) == "ü".encode()[1:]  # the text's end is not held back
    pipeline.close()


@pytest.mark.parametrize("compressed", [False, True])
def test_the_whole_record_is_written_a_piece_at_a_time(tmp_path: Path, compressed: bool) -> None:
    pipeline, stored, text = _stored(tmp_path, compressed)
    out = io.BytesIO()
    assert stored.write_to(out, piece=7) == len(text) + 1
    assert out.getvalue() == text + b"\n"
    pipeline.close()
