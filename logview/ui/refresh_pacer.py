"""How often records that arrive live are shown: as often as a CPU budget allows."""

from __future__ import annotations

import threading
import time

#: Seconds between refreshes when they cost little: records show this soon.
SOONEST = 0.25
#: Seconds a refresh waits at most, however much the last ones cost: the view never looks frozen.
LATEST = 2.0
#: The part of the elapsed time that refreshing may take (the UI thread's drawing, the workers' selecting).
SHARE = 0.1
#: Records a second above which a page changes faster than anyone reads it: a flood.
FLOOD_RATE = 1000
#: The part refreshing may take in a flood, when the program being watched needs the CPU more than the view.
FLOOD_SHARE = 0.02


class RefreshPacer:
    """Paces live refreshes by what the previous ones cost.

    A program that logs tens of thousands of records a second into the
    queue would otherwise have the viewer select and redraw four times a
    second. Each redraw takes the GIL from the thread that empties the queue
    and CPU from the program being watched, and the user cannot read a page
    that changes that fast anyway. So the CPU time spent since the last
    refresh (the UI thread's, which includes drawing it and the user's keys,
    and the selection workers', which report theirs) must be at most
    ``share`` of the time elapsed since it before the next one is done;
    ``flood_share`` while more than ``flood_rate`` records a second arrive.
    Cheap refreshes are done every ``soonest`` seconds; none waits more
    than ``latest``. Time with nothing to refresh clears the count, so that
    the first records after a pause show at once.
    """

    def __init__(
        self,
        share: float = SHARE,
        flood_share: float = FLOOD_SHARE,
        flood_rate: float = FLOOD_RATE,
        soonest: float = SOONEST,
        latest: float = LATEST,
    ) -> None:
        self.share, self.flood_share, self.flood_rate = share, flood_share, flood_rate
        self.soonest, self.latest = soonest, latest
        self._lock = threading.Lock()
        self._at = time.monotonic()
        self._ui_cpu = time.thread_time()
        self._worker_cpu = 0.0
        self._arrived = 0

    def due(self) -> bool:
        """Whether a refresh may be done now; called on the UI thread."""
        elapsed = time.monotonic() - self._at
        if elapsed < self.soonest:
            return False
        with self._lock:
            spent = time.thread_time() - self._ui_cpu + self._worker_cpu
            share = self.flood_share if self._arrived > self.flood_rate * elapsed else self.share
        return elapsed >= self.latest or spent <= share * elapsed

    def restart(self) -> None:
        """Count from now: a refresh starts, or there is nothing to refresh (what was spent before is forgiven).

        Called on the UI thread.
        """
        with self._lock:
            self._at = time.monotonic()
            self._ui_cpu = time.thread_time()
            self._worker_cpu = 0.0
            self._arrived = 0

    def arrived(self, records: int) -> None:
        """Live sources added ``records``; called on their threads."""
        with self._lock:
            self._arrived += records

    def spent(self, seconds: float) -> None:
        """A worker spent ``seconds`` of CPU on a refresh (selecting its records)."""
        with self._lock:
            self._worker_cpu += seconds
