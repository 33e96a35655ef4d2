"""A file's newest records as each engine reads them: the index (polars) and the first frame's plain-Python reader."""

from __future__ import annotations

from logview.core.inputs.arguments import expand_inputs
from logview.core.newest import newest_records
from logview.core.pipeline import Pipeline
from logview.core.records import RecordReader


def indexed_newest(paths: list[str], count: int, user_formats=()) -> list[tuple]:
    pipeline = Pipeline(user_formats=user_formats)
    try:
        pipeline.load(expand_inputs(paths).names)
        rows = pipeline.timeline.positions()[-count:]
        return [shown(record) for record in RecordReader(pipeline).records(rows, line_numbers=False)]
    finally:
        pipeline.close()


def shown(record) -> tuple:
    """Everything of a record the viewer shows or filters on (not its line number, which the index counts)."""
    return (record.time, record.level, record.levelno, record.logger, record.pid, record.message, record.source, record.text, record.fields)


def previewed(paths: list[str], count: int, user_formats=()) -> list[tuple]:
    newest = newest_records(paths, count, tuple(user_formats))
    assert newest is not None
    return [shown(record) for record in newest.records]
