"""The files given on the command line (paths, globs, ``-``), as a source (core/sources/source.py).

They are read whole first, by the pipeline (chunks parsed on a thread pool,
formats detected, rotation sets in the order written); with ``follow``,
they are then followed as they are written, through rotation and
truncation (follow.py), until the stop.
"""

from __future__ import annotations

import contextlib
import glob
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from logview.core.index.status import Problem, Severity, Status
from logview.core.inputs.arguments import expand_inputs, waiting_line
from logview.core.sources.follow import Follower
from logview.core.stop_signals import StopNow

if TYPE_CHECKING:
    from logview.core.pipeline import Pipeline
    from logview.core.sources.source import Sink


#: Seconds a KeyboardInterrupt that polars raised in the follower waits for the stop signal's handler to set ``stop``.
INTERRUPT_GRACE = 2.0


class FileSource:
    """The files of ``paths``, read into ``pipeline`` (which reads files itself: see Pipeline.load), then followed."""

    kind = "files"

    def __init__(self, pipeline: Pipeline, paths: Sequence[str], follow: bool = False) -> None:
        self.pipeline = pipeline
        self.paths = list(paths)
        self.follow = follow
        self.name = ", ".join(self.paths)
        # Globs are expanded at once: what matches nothing is said before anything is read.
        expanded = expand_inputs(self.paths, follow=follow)
        self.names = expanded.names
        #: The globs that match nothing yet: waited for, as missing files are, until a file matches.
        self.globs_waited_for = list(expanded.waiting)
        self._problems = [Problem(line.partition(": ")[0], line) for line in expanded.errors]
        self.follower: Follower | None = None
        self._status = Status.READING

    @property
    def status(self) -> Status:
        return self._status

    @property
    def problems(self) -> list[Problem]:
        """The arguments' problems (a glob that matches nothing, reading or following that failed), not the files' own.

        The files' own are their SourceStates' (pipeline.errors).
        """
        waiting = [Problem(pattern, waiting_line(pattern), Severity.WAITING) for pattern in self.globs_waited_for]
        return self._problems + waiting

    def run(self, sink: Sink, stop: threading.Event) -> None:
        try:
            self.pipeline.load(self.names, on_progress=sink.changed)
        except Exception as error:  # noqa: BLE001 - a user's file must never end the program
            if not self.pipeline.closing:  # else the viewer quit in the middle of the reading: no input is at fault
                self._problems.append(Problem(self.name, f"cannot read the inputs: {type(error).__name__}: {error}"))
        # What was written before is indexed: the printer prints it, the viewer shows it, before the files are followed.
        sink.caught_up(self)
        if not self.follow or stop.is_set():
            self._status = Status.DONE
            return
        try:
            self.follower = Follower(self.pipeline, self.paths)
        except Exception as error:  # noqa: BLE001 - the viewer must never die on a user's file
            self._status = Status.ERROR
            self._fail(sink, f"cannot follow the files: {type(error).__name__}: {error}")
            return
        self._status = Status.FOLLOWING
        for loaded in self.pipeline.loaded:
            if loaded.state.status == Status.FOLLOWING:
                sink.changed(loaded.state)  # read, and watched now
        if self.follower.followed or self.follower.patterns:
            self._follow(self.follower, sink, stop)
        else:
            stop.wait()  # nothing to watch (a directory given): followed, as tail -f is, until the stop
        self._status = Status.DONE

    def _follow(self, follower: Follower, sink: Sink, stop: threading.Event) -> None:
        """Poll the files as they change until ``stop``; then read them to their ends, a line never ended included."""
        told = 0

        def polled(added: int) -> None:
            nonlocal told
            for line in follower.messages[told:]:
                sink.tell(Problem(self.name, line, Severity.WARNING))
            told = len(follower.messages)
            if added and self.globs_waited_for:
                # A glob waited for is no longer once a file matches it (the follower reads that file).
                self.globs_waited_for = [pattern for pattern in self.globs_waited_for if not glob.glob(pattern)]
            sink.arrived(added)

        try:
            follower.watch(stop, polled)
        except KeyboardInterrupt as interrupt:
            # polars aborts a query running when Ctrl+C comes and raises KeyboardInterrupt in the thread that ran it: a stop
            # like any other once the signal's handler, on the main thread, has set ``stop``; what was not read is read below.
            if isinstance(interrupt, StopNow) or not stop.wait(INTERRUPT_GRACE):
                raise
        except Exception as error:  # noqa: BLE001 - a file's trouble must not end the program
            if not stop.is_set():
                self._status = Status.ERROR
                self._fail(sink, f"following stopped: {type(error).__name__}: {error}")
                return
        # The rotated files' text stays readable until close(): what was read is printed before then.
        for loaded in self.pipeline.loaded:
            with contextlib.suppress(OSError):
                self.pipeline.extend(loaded, complete=True)

    def _fail(self, sink: Sink, line: str) -> None:
        """Following failed: told, not counted as an input error (what was read is shown, and the exit status stays)."""
        sink.tell(Problem(self.name, line, Severity.WARNING))

    def close(self) -> None:
        """Close the follower, and the archive of rotated files' text it holds."""
        if self.follower is not None:
            self.follower.close()
