"""The headless ``--print`` mode: the pipeline's records, filtered, to a stream.

Text output copies each record's original bytes, invalid UTF-8 included: to
a pipe or a file nothing is changed; to a terminal, control characters and
bytes that are not UTF-8 are shown as ``\\x`` escapes. Records are gathered in
batches (one read per batch and source, runs of consecutive records sliced
out of it), so a level filter costs one Python step per run, not per record.
"""

from __future__ import annotations

import json
from typing import BinaryIO

import numpy as np

from logview.core.output import flush_all, write_all
from logview.core.pipeline import Pipeline
from logview.core.records import RecordReader
from logview.core.runs import equal_runs
from logview.core.view_rows import Rows
from logview.core.visible_text import escape_controls, escape_json_controls

#: Runs closer together than this are read in one piece.
WINDOW_BYTES = 1 << 20
#: Records gathered per write: bounds the bytes held for one write.
BATCH_ROWS = 16384


class Printer:
    def __init__(self, pipeline: Pipeline, out: BinaryIO, escape: bool = False) -> None:
        """``escape``: the output is a terminal, and control characters in the records are spelled out (visible_text)."""
        self.pipeline = pipeline
        self.out = out
        self.escape = escape
        #: The last record written has no newline (a file's last line left without one): the next one starts a line.
        self._line_open = False

    def print(self, rows: Rows, output: str) -> int:
        """Write ``rows`` as ``output`` says: ``"text"`` (the original lines) or ``"jsonl"``; returns the records written."""
        return self.print_jsonl(rows) if output == "jsonl" else self.print_text(rows)

    def print_text(self, rows: Rows) -> int:
        """Write the records' original lines (escaped for a terminal); returns how many records were written."""
        timeline = self.pipeline.timeline
        written = 0
        for start in range(0, len(rows), BATCH_ROWS):
            batch = rows[start : start + BATCH_ROWS]
            batch_sources, batch_offsets, batch_lengths = timeline.spans(batch)
            # Split the batch where the source changes, then gather each run of one source.
            pieces: list[bytes] = []
            for begin, stop in equal_runs(batch_sources):
                source_id = int(batch_sources[begin])
                if self._line_open:
                    pieces.append(b"\n")  # the records after a line left without its newline must not join it
                piece = self._gather(source_id, batch_offsets[begin:stop], batch_lengths[begin:stop])
                pieces.append(piece)
                self._line_open = not piece.endswith(b"\n")
            data = b"".join(pieces)
            if self.escape:
                # Bytes that are not UTF-8 are spelled out as control characters are (\xe9), not hidden behind U+FFFD.
                data = escape_controls(data.decode("utf-8", "backslashreplace")).encode("utf-8")
            write_all(self.out, data)
            written += len(batch)
        return written

    def print_jsonl(self, rows: Rows) -> int:
        """One JSON object per record: a Python object per record is what JSON needs."""
        reader = RecordReader(self.pipeline)
        for start in range(0, len(rows), BATCH_ROWS):
            lines = [json.dumps(record.as_json(), ensure_ascii=False) for record in reader.records(rows[start : start + BATCH_ROWS])]
            text = "\n".join(lines) + "\n"
            write_all(self.out, (escape_json_controls(text) if self.escape else text).encode("utf-8"))
        return len(rows)

    def flush(self) -> None:
        """Write out what the output holds; OutputError (output.py) when it cannot be written."""
        flush_all(self.out)

    def _gather(self, source_id: int, offsets: np.ndarray, lengths: np.ndarray) -> bytes:
        """The text of records of one source, in the given order.

        Records that follow each other in the file are read as one run; when
        the runs lie close together, one read covers them all and the runs are
        sliced out of it. The file is never memory-mapped, so the bytes read
        do not stay in the process's memory.
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
        # Slicing the runs out of one read is C-level copying driven by one
        # Python step per run (consecutive records form one run). Measured on
        # a batch of 16,384 records with a level filter (4,851 runs, 2.5 MB):
        # 1.5 ms, against 14 ms for a numpy gather or a byte mask.
        window = memoryview(read(source_id, low, high - low))
        return b"".join([window[a:b] for a, b in zip((run_starts - low).tolist(), (run_ends - low).tolist(), strict=True)])


def save_view(pipeline: Pipeline, rows: Rows, path: str, output: str) -> int:
    """Write ``rows`` to ``path`` as text (the original lines) or ``"jsonl"``; returns the records written."""
    with open(path, "wb") as out:
        return Printer(pipeline, out).print(rows, output)
