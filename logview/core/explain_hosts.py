"""``--explain-hosts``: each host the records name, with its records, processes, time span and clock.

The clock is told as host_clocks.py measures it, from the records received
live; records read from what was written before say nothing of it, and the
report says so rather than guess.
"""

from __future__ import annotations

import numpy as np

from logview.core.index.timeline import Timeline
from logview.core.record import NO_TIME, format_time

__all__ = ["host_report"]


def host_report(timeline: Timeline) -> list[str]:
    """One line per host, in name order; one line saying so when no record names a host."""
    symbols = timeline.symbols
    processes = symbols.processes
    rows = len(timeline)
    process_of = symbols.facets.arrays()[2]
    process_codes = process_of[timeline.facet.values[:rows]]
    times = timeline.times(0, rows)
    lines = []
    for host in sorted(processes.host_names()):
        codes = processes.codes_for_hosts([host])
        mine = np.isin(process_codes, codes)
        timed = times[mine]
        timed = timed[timed != NO_TIME]
        pids = sorted({pid for code in codes if (pid := processes.pids[code]) is not None})
        span = f"{format_time(int(timed.min()))} to {format_time(int(timed.max()))}" if len(timed) else "no times"
        shown_pids = ", ".join(map(str, pids[:8])) + (", …" if len(pids) > 8 else "")
        lines.append(
            f"{host}: {int(mine.sum()):,} records, {len(pids)} process{'es' if len(pids) != 1 else ''} ({shown_pids}), {span}; {_clock(timeline, host)}"
        )
    return lines or ["no record names its host (hosts come from the journal's _HOSTNAME and from --listen's senders)"]


def _clock(timeline: Timeline, host: str) -> str:
    offset = timeline.symbols.clocks.offset(host)
    if offset is None:
        return "clock not measured: none of its records was received live (with -f, records that come are; Ctrl+C reports)"
    lead = "ahead of" if offset.ahead >= 0 else "behind"
    return (
        f"clock {abs(offset.ahead) / 1000:.2f} s {lead} this machine's, give or take the fastest delivery"
        f" (over {offset.records:,} records received live)"
    )
