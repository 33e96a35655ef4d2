"""Journal entries as records: the fields a Python program writes through the journal, mapped onto logging's.

python-systemd's ``JournalHandler`` writes ``MESSAGE``, ``PRIORITY``,
``LOGGER``, ``THREAD_NAME``, ``PROCESS_NAME`` and ``CODE_*``; journald adds
``_PID``, ``_HOSTNAME``, ``_SYSTEMD_UNIT`` and the time. A program that is
not Python names itself by ``SYSLOG_IDENTIFIER`` (or ``_COMM``), which then
stands for the logger and the process name. A Python service that logs to
its standard error under systemd sends logging's own lines as messages:
those are read with the format the files' detection finds in them (one per
identifier), so that their level and logger are logging's. A batch of entries (a polars
frame, journal_export.py) becomes a spool text, one tab-separated line per
record, and its index columns, a column at a time.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import polars as pl

from logview.core.index.symbols import Symbols
from logview.core.parse.format_string import LogFormat
from logview.core.record import level_number
from logview.core.sources.journal_export import FIELD_SET, NEWLINE_MARK
from logview.core.zones import QUARTER_MS, local_offset, shown_in_utc

__all__ = ["ENTRY_FIELDS", "KEY", "PRIORITY_LEVELS", "SPOOL_FORMAT", "EntryCoder", "JournalBatch", "highest_priority"]

#: How a journal's records are written to its spool: the queue's columns, and the host.
SPOOL_FORMAT = "%(asctime)s\t%(levelname)s\t%(name)s\t%(process)s\t%(processName)s\t%(threadName)s\t%(hostname)s\t%(message)s"
#: The fields read of each entry.
ENTRY_FIELDS = (
    "__CURSOR",
    "__REALTIME_TIMESTAMP",
    "PRIORITY",
    "LOGGER",
    "SYSLOG_IDENTIFIER",
    "_COMM",
    "_PID",
    "SYSLOG_PID",
    "PROCESS_NAME",
    "THREAD_NAME",
    "_HOSTNAME",
    "MESSAGE",
)
#: Syslog's priorities (``PRIORITY``) as logging level names: each is a standard or conventional level (record.py).
PRIORITY_LEVELS = ("EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG")
#: Each name's level number, as record.level_number gives it.
_PRIORITY_NUMBERS = (60, 55, 50, 40, 30, 25, 20, 10)
#: Messages looked at to find the logging format an identifier's messages are in.
SAMPLE_MESSAGES = 200
#: Messages looked at before the answer is kept for the identifier's later ones.
SAMPLE_MIN = 20
#: An identifier whose format is not decided yet.
_UNDECIDED = object()
#: Stands for an absent value in a facet's key (no field's text holds it).
_ABSENT = "\x00"


def highest_priority(min_level: int) -> int:
    """The largest ``PRIORITY`` an entry at ``min_level`` or above can have: ``journalctl -p 0..N`` keeps no fewer records.

    Both ways a level becomes a priority count: python-systemd's handler
    (DEBUG and below 7, INFO 6, WARNING 4, ERROR 3, CRITICAL 2, above 1),
    and the level this module reads each priority as.
    """
    handler = (
        7 if min_level <= 10 else 6 if min_level <= 20 else 4 if min_level <= 30 else 3 if min_level <= 40 else 2 if min_level <= 50 else 1
    )
    read = max((priority for priority, number in enumerate(_PRIORITY_NUMBERS) if number >= min_level), default=0)
    return max(handler, read)


class JournalBatch(NamedTuple):
    """A batch of entries as the index takes them (parsed_chunk.known_chunk)."""

    text: bytes
    lines_per_record: np.ndarray
    #: UTC milliseconds.
    times: np.ndarray
    facets: np.ndarray
    #: The last entry's cursor.
    cursor: str | None
    #: The first entry's: what reading the batch again must start with (journal_details.py).
    first_cursor: str | None
    #: The cursor of the entry before the first, which reading the batch again starts after (None: the journal's first).
    after: str | None
    #: The entries the batch was made of.
    entries: int
    #: Which of them (their place, ascending) continue a record begun by an earlier one: a traceback a service wrote
    #: to its standard error, line by line. A record is its first entry's, and records come in their first entries' order.
    continued: np.ndarray
    #: Each record's set of other fields (its first entry's, journal_fields.py), when the entries were read with them.
    field_sets: np.ndarray | None = None


class EntryCoder:
    """Makes batches of entries into spool text and index columns; keeps the facet codes it gave, by their text."""

    def __init__(self, symbols: Symbols) -> None:
        self.symbols = symbols
        self._facets: dict[str, int] = {}
        #: The format the messages of an identifier are logging lines in (None: they are not), decided once per identifier.
        self._message_formats: dict[str, object] = {}
        #: The first lines of the messages of each identifier not decided yet, from every batch so far.
        self._samples: dict[str, list[str]] = {}

    def entries(self, entries: pl.DataFrame, new_from: int = 0) -> pl.DataFrame:
        """Each entry's columns as its record's (a polars expression per column), with the record it is part of.

        ``new_from``: the first entry not given before (those before it were
        held back, journal_stream.py): only new ones join the messages that
        an identifier's format is found in.

        When some entry continues a record begun by another, ``record``
        numbers each entry's record in its first entry's order and
        ``begins`` marks first entries (_numbered); else each entry is a
        record, and the two columns are not made.
        """
        micros = entries["__REALTIME_TIMESTAMP"].cast(pl.Int64, strict=False).forward_fill().fill_null(0)
        columns = entries.select(
            level=pl.col("PRIORITY")
            .cast(pl.Int8, strict=False)
            .replace_strict(list(range(8)), list(PRIORITY_LEVELS), default=None, return_dtype=pl.String),
            logger=_one_line(pl.coalesce("LOGGER", "SYSLOG_IDENTIFIER", "_COMM")),
            pid=pl.coalesce("_PID", "SYSLOG_PID").cast(pl.Int32, strict=False).cast(pl.String),
            process_name=_one_line(pl.coalesce("PROCESS_NAME", "SYSLOG_IDENTIFIER", "_COMM")),
            thread=_one_line(pl.col("THREAD_NAME")),
            host=_one_line(pl.col("_HOSTNAME")),
            message=pl.col("MESSAGE").fill_null("").str.replace_all(NEWLINE_MARK, "\n", literal=True),
            # Entries a journal handler did not write, and whose messages may be logging's lines: by who wrote them.
            unstructured=pl.when(pl.col("LOGGER").is_null()).then(pl.coalesce("SYSLOG_IDENTIFIER", "_COMM").fill_null("")),
            time=micros // 1000,
            logging_line=pl.lit(False),
            formatted=pl.lit(False),
        )
        return _numbered(self._read_logging_lines(columns, new_from))

    def batch(self, columns: pl.DataFrame, entries: pl.DataFrame, after: str | None) -> JournalBatch:
        """One batch of ``entries``, whose ``columns`` (:meth:`entries`) are given: each record's entries are all among them.

        ``after``: the cursor of the entry before them. A Python step per facet not seen before.
        """
        columns, continued = _joined(columns)
        cursors = entries["__CURSOR"]
        firsts = np.delete(np.arange(entries.height), continued)
        field_sets = entries[FIELD_SET].to_numpy()[firsts] if FIELD_SET in entries.columns else None
        times = columns["time"].to_numpy()
        facets = self._facet_codes(columns.select("level", "logger", "pid", "process_name", "host"))
        stamps = _stamps(times)
        header = ("level", "logger", "pid", "process_name", "thread", "host", "message")
        lines = pl.concat_str([stamps, *(pl.col(name).fill_null("") for name in header)], separator="\t")
        text = columns.select(lines.str.join("\n")).item() + "\n"
        lines_per_record = columns["message"].str.count_matches("\n", literal=True).to_numpy().astype(np.int64) + 1
        return JournalBatch(
            text.encode("utf-8"),
            lines_per_record,
            times,
            facets,
            cursors[-1] if len(cursors) else None,
            cursors[0] if len(cursors) else None,
            after,
            len(cursors),
            continued,
            field_sets,
        )

    def _read_logging_lines(self, columns: pl.DataFrame, new_from: int) -> pl.DataFrame:
        """Level, logger and message read out of the messages that are logging lines, where a format is found for them."""
        writers = columns["unstructured"].drop_nulls().unique().to_list()
        for writer in writers:
            log_format = self._message_formats.get(writer, _UNDECIDED)
            if log_format is _UNDECIDED:
                log_format = self._message_format(writer, columns.slice(new_from))
            if not isinstance(log_format, LogFormat):
                continue
            groups = pl.col("message").str.extract_groups(log_format.index_regex)
            ours = pl.col("unstructured") == writer
            read = ours & groups.struct.field("levelname").is_not_null()
            # Padded fields (%(levelname)-8s) are read without their padding, as files' are.
            logger = groups.struct.field("name").str.strip_chars() if _has(log_format, "name") else pl.col("logger")
            columns = columns.with_columns(
                level=pl.when(read).then(groups.struct.field("levelname").str.strip_chars()).otherwise("level"),
                logger=pl.when(read).then(logger).otherwise("logger"),
                message=pl.when(read).then(pl.col("message").str.replace(log_format.prefix_regex, "")).otherwise("message"),
                logging_line=pl.col("logging_line") | read,
                formatted=pl.col("formatted") | ours,
            )
        return columns

    def _message_format(self, writer: str, columns: pl.DataFrame) -> LogFormat | None:
        """The format ``writer``'s messages so far are logging lines in; kept once SAMPLE_MIN of them were looked at.

        Until then each batch's messages join those of the batches before: a
        batch of a few entries (a read cut short, a look while following)
        may hold a traceback's lines more than logging lines, and a first
        batch of one line decides nothing.
        """
        sample = self._samples.setdefault(writer, [])
        room = SAMPLE_MESSAGES - len(sample)
        if room > 0:
            messages = columns.filter(pl.col("unstructured") == writer)["message"].head(room)
            sample += messages.str.split("\n").list.first().to_list()
        log_format = _logging_format(sample)
        if len(sample) >= SAMPLE_MIN:
            self._message_formats[writer] = log_format
            del self._samples[writer]
        return log_format

    def _facet_codes(self, keys: pl.DataFrame) -> np.ndarray:
        key = keys.select(pl.concat_str([pl.col(name).fill_null(_ABSENT) for name in keys.columns], separator="\t")).to_series()
        distinct = key.unique(maintain_order=True).to_list()
        codes = [self._facets.get(text) or self._new_facet(text) for text in distinct]
        return key.replace_strict(distinct, codes, return_dtype=pl.UInt32).to_numpy()

    def _new_facet(self, key: str) -> int:
        level, logger, pid, process_name, host = (None if value == _ABSENT else value for value in key.split("\t"))
        symbols = self.symbols
        level_code = symbols.levels.code(level) if level else 0
        logger_code = symbols.loggers.code(logger) if logger else 0
        process = symbols.processes.code(int(pid) if pid else None, process_name, host)
        facet = self._facets[key] = symbols.facets.code(level_code, logger_code, process)
        return facet


#: The columns that say who wrote an entry: a record's lines are all of one key.
KEY = ("unstructured", "pid", "host")


def _numbered(columns: pl.DataFrame) -> pl.DataFrame:
    """Each entry's record, when some entry continues a record: ``record`` (numbered in first entries' order) and ``begins``.

    A service under systemd writes a traceback to its standard error line by
    line, and each line is an entry of its own. An entry of an identifier
    whose messages are logging lines, that is not one itself, continues the
    last record of the same identifier, process and host (KEY), as a file's
    line that is not a record's first line does: other processes' entries
    may come between (each process writes its standard error by itself).
    The first entry of its key in the batch begins a record of its own.
    """
    candidate = columns["formatted"] & ~columns["logging_line"]
    if not candidate.any():  # nothing can continue: one entry a record
        return columns
    after_own = pl.all_horizontal(pl.col(name).eq_missing(pl.col(name).shift(1)) for name in KEY)
    columns = columns.with_columns(candidate=candidate)
    # Mostly each continuing entry follows one of its own key: the record is then the one before, and no window is needed.
    interleaved = bool(columns.select((pl.col("candidate") & ~after_own).any()).item())
    first_of_key = pl.int_range(pl.len()).over(KEY) == 0 if interleaved else pl.lit(False)
    columns = columns.with_columns(begins=~pl.col("candidate") | first_of_key).drop("candidate")
    if columns["begins"].all():
        return columns.drop("begins")
    # Each record numbered by its first entry, the number carried to the entries of the same key after it.
    columns = columns.with_columns(record=pl.when(pl.col("begins")).then(pl.col("begins").cum_sum() - 1))
    carried = pl.col("record").forward_fill()
    return columns.with_columns(record=carried.over(KEY) if interleaved else carried)


def _joined(columns: pl.DataFrame) -> tuple[pl.DataFrame, np.ndarray]:
    """Entries' columns (_numbered) as one row a record, in its first entry's order; and the places of the entries that continue one."""
    if "record" not in columns.columns:
        return columns, np.zeros(0, dtype=np.int64)
    continued = np.flatnonzero(~columns["begins"].to_numpy())
    records = columns.group_by("record", maintain_order=True).agg(
        pl.exclude("message", "record", "begins").first(), pl.col("message").str.join("\n")
    )
    return records, continued


def _logging_format(sample: list[str]) -> LogFormat | None:
    """The logging format the files' detection finds in these messages: one that reads a level name logging knows in most.

    A level is required: a message's first word alone ("GET /index 200",
    "relayed 0") must not become a level or a logger.
    """
    from logview.core.parse.detect import detect_format

    found = detect_format(sample)
    if not isinstance(found, LogFormat) or not _has(found, "levelname"):
        return None
    levels = [fields.get("levelname", "") for line in sample if (fields := found.match(line)) is not None]
    known = sum(1 for level in levels if level_number(level) is not None)
    return found if known * 2 > len(sample) else None


def _has(log_format: LogFormat, field: str) -> bool:
    return any(spec.name == field for spec in log_format.fields)


def _one_line(column: pl.Expr) -> pl.Expr:
    """A name with its tabs and newlines (the spool's separators) as spaces."""
    return column.str.replace_all(NEWLINE_MARK, " ", literal=True).str.replace_all("\t", " ", literal=True)


def _stamps(times: np.ndarray) -> pl.Series:
    """asctime's text of each time, in the zone times are shown in: the offsets are looked up once per quarter hour."""
    wall = times
    if not shown_in_utc():
        quarters = times // QUARTER_MS
        distinct, inverse = np.unique(quarters, return_inverse=True)
        offsets = np.array([local_offset(int(quarter) * QUARTER_MS) for quarter in distinct], dtype=np.int64)
        wall = times + offsets[inverse]
    return pl.from_epoch(pl.Series("stamp", wall), time_unit="ms").dt.strftime("%Y-%m-%d %H:%M:%S,%3f")
