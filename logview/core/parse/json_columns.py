"""The bulk path for JSON lines: the indexed fields of every line of a chunk, as columns, in polars.

Matching a JSONPath parses every line's JSON, which is most of what reading a
JSON log costs; so each spelling's path is matched once per chunk (its column
then serves every use), and only when the chunk holds its key at all: a file
spells each field one way, and a look for a key's text costs a fraction of
a parse.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from logview.core.parse.json_lines import LEVEL_KEYS, LOGGER_KEYS, PID_KEYS, PROCESS_NAME_KEYS, TIME_KEYS, json_paths
from logview.core.parse.time_columns import json_time_exprs

__all__ = ["json_fields", "json_first_lines"]


def json_first_lines(lines: pl.Series) -> np.ndarray:
    """Which lines start a record: those that hold a JSON object (the others continue the one before)."""
    stripped = lines.str.strip_chars()
    return (stripped.str.starts_with("{") & stripped.str.ends_with("}")).fill_null(False).to_numpy()


def json_fields(lines: pl.Series) -> pl.DataFrame:
    """The time (ms; ``_offset`` 0 where it is UTC already, as time_columns.json_time_exprs says), level, logger, pid and
    process name of every line; nulls where a line has none."""
    wanted = [
        path for keys in (TIME_KEYS, LEVEL_KEYS, LOGGER_KEYS, PID_KEYS, PROCESS_NAME_KEYS) for key in keys for path in json_paths(key)
    ]
    present = [path for path in dict.fromkeys(wanted) if lines.str.contains(_mention(path), literal=True).any()]
    # Bracket paths, so keys like "@timestamp" and "log.level" (ECS) work too.
    found = pl.DataFrame({"line": lines}).select_seq([pl.col("line").str.json_path_match(path).alias(path) for path in present])

    def paths(keys: tuple[str, ...]) -> list[str]:
        return [path for key in keys for path in json_paths(key) if path in found.columns]

    def first(keys: tuple[str, ...]) -> pl.Expr:
        # A nested object or list comes back as its JSON text: skipped, as json_lines.indexed_value skips it.
        values = [pl.col(path) for path in paths(keys)]
        return pl.coalesce(
            [pl.when(value.str.starts_with("{") | value.str.starts_with("[")).then(None).otherwise(value) for value in values]
        )

    def none(dtype: type[pl.DataType]) -> pl.Expr:
        return pl.lit(None, dtype=dtype)

    raw = found.select_seq(
        (first(TIME_KEYS) if paths(TIME_KEYS) else none(pl.String)).alias("_raw_time"),
        (first(LEVEL_KEYS) if paths(LEVEL_KEYS) else none(pl.String)).alias("_level"),
        (first(LOGGER_KEYS) if paths(LOGGER_KEYS) else none(pl.String)).alias("_logger"),
        # Each spelling cast on its own: ECS's "process" is an object, its pid is at process.pid.
        (pl.coalesce([pl.col(path).cast(pl.Int64, strict=False) for path in paths(PID_KEYS)]) if paths(PID_KEYS) else none(pl.Int64)).alias(
            "_pid"
        ),
        (first(PROCESS_NAME_KEYS) if paths(PROCESS_NAME_KEYS) else none(pl.String)).alias("_pname"),
    )
    return raw.select_seq(*json_time_exprs(pl.col("_raw_time")), "_level", "_logger", "_pid", "_pname")


def _mention(path: str) -> str:
    """The text a line must hold for ``path`` to match in it: its first key, quoted ("log" of $['log']['logger'])."""
    return '"' + path[3 : path.index("']")] + '"'
