"""The headless ``--print`` mode: the pipeline's records, filtered, to a stream.

Text output copies each record's original bytes. Records are gathered in
batches with numpy (one read and one fancy-index per batch and source), so a
level filter that keeps every tenth record costs no Python work per record.
"""

from __future__ import annotations

import json
from typing import BinaryIO

import numpy as np

from logview.core.pipeline import Pipeline
from logview.core.records import RecordReader

#: Runs closer together than this are read in one piece.
WINDOW_BYTES = 1 << 20
#: Records gathered per write: bounds the gather's index array (8 bytes per byte of text).
BATCH_ROWS = 16384


class Printer:
    def __init__(self, pipeline: Pipeline, out: BinaryIO) -> None:
        self.pipeline = pipeline
        self.out = out

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
        """One JSON object per record: a Python object per record is what JSON needs."""
        reader = RecordReader(self.pipeline)
        for start in range(0, len(rows), BATCH_ROWS):
            lines = [json.dumps(record.as_json(), ensure_ascii=False) for record in reader.records(rows[start : start + BATCH_ROWS])]
            self.out.write(("\n".join(lines) + "\n").encode("utf-8"))
        return len(rows)

    def _gather(self, source_id: int, offsets: np.ndarray, lengths: np.ndarray) -> bytes:
        """The text of records of one source, in the given order.

        Records that follow each other in the file are read as one run; when
        the runs lie close together, one read covers them all and numpy
        gathers the runs out of it. The file is never memory-mapped, so the
        bytes read do not stay in the process's memory.
        """
        read = self.pipeline.read_bytes
        ends = offsets + lengths
        joined = np.flatnonzero(offsets[1:] != ends[:-1]) + 1
        run_starts = offsets[np.r_[0, joined]]
        run_ends = ends[np.r_[joined - 1, len(offsets) - 1]]
        run_lengths = run_ends - run_starts
        total = int(run_lengths.sum())
        low, high = int(run_starts.min()), int(run_ends.max())
        if high - low > max(4 * total, WINDOW_BYTES):
            return b"".join(read(source_id, int(a), int(n)) for a, n in zip(run_starts, run_lengths, strict=True))
        window = np.frombuffer(read(source_id, low, high - low), dtype=np.uint8)
        if len(run_starts) <= 64:
            return b"".join(window[a - low : b - low].tobytes() for a, b in zip(run_starts, run_ends, strict=True))
        output_starts = np.cumsum(run_lengths) - run_lengths
        index = np.repeat(run_starts - low - output_starts, run_lengths) + np.arange(total, dtype=np.int64)
        return window[index].tobytes()
