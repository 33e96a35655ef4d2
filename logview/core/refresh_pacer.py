"""How often records that arrive live are shown: as often as a CPU budget allows."""

from __future__ import annotations

import threading
import time

#: Seconds between refreshes when they cost little: records show this soon.
SOONEST = 0.25
#: Seconds a refresh waits at most, however much the last ones cost: the view never looks frozen.
LATEST = 2.0
#: The part of the time that refreshing may take (the workers' selecting, the UI thread's drawing) while
#: records trickle in: a refresh drawn whole (a layout of the screen) costs up to 0.1 s of CPU here.
SHARE = 0.5
#: Records a second above which a page changes faster than anyone reads it: a flood.
FLOOD_RATE = 1000
#: The part refreshing may take in a flood, when the program being watched needs the CPU more than the view.
FLOOD_SHARE = 0.02


class RefreshPacer:
    """Paces live refreshes by what the previous one cost.

    A program that logs tens of thousands of records a second into the
    queue would otherwise have the viewer select and redraw four times a
    second. Each redraw takes the GIL from the thread that empties the queue
    and CPU from the program being watched, and the user cannot read a page
    that changes that fast anyway. So a refresh that cost ``c`` seconds of
    CPU (the selection workers' and the UI thread's drawing, each reported
    with :meth:`spent`) is followed by the next one no sooner than ``c /
    share`` seconds later; ``c / flood_share`` while more than
    ``flood_rate`` records a second arrive. Cheap refreshes are done every
    ``soonest`` seconds; none waits more than ``latest``. Only refreshes are
    charged: the user's keys, and whatever else the UI did, are not.
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
        self._refreshed_at = time.monotonic()
        #: CPU seconds charged to the last refresh so far.
        self._cost = 0.0
        #: Records that arrived since the last refresh.
        self._arrived = 0

    def due(self) -> bool:
        """Whether a refresh may be done now."""
        since = time.monotonic() - self._refreshed_at
        if since < self.soonest:
            return False
        with self._lock:
            share = self.flood_share if self._arrived > self.flood_rate * since else self.share
            return since >= self.latest or self._cost <= share * since

    def refreshed(self) -> None:
        """A refresh starts now: what it costs is charged from here."""
        with self._lock:
            self._refreshed_at = time.monotonic()
            self._cost = 0.0
            self._arrived = 0

    def arrived(self, records: int) -> None:
        """Live sources added ``records``; called on their threads."""
        with self._lock:
            self._arrived += records

    def spent(self, seconds: float) -> None:
        """``seconds`` of CPU went into a refresh (a worker's selecting, the UI thread's drawing)."""
        with self._lock:
            self._cost += seconds
