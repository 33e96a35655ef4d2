"""How far each host's clock is from this machine's, as the records received live tell it.

A record's time is its host's clock when it was logged; the moment it
reaches logview is this machine's. Their difference is the delivery delay
less the host's lead: the least difference over many records is the lead
itself, give or take the fastest delivery (an upload batch, a poll of the
journal's files: a tenth to a quarter of a second here), as NTP estimates
an offset from its fastest exchange. Records read from files that were
written earlier say nothing of it: only those received as they come count.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

__all__ = ["ClockOffset", "HostClocks"]


class ClockOffset(NamedTuple):
    """A host's clock against this machine's."""

    #: Milliseconds the host's clock is ahead (negative: behind), less the fastest delivery seen.
    ahead: int
    #: Records received live that it was measured over.
    records: int


class HostClocks:
    """The least (received − logged) of each host's records received live, kept as the index grows."""

    def __init__(self) -> None:
        self._least: dict[str, int] = {}
        self._records: dict[str, int] = {}
        self._lock = threading.Lock()

    def observe(self, host: str, least_delay: int, records: int) -> None:
        """``records`` of ``host``'s records were received live, the fastest ``least_delay`` ms after the time they hold."""
        with self._lock:
            known = self._least.get(host)
            self._least[host] = least_delay if known is None else min(known, least_delay)
            self._records[host] = self._records.get(host, 0) + records

    def observe_received(self, process_codes: np.ndarray, times: np.ndarray, hosts: Sequence[str | None]) -> None:
        """Records just received, of these processes, holding these times (UTC ms): measured against now.

        ``hosts``: each process code's host (ProcessTable.hosts). The least
        delay is taken per process, with numpy; a host's is the least of its
        processes': a Python step per process, not per record.
        """
        if not len(times):
            return
        delays = int(time.time() * 1000) - np.asarray(times, dtype=np.int64)
        codes, inverse = np.unique(process_codes, return_inverse=True)
        least = np.full(len(codes), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(least, inverse, delays)
        counts = np.bincount(inverse, minlength=len(codes))
        for code, delay, count in zip(codes.tolist(), least.tolist(), counts.tolist(), strict=True):
            host = hosts[code]
            if host:
                self.observe(host, delay, count)

    def offset(self, host: str) -> ClockOffset | None:
        """None until a record of ``host`` was received live."""
        with self._lock:
            least = self._least.get(host)
            return None if least is None else ClockOffset(-least, self._records[host])
