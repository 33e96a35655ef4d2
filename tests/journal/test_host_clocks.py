"""Each host's clock against this machine's, from the entries received live: a host five seconds ahead reads so."""

from __future__ import annotations

import threading

from logview.core.index.status import Problem
from logview.core.pipeline import Pipeline
from logview.core.running_sources import NoEvents
from logview.core.sources.journal import JournalSource, JournalTarget
from logview.core.sources.source import Source
from logview.journal_upload import Collector
from tests.command import run_logview
from tests.journal.hosts import THREADS, send
from tests.waiting import wait_until


class _CaughtUp(NoEvents):
    def __init__(self) -> None:
        self.caught_up_event = threading.Event()
        self.told: list[Problem] = []

    def tell(self, problem: Problem) -> None:
        self.told.append(problem)

    def caught_up(self, source: Source) -> None:
        self.caught_up_event.set()


def test_a_host_whose_clock_is_ahead_reads_ahead_and_one_on_time_reads_on_time(collector: Collector) -> None:
    send(collector, 0, 3, "before")  # read from the file, not received live: says nothing of the clock
    pipeline = Pipeline(growing=True)
    events = _CaughtUp()
    stop = threading.Event()
    running = pipeline.start([JournalSource(JournalTarget(directory=collector.directory), follow=True)], events, stop)
    try:
        assert events.caught_up_event.wait(60), events.told
        clocks = pipeline.timeline.symbols.clocks
        assert clocks.offset("host-0") is None
        send(collector, 1, 10, "live", skew=5.0)
        send(collector, 2, 10, "live")
        expected = len(THREADS) * (3 + 10 + 10)
        wait_until(lambda: len(pipeline.timeline) >= expected, f"{expected} records indexed")
    finally:
        stop.set()
        running.wait()
        running.close()
    ahead, on_time = clocks.offset("host-1"), clocks.offset("host-2")
    assert ahead is not None and on_time is not None
    # Give or take the fastest delivery: the uploads' tenth of a second, the source's quarter-second look, a loaded machine.
    assert 3_500 <= ahead.ahead <= 5_100, ahead
    assert -1_500 <= on_time.ahead <= 100, on_time
    assert ahead.records == len(THREADS) * 10
    pipeline.close()


def test_explain_hosts_says_each_hosts_records_processes_span_and_that_its_clock_was_not_measured(collector: Collector) -> None:
    pids = [send(collector, host, 4) for host in range(2)]
    done = run_logview("--print", "--explain-hosts", "--journal", collector.directory)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode().splitlines()
    assert len(lines) == 2
    for host, (line, pid) in enumerate(zip(lines, pids, strict=True)):
        assert line.startswith(f"host-{host}: {len(THREADS) * 4} records, 1 process ({pid}), ")
        assert line.endswith("clock not measured: none of its records was received live (with -f, records that come are; Ctrl+C reports)")
