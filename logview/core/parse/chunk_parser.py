"""The bulk path: one chunk of a file in, columns of its records out.

All per-line work runs in polars (Rust): matching a record's first line,
extracting the indexed fields, parsing times. Python touches only the
distinct values of a chunk (a few logger names, levels and processes) to
give them codes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import numpy as np
import polars as pl

from logview.core.index.parsed_chunk import ParsedChunk
from logview.core.index.symbols import Symbols
from logview.core.parse.detect import Format
from logview.core.parse.format_set import FormatSet
from logview.core.parse.format_string import LogFormat
from logview.core.parse.json_columns import json_fields, json_first_lines
from logview.core.parse.json_lines import JsonLinesFormat
from logview.core.parse.lines import split_lines
from logview.core.parse.time_columns import reads_wall_clock, time_exprs
from logview.core.parse.wall_clock import TwiceWritten, WallClock
from logview.core.record import NO_TIME, level_name
from logview.core.record_text import whole_characters

#: The numpy type of each polars code type: a recoded column is built in numpy.
_NUMPY_CODES: dict[type[pl.DataType], type] = {pl.UInt16: np.uint16, pl.UInt32: np.uint32}

#: Reads the indexed fields of every line of a chunk.
FieldReader = Callable[[], pl.DataFrame]


class ChunkParser:
    """Parses chunks of one source in one format; thread-safe (polars releases the GIL)."""

    def __init__(self, log_format: Format | None, symbols: Symbols, year: int | None = None) -> None:
        self.format = log_format
        self.symbols = symbols
        self.year = year or datetime.now().year
        date = log_format.date if isinstance(log_format, LogFormat) else None
        #: Reads the times written without an offset (wall-clock times) as UTC.
        self.clock = WallClock(written_in_utc=date is not None and date.written_in_utc)
        self._wall_clock = isinstance(log_format, JsonLinesFormat) or (isinstance(log_format, LogFormat) and reads_wall_clock(log_format))

    def parse(self, chunk: bytes, rest: int = 0, rest_ends_line: bool = False) -> ParsedChunk:
        """Index one chunk.

        ``rest`` bytes after ``chunk`` continue its last line without being
        read (a line over MAX_RECORD_BYTES: ``chunk`` is its head, or nothing
        when the head went before); the record spans them, and
        ``rest_ends_line`` says whether they end the line.
        """
        if rest:
            return self._parse_head(chunk, rest, rest_ends_line)
        # References to the chunk's bytes and lines are dropped as soon as the
        # next step no longer needs them (and the chunk is parsed in this frame,
        # not one below it that would hold it throughout): with two chunks in flight,
        # what one parse holds at its peak is what the index pays for on top of itself.
        size = len(chunk)
        ends_line = chunk.endswith(b"\n") or not chunk
        split = split_lines(chunk)
        del chunk
        lines = split.lines
        line_starts, invalid_utf8, line_count = split.starts, split.invalid_utf8, len(lines)
        del split
        # Eager, sequential polars calls only: they run on the calling thread
        # with the GIL released, so parse threads really run side by side
        # (a LazyFrame.collect would queue on polars' own pool).
        if isinstance(self.format, LogFormat):
            header, fields = self._extract(lines, self.format)
        elif isinstance(self.format, FormatSet):
            header, fields = self._extract_each(lines, self.format)
        elif isinstance(self.format, JsonLinesFormat):
            header, fields = self._extract_json(lines)
        else:
            header, fields = np.ones(len(lines), dtype=bool), None
        del lines
        rows = np.flatnonzero(header)
        starts = line_starts[rows]
        ends = np.empty(len(rows), dtype=np.int64)
        if len(rows):
            ends[:-1] = starts[1:]
            ends[-1] = size
        lead = int(starts[0]) if len(rows) else size
        lines_per_record = np.diff(rows, append=line_count)
        multi_line = np.flatnonzero(lines_per_record > 1)
        # Codes are computed for every line (continuation lines give nulls) and
        # the first lines picked out of the numeric result: cheaper than
        # gathering the first lines' strings first.
        codes = self._codes(fields()) if fields is not None else pl.DataFrame()
        del fields
        time, twice_written = self._times(codes, rows)
        return ParsedChunk(
            starts=starts,
            lengths=ends - starts,
            lead=lead,
            time=time,
            facet=self.symbols.facets.codes(
                self._column(codes, "_level", np.uint16, 0, rows),
                self._column(codes, "_logger", np.uint32, 0, rows),
                self._column(codes, "_process", np.uint32, 0, rows),
            ),
            invalid_utf8=invalid_utf8,
            line_count=line_count,
            multi_line=multi_line,
            extra_lines=lines_per_record[multi_line] - 1,
            ends_line=ends_line,
            twice_written=twice_written,
        )

    def _times(self, codes: pl.DataFrame, rows: np.ndarray) -> tuple[np.ndarray, TwiceWritten | None]:
        """The records' times in UTC ms: those written as wall-clock time read in their zone (wall_clock.py)."""
        times = self._column(codes, "_time", np.int64, NO_TIME, rows)
        if not self._wall_clock:
            return times, None
        offsets = self._column(codes, "_offset", np.int64, NO_TIME, rows) if "_offset" in codes.columns else None
        return self.clock.to_utc(times, offsets)

    def _parse_head(self, head: bytes, rest: int, rest_ends_line: bool) -> ParsedChunk:
        """The head of a line over MAX_RECORD_BYTES, whose record spans ``rest`` more bytes, unread."""
        if not head:
            return _continued_line(rest, rest_ends_line)
        whole = whole_characters(head)  # a character cut in two by the cap is no invalid UTF-8
        rest += len(head) - len(whole)
        del head
        parsed = self.parse(whole)
        if len(parsed):
            parsed.lengths[-1] += rest
        else:
            parsed.lead += rest
        parsed.ends_line = rest_ends_line
        return parsed

    # -- extraction -------------------------------------------------------

    def _extract(self, lines: pl.Series, log_format: LogFormat) -> tuple[np.ndarray, FieldReader]:
        """The first-line mask, and a reader of the indexed fields of every line."""
        names = [f.name for f in log_format.fields]
        captured = [name for name in dict.fromkeys(names) if f"(?P<{name}>" in log_format.index_regex]
        if not captured:
            return lines.str.contains(log_format.index_regex).fill_null(False).to_numpy(), pl.DataFrame
        groups = lines.str.extract_groups(log_format.index_regex).struct.unnest()
        header = groups[captured[0]].is_not_null().to_numpy()
        padding = log_format.padding

        def field(name: str) -> pl.Expr:
            if name not in padding:
                return pl.col(name)
            side, fill = padding[name]
            column = pl.col(name)
            if fill != " ":
                column = {"left": column.str.strip_chars_start, "right": column.str.strip_chars_end}.get(side, column.str.strip_chars)(fill)
            return column.str.strip_chars(" ")

        columns: list[pl.Expr] = time_exprs(log_format, captured, self.year, field)
        if "levelname" in captured:
            columns.append(field("levelname").alias("_level"))
        if "levelno" in captured:
            columns.append(field("levelno").cast(pl.Int32, strict=False).alias("_levelno"))
        if "name" in captured:
            columns.append(field("name").alias("_logger"))
        if "process" in captured:
            columns.append(field("process").cast(pl.Int64, strict=False).alias("_pid"))
        if "processName" in captured:
            columns.append(field("processName").alias("_pname"))
        return header, lambda: groups.select_seq(columns) if columns else pl.DataFrame()

    def _extract_each(self, lines: pl.Series, formats: FormatSet) -> tuple[np.ndarray, FieldReader]:
        """``_extract`` for a file of several formats: each reads the lines the ones before it left, and a line's fields
        come from the first that reads it; the fields of all are then one frame, one column per field."""
        header = np.zeros(len(lines), dtype=bool)
        readers: list[FieldReader] = []
        nulls = pl.Series("line", [None] * len(lines), dtype=pl.String)
        for number, member in enumerate(formats.formats):
            left = lines if number == 0 else lines.zip_with(pl.Series(~header), nulls)
            read, reader = self._extract(left, member)
            header |= read
            readers.append(reader)
        del lines, nulls

        def fields() -> pl.DataFrame:
            frames = [frame for frame in (reader() for reader in readers) if frame.width]
            if any("_level" in frame.columns for frame in frames):
                # A format that writes only the level's number gives its rows the name, as _codes would.
                frames = [_with_level_names(frame) if "_level" not in frame.columns else frame for frame in frames]
            names = dict.fromkeys(name for frame in frames for name in frame.columns)
            return pl.DataFrame(
                [
                    pl.select(pl.coalesce([frame[name] for frame in frames if name in frame.columns])).to_series().alias(name)
                    for name in names
                ]
            )

        return header, fields

    def _extract_json(self, lines: pl.Series) -> tuple[np.ndarray, FieldReader]:
        return json_first_lines(lines), lambda: json_fields(lines)

    # -- codes --------------------------------------------------------------

    def _codes(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Replace level, logger and process values by their symbol codes.

        Python sees each distinct value of the chunk once; each record is
        mapped in polars (its slot among them) and numpy (slot to code).
        """
        levels, loggers, processes = self.symbols.levels, self.symbols.loggers, self.symbols.processes
        mapped: list[pl.Series] = [frame[name] for name in ("_time", "_offset") if name in frame.columns]
        if "_level" in frame.columns:
            mapped.append(_recode(frame["_level"], levels.code, pl.UInt16))
            if "_levelno" in frame.columns:
                for name, number in frame.select("_level", "_levelno").drop_nulls().unique().iter_rows():
                    levels.set_number(levels.code(name), number)
        elif "_levelno" in frame.columns:

            def level_code(number: int) -> int:
                code = levels.code(level_name(number))
                levels.set_number(code, number)
                return code

            mapped.append(_recode(frame["_levelno"], level_code, pl.UInt16).alias("_level"))
        if "_logger" in frame.columns:
            mapped.append(_recode(frame["_logger"], loggers.code, pl.UInt32))
        keys = [key for key in ("_pid", "_pname") if key in frame.columns]
        if keys == ["_pid"]:
            # Process ids are integers: numpy maps them through their sorted distinct values.
            pids = frame["_pid"]
            distinct = np.sort(pids.drop_nulls().unique().to_numpy())
            lookup = np.array([0] + [processes.code(int(value), None) for value in distinct], dtype=np.uint32)
            raw = pids.fill_null(-1).to_numpy()
            slot = np.searchsorted(distinct, raw) + 1
            slot[raw == -1] = 0
            mapped.append(pl.Series("_process", lookup[np.minimum(slot, len(lookup) - 1)]))
        elif keys == ["_pname"]:
            mapped.append(_recode(frame["_pname"], lambda name: processes.code(None, name), pl.UInt32).alias("_process"))
        elif keys:
            pairs = frame.select(keys).unique()
            table = pairs.with_columns(
                pl.Series("_process", [processes.code(pid, name) for pid, name in pairs.iter_rows()], dtype=pl.UInt32)
            )
            mapped.append(frame.join(table, on=keys, how="left", nulls_equal=True, maintain_order="left")["_process"])
        return pl.DataFrame(mapped)

    @staticmethod
    def _column(frame: pl.DataFrame, name: str, dtype: type, missing: int, rows: np.ndarray) -> np.ndarray:
        if name not in frame.columns:
            return np.full(len(rows), missing, dtype=dtype)
        return frame[name].fill_null(missing).to_numpy()[rows].astype(dtype, copy=False)


def _continued_line(length: int, ends_line: bool) -> ParsedChunk:
    """``length`` more bytes of a line over MAX_RECORD_BYTES, unread: they only lengthen its record."""
    none = np.zeros(0, dtype=np.int64)
    return ParsedChunk(
        starts=none,
        lengths=none,
        lead=length,
        time=none,
        facet=np.zeros(0, dtype=np.uint32),
        invalid_utf8=False,
        line_count=1,
        multi_line=none,
        extra_lines=none,
        ends_line=ends_line,
    )


def _with_level_names(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with a level name beside each level number it has (none when it has none)."""
    if "_levelno" not in frame.columns:
        return frame
    distinct = frame["_levelno"].drop_nulls().unique().to_list()
    return frame.with_columns(
        pl.col("_levelno")
        .replace_strict(distinct, [level_name(number) for number in distinct], default=None, return_dtype=pl.String)
        .alias("_level")
    )


def _recode(values: pl.Series, code_of: Callable[[Any], int], dtype: type[pl.DataType]) -> pl.Series:
    """Replace a column's values by codes (0 for nulls): ``code_of`` sees each distinct value once."""
    distinct = values.drop_nulls().unique().to_list()
    if values.dtype != pl.String:
        return values.replace_strict(distinct, [code_of(value) for value in distinct], default=0, return_dtype=dtype)
    # A string's slot in an Enum of the chunk's distinct values is a third of replace_strict's time; sorted, so that
    # chunks with the same values share one Enum type (polars keeps each distinct one).
    distinct.sort()
    slots = values.cast(pl.Enum(distinct)).to_physical().fill_null(len(distinct)).to_numpy()
    table: np.ndarray = np.array([*map(code_of, distinct), 0], dtype=_NUMPY_CODES[dtype])
    return pl.Series(values.name, table[slots])
