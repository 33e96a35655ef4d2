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

import contextlib
import threading
from collections.abc import Sequence

import numpy as np

from logview.core.filters import Filters
from logview.core.pipeline import Pipeline
from logview.core.printer import Printer
from logview.core.say import say
from logview.core.selection import rows_in_range
from logview.core.sources.follow import Follower
from logview.core.sources.queue import QueueSource
from logview.core.sources.socket_listener import SocketListener
from logview.core.stop_signals import StopNow
from logview.core.view_rows import Rows, ViewRows


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


def follow_and_print(
    pipeline: Pipeline,
    printer: Printer,
    filters: Filters,
    output: str,
    patterns: Sequence[str],
    stop: threading.Event | None = None,
    live: LivePrinter | None = None,
) -> None:
    """Follow the pipeline's files and print their new records until ``stop`` is set (by a stop signal: core/stop_signals.py).

    Then, in this order: no more polls; the files read to their ends and all
    that is held or pending printed (rotated files' text is read from the
    follower's archive); the follower and its archive closed. A second stop
    signal (StopNow), a closed output or an error ends it at once: nothing
    more is printed, and the follower is closed all the same.
    """
    live = live or LivePrinter(pipeline, printer, filters, output)
    follower = Follower(pipeline, patterns)
    reported = 0

    def on_poll(added: int) -> None:
        nonlocal reported
        for message in follower.messages[reported:]:
            say(message)
        reported = len(follower.messages)
        live.print_new(quiet=added == 0)

    stop = stop or threading.Event()
    try:
        try:
            follower.watch(stop, on_poll)
        except KeyboardInterrupt as interrupt:
            # The first Ctrl+C, raised by polars in a query it aborted (it hooks SIGINT): a stop like any other.
            if isinstance(interrupt, StopNow) or not stop.is_set():
                raise
        # No more polls; what was read is printed before the follower closes its archive, which holds the rotated files' text.
        # A line never ended is still the file's last record: read to the files' ends, and print it as it is.
        for loaded in pipeline.loaded:
            with contextlib.suppress(OSError):
                pipeline.extend(loaded, complete=True)
        live.print_new(quiet=True, final=True)
    finally:
        follower.close()


def listen_and_print(
    pipeline: Pipeline,
    printer: Printer,
    filters: Filters,
    output: str,
    listener: SocketListener,
    patterns: Sequence[str] = (),
    live: LivePrinter | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Print the records senders send to ``listener`` as they come, and those written to ``patterns``' files, until ``stop`` is set.

    Then the listener is closed, and every record it received before is
    printed, as are the files' records held back. A KeyboardInterrupt (a
    second Ctrl+C) is let through once everything is closed.
    """
    stop = stop or threading.Event()
    live = live or LivePrinter(pipeline, printer, filters, output)
    source = QueueSource(listener.records, pipeline, f"listening on {listener.address}")
    # A sender's trouble is told when it happens, from the listener's thread, not with the next records.
    listener.on_problem = say
    say(f"listening on {listener.address} (tcp and udp)")
    following = threading.Thread(target=follow_and_print, args=(pipeline, printer, filters, output, patterns, stop, live), daemon=True)
    if patterns:
        following.start()

    def on_batch(added: int) -> None:
        live.print_new(quiet=False)

    try:
        source.run(stop, on_batch, stop_writers=listener.close)
    finally:
        stop.set()
        if following.is_alive():
            following.join(5)
        listener.close()
        source.close()
