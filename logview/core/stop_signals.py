"""Ctrl+C, a service manager's SIGTERM and a closed terminal's SIGHUP: one way to stop a live ``--print``.

SIGTERM and SIGHUP used to kill ``--print -f`` and ``--print --listen`` at
once, with the records taken off the queue and the last line held back never
printed; Ctrl+C raised KeyboardInterrupt wherever the main thread was, in
the middle of an append as likely as not. Now, once the printing loops run,
each of the three sets one event that they wait on: they stop taking, print
what they hold, and return; logview exits with 128 + the signal's number,
as a shell reports a command a signal stopped (130 after Ctrl+C, as
before). Before the loops (reading the files given) and at a second signal
(a flush that hangs on a standard output nobody reads), the signal raises
KeyboardInterrupt, as Ctrl+C always did: at the second, :class:`StopNow`.

A library may turn the first Ctrl+C into a KeyboardInterrupt of its own:
polars hooks SIGINT and aborts a query running then. A loop that sees a
KeyboardInterrupt other than StopNow once ``stop`` is set stops as the
event asks, printing what it holds.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType
from typing import Any

__all__ = ["STOP_SIGNALS", "StopNow", "StopSignals"]

#: The signals that stop logview as Ctrl+C does.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class StopNow(KeyboardInterrupt):
    """A second stop signal: stop at once, printing nothing more (the output may be what hangs)."""


class StopSignals:
    """Handles the stop signals while it is entered (on the main thread); ``stop`` is set by the first one once :meth:`graceful`."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        #: The first stop signal received, if any.
        self.received: signal.Signals | None = None
        self._graceful = False
        self._previous: dict[signal.Signals, Any] = {}

    def __enter__(self) -> StopSignals:
        for number in STOP_SIGNALS:
            self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)

    def graceful(self) -> None:
        """From now on a signal sets ``stop`` (the printing loops wait on it) instead of raising KeyboardInterrupt."""
        self._graceful = True

    @property
    def exit_status(self) -> int:
        """128 + the signal's number: what a shell reports for a command a signal stopped."""
        return 128 + (self.received or signal.SIGINT)

    def _handle(self, number: int, frame: FrameType | None) -> None:
        if not self._graceful:
            self.received = self.received or signal.Signals(number)
            raise KeyboardInterrupt
        if self.received is not None:
            raise StopNow
        self.received = signal.Signals(number)
        self.stop.set()
