"""``--print --follow`` and ``--print --listen``: after the records read so far, print records as they come.

New records are printed in the order they arrived. The last record of a
file being written is held back until the next record of that file arrives or
the file has been quiet for a poll: a traceback's last lines may still be on
their way, and a record printed cannot be amended. A record whose line has no
newline yet (a file left that way) is held until its line ends, or until
logview stops: then it is printed as it is.

Lines that continue a record already printed (the rest of a traceback whose
writer paused longer than a poll) are printed when they come, held back as a
record is, before the records that arrived since. As text they are printed
as they are: right after the record when nothing came between, else as lines
of their own, and no line twice. As JSON lines the record is printed again
whole, its message with the new lines, marked ``"continued": true``: it
replaces the object with the same ``source`` and ``line`` printed before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from logview.core.filters import Filters
from logview.core.index.status import Problem, Status
from logview.core.pipeline import Pipeline
from logview.core.printer import Printer
from logview.core.say import say
from logview.core.selection import rows_in_range, selected_rows
from logview.core.view_rows import Rows, ViewRows

if TYPE_CHECKING:
    from logview.core.index.timeline import SourceState
    from logview.core.sources.source import Source


class LivePrinter:
    """Prints the rows appended to a pipeline's timeline, filtered, as a follower adds them."""

    def __init__(self, pipeline: Pipeline, printer: Printer, filters: Filters, output: str) -> None:
        self.pipeline = pipeline
        self.printer = printer
        self.filters = filters
        self.output = output
        #: Rows before this one have been printed or filtered out, except those held.
        self.seen = len(pipeline.timeline)
        self.held = np.zeros(0, dtype=np.int64)
        #: Source id → (row, end): the last record printed of a source still read or followed, and the byte its
        #: printed text ended at. Lines written after it continue it; they are printed when they come.
        self._printed_ends: dict[int, tuple[int, int]] = {}
        #: Files followed and records received are printed from their own threads.
        self._lock = threading.Lock()

    def print_read(self, rows: Rows) -> int:
        """Print the records read before following, ``rows`` in the timeline's order: but a line left unfinished, held.

        Held whatever the file: which files are followed is known once the
        follower has started, and the first quiet poll prints the others'.
        """
        with self._lock:
            unfinished = self.pipeline.timeline.unfinished_rows(followed_only=False)
            if isinstance(rows, ViewRows):
                places, held = rows.locate(np.sort(unfinished))
            else:
                places = np.flatnonzero(np.isin(rows, unfinished))
                held = rows[places]
            self.held = np.asarray(held, dtype=np.int64)
            written = 0
            start = 0
            for place in [*places.tolist(), len(rows)]:
                part = rows[start:place]
                self._remember_ends(np.asarray(part, dtype=np.int64))
                written += self.printer.print(part, self.output)
                start = place + 1
            self.printer.flush()
            return written

    def print_new(self, quiet: bool, final: bool = False) -> int:
        """Print what arrived since the last call; with ``quiet``, the held records too, but for unfinished lines; ``final``, all.

        Held are the last records of files still followed: their lines may
        still be coming. Records received from a queue or a socket come whole.
        """
        with self._lock:
            return self._print_new(quiet, final)

    def _print_new(self, quiet: bool, final: bool) -> int:
        timeline = self.pipeline.timeline
        stop = len(timeline)
        rows = np.r_[self.held, rows_in_range(self.pipeline, self.filters, self.seen, stop)]
        self.seen = stop
        if final:
            self.held = np.zeros(0, dtype=np.int64)
        else:
            waiting = np.isin(rows, timeline.unfinished_rows() if quiet else timeline.open_rows())
            rows, self.held = rows[~waiting], rows[waiting]
        continued = self._print_continued(quiet, final)
        if len(rows) == 0:
            if continued:
                self.printer.flush()
            return 0
        rows = np.sort(rows)
        self._remember_ends(rows)
        written = self.printer.print(rows, self.output)
        self.printer.flush()
        return written

    def _remember_ends(self, rows: np.ndarray) -> None:
        """Before ``rows`` are printed: where the text of those that are their source's last record ends."""
        timeline = self.pipeline.timeline
        last = rows[np.isin(rows, timeline.open_rows())]
        if len(last) == 0:
            return
        # Taken before the printer reads the text: a line added between the two is printed twice, never lost.
        sources, offsets, lengths = timeline.spans(last)
        for source_id, row, end in zip(sources.tolist(), last.tolist(), (offsets + lengths).tolist(), strict=True):
            self._printed_ends[source_id] = (row, end)

    def _print_continued(self, quiet: bool, final: bool) -> bool:
        """Print the lines that continued records already printed, held back as a record is; whether any were.

        They come before the records that arrived since, which are later in
        their files. Records no longer the last of a source still read drop out.
        """
        if not self._printed_ends:
            return False
        timeline = self.pipeline.timeline
        still_open = timeline.open_rows()
        waiting = np.zeros(0, dtype=np.int64) if final else timeline.unfinished_rows() if quiet else still_open
        tracked = np.array([row for row, _end in self._printed_ends.values()], dtype=np.int64)
        sources, offsets, lengths = timeline.spans(tracked)
        printed = False
        for source_id, row, end in zip(sources.tolist(), tracked.tolist(), (offsets + lengths).tolist(), strict=True):
            printed_end = self._printed_ends[source_id][1]
            if end > printed_end and row not in waiting:
                self.printer.print_continuation(row, printed_end, self.output)
                printed, printed_end = True, end
            if row in still_open and not final:
                self._printed_ends[source_id] = (row, printed_end)
            else:
                del self._printed_ends[source_id]
        return printed


class PrintedAsTheyCome:
    """The printer's side of running sources (core/running_sources.py): records to the output, what sources say to stderr.

    Without ``live``, the records are printed in the timeline's order once
    the sources have ended; the other inputs' records are printed while a
    FIFO waits for its writer (its records will follow theirs). With
    ``live``, the records read before the sources caught up are printed in
    the timeline's order, then the records that come, as they come
    (LivePrinter). ``on_caught_up`` is called then: from there a stop signal
    ends the sources, which index what they hold before they return.
    """

    def __init__(
        self,
        pipeline: Pipeline,
        printer: Printer,
        filters: Filters,
        output: str,
        live: bool,
        on_caught_up: Callable[[], None] | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.printer = printer
        self.filters = filters
        self.output = output
        self.following = live
        self.on_caught_up = on_caught_up
        self.live: LivePrinter | None = None
        #: The inputs' problems said so far: each is said once, when it is found.
        self._said: set[str] = set()
        #: Rows appended before this one are printed (while a FIFO waited for its writer).
        self._printed_below = 0
        self._lock = threading.Lock()

    def arrived(self, count: int) -> None:
        if self.live is not None:
            self.live.print_new(quiet=count == 0)

    def tell(self, problem: Problem) -> None:
        with self._lock:
            # Said now; an input's error told as it happens (a queue that stopped) is not said again with the others.
            self._said.add(problem.text)
        say(problem.text)

    def changed(self, source: SourceState) -> None:
        if source.status != Status.WAITING or not source.waiting:
            return
        say(source.waiting[-1])
        if not self.following:
            with self._lock:
                self.pipeline.timeline.merge()
                end = len(self.pipeline.timeline)
                self._print_from(self._printed_below)
                self._printed_below = end

    def caught_up(self, source: Source) -> None:
        """The first source caught up (the files, started first): their problems are said, and, live, their records printed."""
        with self._lock:
            self.say_problems(warnings=True)
            if not self.following or self.live is not None:
                return
            self.live = LivePrinter(self.pipeline, self.printer, self.filters, self.output)
            self.live.print_read(selected_rows(self.pipeline, self.filters))
        if self.on_caught_up is not None:
            self.on_caught_up()

    def finish(self) -> None:
        """The sources ended: what is held or not printed yet is printed, and the problems found since said."""
        if self.live is not None:
            self.live.print_new(quiet=True, final=True)
        elif not self.following:
            # Sources other than the files (the journal) append without merging: the order is made once, here.
            self.pipeline.timeline.merge()
            self._print_from(self._printed_below)
        # Files closed once read, whose text was then read again by their path: one deleted or replaced meanwhile.
        self.say_problems(warnings=False)

    def say_problems(self, warnings: bool) -> None:
        """Say the inputs' warnings (when asked) and errors not said yet."""
        lines = [f"warning: {line}" for line in self.pipeline.warnings] if warnings else []
        for line in lines + self.pipeline.errors:
            if line not in self._said:
                self._said.add(line)
                say(line)

    def _print_from(self, first_row: int) -> None:
        self.printer.print_view(selected_rows(self.pipeline, self.filters), self.output, first_row)
