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
    assert not pacer.due()  # sooner than ``soonest``
    time.sleep(0.06)
    assert pacer.due()


def test_a_costly_refresh_delays_the_next_until_its_cost_is_a_share_of_the_time() -> None:
    pacer = RefreshPacer(share=0.05, soonest=0.0, latest=10)
    burn(0.05)  # the UI thread drew a refresh: the next waits until 0.05 s is at most a twentieth of the time
    assert not pacer.due()
    time.sleep(1.1)
    assert pacer.due()


def test_the_workers_cost_counts_and_none_waits_past_latest() -> None:
    pacer = RefreshPacer(share=0.1, soonest=0.0, latest=0.3)
    worker = threading.Thread(target=pacer.spent, args=(0.1,))
    worker.start()
    worker.join()
    time.sleep(0.1)
    assert not pacer.due()  # 0.1 s of selecting in 0.1 s: over the share
    time.sleep(0.25)
    assert pacer.due()  # past ``latest``, however costly


def test_a_flood_of_records_lowers_the_share() -> None:
    calm, flooded = (RefreshPacer(share=0.5, flood_share=0.01, flood_rate=1000, soonest=0.0, latest=10) for _ in range(2))
    burn(0.02)
    flooded.arrived(100_000)
    time.sleep(0.1)
    assert calm.due()
    assert not flooded.due()


def test_restarting_forgives_what_was_spent() -> None:
    pacer = RefreshPacer(share=0.02, soonest=0.0, latest=10)
    burn(0.05)
    assert not pacer.due()
    pacer.restart()
    time.sleep(0.01)
    assert pacer.due()
