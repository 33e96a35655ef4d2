"""Level, logger and process codes of records read in many chunks, each chunk with its own set of values.

The parser codes a chunk's distinct strings through a polars Enum of that
chunk's values; chunks that see different loggers get different Enums, and a
continuation line has none. Each record must still get the values its own
first line says, whichever chunk it is in.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np

from logview.core.pipeline import Pipeline

FORMAT = "%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"


def _written(path: Path) -> list[tuple[str, str]]:
    """Write records whose logger set changes every few hundred records, some with a traceback; return (level, logger) of each."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    written = []
    levels = [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR]
    for number in range(3000):
        name = f"app.part{number // 300}.{'ü' if number % 7 == 0 else ''}mod{number % 5}"
        logger = logging.getLogger(name)
        level = levels[number % 4] if number % 11 else logging.ERROR
        exc_info = None
        if number % 97 == 0:
            try:
                raise ValueError(f"bad {number}")
            except ValueError as error:
                exc_info = (type(error), error, error.__traceback__)
        record = logger.makeRecord(name, level, __file__, 1, "message %d", (number,), exc_info)
        handler.handle(record)
        written.append((logging.getLevelName(level), name))
    handler.close()
    return written


def test_every_record_keeps_its_own_level_and_logger_across_chunks(tmp_path: Path) -> None:
    path = tmp_path / "app.log"
    written = _written(path)
    pipeline = Pipeline(chunk_size=16 << 10, first_chunk_size=4 << 10)
    timeline = pipeline.load([str(path)])
    assert len(timeline.batches) > 10  # many chunks, most with a logger set of their own
    rows = np.arange(len(timeline))
    level_codes, logger_codes, process_codes = timeline.symbol_codes(rows)
    level_names = dict(timeline.symbols.levels.items())
    logger_names = dict(timeline.symbols.loggers.items())
    read = [(level_names[level], logger_names[logger]) for level, logger in zip(level_codes.tolist(), logger_codes.tolist(), strict=True)]
    assert read == written
    assert timeline.symbols.processes.pids[int(process_codes[0])] == os.getpid()
    assert len(set(process_codes.tolist())) == 1
