"""The headless ``--print`` mode: the pipeline's records, filtered, to a stream.

Text output copies each record's original bytes. Records are gathered in
batches with numpy (one fancy-index over a memory map per batch), so a level
filter that keeps every tenth record costs no Python work per record.
"""

from __future__ import annotations

import json
import mmap
import os
from typing import BinaryIO

import numpy as np

from logview.core.pipeline import Pipeline
from logview.core.records import RecordReader

#: Records gathered per write: bounds the gather's index array (8 bytes per byte of text).
BATCH_ROWS = 16384


class Printer:
    def __init__(self, pipeline: Pipeline, out: BinaryIO) -> None:
        self.pipeline = pipeline
        self.out = out
        self._maps: dict[int, np.ndarray | None] = {}

    def print_text(self, rows: np.ndarray) -> int:
        """Write the records' original lines; returns how many records were written."""
        timeline = self.pipeline.timeline
        written = 0
        for start in range(0, len(rows), BATCH_ROWS):
            batch = rows[start : start + BATCH_ROWS]
            batch_sources, batch_offsets, batch_lengths = timeline.spans(batch)
            # Split the batch where the source changes, then gather each run of one source.
            cuts = np.flatnonzero(batch_sources[1:] != batch_sources[:-1]) + 1
            pieces: list[bytes] = []
            for begin, stop in zip(np.r_[0, cuts], np.r_[cuts, len(batch)], strict=True):
                source_id = int(batch_sources[begin])
                pieces.append(self._gather(source_id, batch_offsets[begin:stop], batch_lengths[begin:stop]))
            data = b"".join(pieces)
            if any(self.pipeline.loaded[int(s)].state.invalid_utf8 for s in np.unique(batch_sources)):
                data = data.decode("utf-8", "replace").encode("utf-8")
            self.out.write(data)
            written += len(batch)
        return written

    def print_jsonl(self, rows: np.ndarray) -> int:
        reader = RecordReader(self.pipeline)
        for row in rows:
            record = reader.record(int(row))
            self.out.write(json.dumps(record.as_json(), ensure_ascii=False).encode("utf-8") + b"\n")
        return len(rows)

    def _gather(self, source_id: int, offsets: np.ndarray, lengths: np.ndarray) -> bytes:
        data = self._map(source_id)
        if data is None:
            return b"".join(self.pipeline.read_bytes(source_id, int(o), int(n)) for o, n in zip(offsets, lengths, strict=True))
        # Merge records that follow each other in the file into one slice.
        ends = offsets + lengths
        joined = np.flatnonzero(offsets[1:] != ends[:-1]) + 1
        run_starts = offsets[np.r_[0, joined]]
        run_ends = ends[np.r_[joined - 1, len(offsets) - 1]]
        if len(run_starts) <= 64:
            return b"".join(data[a:b].tobytes() for a, b in zip(run_starts, run_ends, strict=True))
        run_lengths = run_ends - run_starts
        total = int(run_lengths.sum())
        output_starts = np.cumsum(run_lengths) - run_lengths
        index = np.repeat(run_starts - output_starts, run_lengths) + np.arange(total, dtype=np.int64)
        return data[index].tobytes()

    def _map(self, source_id: int) -> np.ndarray | None:
        if source_id in self._maps:
            return self._maps[source_id]
        opened = self.pipeline.loaded[source_id].opened
        mapped: np.ndarray | None = None
        if opened is not None:
            try:
                size = os.fstat(opened.store_fd).st_size
                if size:
                    mapped = np.frombuffer(mmap.mmap(opened.store_fd, size, access=mmap.ACCESS_READ), dtype=np.uint8)
            except (OSError, ValueError):
                mapped = None
        self._maps[source_id] = mapped
        return mapped
