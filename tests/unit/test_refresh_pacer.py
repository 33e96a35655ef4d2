"""The pacing of live refreshes by the CPU time they cost."""

from __future__ import annotations

import threading
import time

from logview.ui.refresh_pacer import RefreshPacer


def burn(seconds: float) -> None:
    """Spend ``seconds`` of this thread's CPU time."""
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


def test_cheap_refreshes_come_every_soonest_seconds() -> None:
    pacer = RefreshPacer(share=0.5, soonest=0.05, latest=10)
    pacer.refreshed()
    pacer.spent(0.001)
    assert not pacer.due()  # sooner than ``soonest`` after the last refresh
    time.sleep(0.06)
    assert pacer.due()


def test_a_costly_refresh_delays_the_next_until_its_cost_is_a_share_of_the_time() -> None:
    pacer = RefreshPacer(share=0.1, soonest=0.0, latest=10)
    pacer.refreshed()
    worker = threading.Thread(target=pacer.spent, args=(0.03,))  # a worker selected the records: 30 ms
    worker.start()
    worker.join()
    pacer.spent(0.02)  # the UI thread drew them: 20 ms
    assert not pacer.due()  # 50 ms of CPU: the next refresh waits until 0.5 s have passed
    time.sleep(0.55)
    assert pacer.due()


def test_none_waits_past_latest() -> None:
    pacer = RefreshPacer(share=0.1, soonest=0.0, latest=0.2)
    pacer.refreshed()
    pacer.spent(10.0)
    assert not pacer.due()
    time.sleep(0.25)
    assert pacer.due()


def test_a_flood_of_records_lowers_the_share() -> None:
    calm, flooded = (RefreshPacer(share=0.5, flood_share=0.01, flood_rate=1000, soonest=0.0, latest=10) for _ in range(2))
    for pacer in (calm, flooded):
        pacer.refreshed()
        pacer.spent(0.02)
    flooded.arrived(100_000)
    time.sleep(0.1)
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
