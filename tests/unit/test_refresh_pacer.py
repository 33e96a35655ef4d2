"""The pacing of live refreshes by the CPU time they cost.

The pacer reads the time from its module's ``time``; the tests give it a
clock of their own, moved by hand. Waiting for real time to pass would make
every "not yet due" a race with the machine's load: a test stalled for 50 ms
between two lines would see a refresh due that was not.
"""

from __future__ import annotations

import threading
import time

import pytest

from logview.core import refresh_pacer
from logview.core.refresh_pacer import RefreshPacer


class Clock:
    """Stands for the ``time`` module in the pacer's: a monotonic clock that moves only when a test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(refresh_pacer, "time", clock)
    return clock


def burn(seconds: float) -> None:
    """Spend ``seconds`` of this thread's CPU time."""
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


def test_cheap_refreshes_come_every_soonest_seconds(clock: Clock) -> None:
    pacer = RefreshPacer(share=0.5, soonest=0.05, latest=10)
    pacer.refreshed()
    pacer.spent(0.001)
    clock.advance(0.04)
    assert not pacer.due()  # sooner than ``soonest`` after the last refresh
    clock.advance(0.02)
    assert pacer.due()


def test_a_costly_refresh_delays_the_next_until_its_cost_is_a_share_of_the_time(clock: Clock) -> None:
    pacer = RefreshPacer(share=0.1, soonest=0.0, latest=10)
    pacer.refreshed()
    worker = threading.Thread(target=pacer.spent, args=(0.03,))  # a worker selected the records: 30 ms
    worker.start()
    worker.join()
    pacer.spent(0.02)  # the UI thread drew them: 20 ms
    clock.advance(0.45)
    assert not pacer.due()  # 50 ms of CPU: the next refresh waits until 0.5 s have passed
    clock.advance(0.1)
    assert pacer.due()


def test_none_waits_past_latest(clock: Clock) -> None:
    pacer = RefreshPacer(share=0.1, soonest=0.0, latest=0.2)
    pacer.refreshed()
    pacer.spent(10.0)
    clock.advance(0.15)
    assert not pacer.due()
    clock.advance(0.1)
    assert pacer.due()


def test_a_flood_of_records_lowers_the_share(clock: Clock) -> None:
    calm, flooded = (RefreshPacer(share=0.5, flood_share=0.01, flood_rate=1000, soonest=0.0, latest=10) for _ in range(2))
    for pacer in (calm, flooded):
        pacer.refreshed()
        pacer.spent(0.02)
    flooded.arrived(100_000)
    clock.advance(0.1)
    assert calm.due()
    assert not flooded.due()


def test_only_refreshes_are_charged() -> None:
    pacer = RefreshPacer(share=0.01, soonest=0.0, latest=10)
    pacer.refreshed()
    burn(0.05)  # the UI thread busy with something else (keys, a histogram): not the refresh's cost
    assert pacer.due()
    pacer.spent(0.05)
    pacer.refreshed()  # a new refresh: the last one's cost is settled
    assert pacer.due()
