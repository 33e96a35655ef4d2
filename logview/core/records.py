"""Build a :class:`Record` for one row of the timeline, from its bytes.

This is the only place that turns index rows back into text, and it does so
for one record at a time: the rows being printed as JSON, or drawn on screen.
"""

from __future__ import annotations

import json

import numpy as np

from logview.core.parse.format_string import LogFormat
from logview.core.parse.json_lines import MESSAGE_KEYS, TRACEBACK_KEYS, first_key
from logview.core.pipeline import Pipeline
from logview.core.record import Record


class RecordReader:
    """Materialises records of a loaded pipeline."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.timeline = pipeline.timeline

    def text(self, row: int) -> str:
        sources, offsets, lengths = self.timeline.spans(np.array([row]))
        raw = self.pipeline.read_bytes(int(sources[0]), int(offsets[0]), int(lengths[0]))
        return raw.decode("utf-8", "replace")

    def record(self, row: int, with_line: bool = True) -> Record:
        timeline = self.timeline
        symbols = timeline.symbols
        source_id = timeline.source_of(row)
        loaded = self.pipeline.loaded[source_id]
        text = self.text(row)
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        lines = [line[:-1] if line.endswith("\r") else line for line in lines]
        fields: dict[str, str] = {}
        message = "\n".join(lines)
        log_format = loaded.format
        if isinstance(log_format, LogFormat) and lines:
            parsed = log_format.match(lines[0])
            if parsed is not None:
                fields = parsed
                message = "\n".join([parsed.get("message", ""), *lines[1:]]) if len(lines) > 1 else parsed.get("message", "")
        elif log_format is not None and lines:
            message, fields = _json_message(lines)
        level_code = int(timeline.level.values[row])
        process_code = int(timeline.process.values[row])
        pid = symbols.processes.pids[process_code]
        process_name = symbols.processes.names[process_code]
        if process_name and "processName" not in fields:
            fields["processName"] = process_name
        return Record(
            time=timeline.time_of(row),
            level=symbols.levels.values[level_code],
            levelno=symbols.levels.numbers[level_code],
            logger=symbols.loggers.values[int(timeline.logger.values[row])],
            pid=pid,
            message=message,
            source=loaded.state.name,
            line=timeline.line_of(row, self.pipeline.read_bytes) if with_line else 0,
            text="\n".join(lines),
            fields=fields,
        )

    def records(self, rows: np.ndarray) -> list[Record]:
        return [self.record(int(row)) for row in rows]


def _json_message(lines: list[str]) -> tuple[str, dict[str, str]]:
    try:
        obj = json.loads(lines[0])
    except ValueError:
        return "\n".join(lines), {}
    if not isinstance(obj, dict):
        return "\n".join(lines), {}
    message = first_key(obj, MESSAGE_KEYS)
    text = "" if message is None else str(message)
    traceback = first_key(obj, TRACEBACK_KEYS)
    if isinstance(traceback, str) and traceback:
        text = f"{text}\n{traceback}"
    if len(lines) > 1:
        text = "\n".join([text, *lines[1:]])
    fields = {key: value if isinstance(value, str) else json.dumps(value) for key, value in obj.items()}
    return text, fields
