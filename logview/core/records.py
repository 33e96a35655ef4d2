"""Build a :class:`Record` for one row of the timeline, from its bytes.

This is the only place that turns index rows back into text, and it does so
for one record at a time: the rows being printed as JSON, or drawn on screen.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from logview.core.parse.detect import Format
from logview.core.parse.line_record import shown_fields, shown_lines
from logview.core.record import Record
from logview.core.record_text import record_bytes
from logview.core.source_catalogue import SourceCatalogue


class RecordReader:
    """Materialises records of loaded sources."""

    def __init__(self, catalogue: SourceCatalogue) -> None:
        self.catalogue = catalogue
        self.timeline = catalogue.timeline
        self._read = catalogue.read_bytes
        #: The last record's line per source: records read in file order count only the lines between them.
        self._line_cache: dict[int, tuple[int, int]] = {}

    def record(self, row: int, details: bool = False) -> Record:
        return next(self.records(np.array([row]), details=details))

    def records(self, rows: np.ndarray, line_numbers: bool = True, details: bool = False) -> Iterator[Record]:
        """The records of ``rows``, in that order; the index is read for all of them at once.

        A record's line number costs a count of the newlines before it in its
        chunk; a view that does not show it passes ``line_numbers=False`` (the
        records then say line 0). ``details``: the fields a source keeps apart
        from the text too (the journal's others, read again from journalctl),
        for the details view and JSON output, not for the lines on screen.
        """
        rows = np.asarray(rows, dtype=np.int64)
        # One snapshot for the three: sources append meanwhile.
        snapshot = self.timeline.snapshot(rows)
        sources, offsets, lengths = snapshot.spans(rows)
        times = snapshot.times_at(rows)
        levels, loggers, processes = snapshot.symbol_codes(rows)
        # Each source's name and format looked up once a call, not once a record.
        described = {source_id: self._described(source_id) for source_id in set(sources.tolist())}
        for index in range(len(rows)):
            source_id = int(sources[index])
            yield self._build(
                source_id,
                described[source_id],
                int(offsets[index]),
                int(lengths[index]),
                int(times[index]),
                int(levels[index]),
                int(loggers[index]),
                int(processes[index]),
                line_numbers,
                details,
            )

    def _described(self, source_id: int) -> tuple[str, Format | None]:
        """A source's name and the format its records are read in."""
        return self.timeline.sources[source_id].name, self.catalogue.format_of(source_id)

    def _build(
        self,
        source_id: int,
        described: tuple[str, Format | None],
        offset: int,
        length: int,
        time: int,
        level_code: int,
        logger_code: int,
        process_code: int,
        line_numbers: bool,
        details: bool = False,
    ) -> Record:
        symbols = self.timeline.symbols
        read = self._read
        name, log_format = described
        text = record_bytes(lambda start, size: read(source_id, start, size), offset, length)
        lines = shown_lines(text)
        fields, message = shown_fields(lines, log_format)
        process_name = symbols.processes.names[process_code]
        if process_name and "processName" not in fields:
            fields["processName"] = process_name
        kept_apart = self.timeline.sources[source_id].details if details else None
        if kept_apart is not None:
            for key, value in kept_apart(offset).items():
                fields.setdefault(key, value)
        return Record(
            time=time,
            level=symbols.levels.values[level_code],
            levelno=symbols.levels.numbers[level_code],
            logger=symbols.loggers.values[logger_code],
            pid=symbols.processes.pids[process_code],
            message=message,
            source=name,
            line=self.timeline.line_at(source_id, offset, read, self._line_cache) if line_numbers else 0,
            text="\n".join(lines),
            fields=fields,
        )
