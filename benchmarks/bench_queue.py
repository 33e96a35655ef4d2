"""How fast the viewer drains a multiprocessing logging queue, against a bare QueueListener.

    python benchmarks/bench_queue.py [--workers 4] [--records 50000] [--rounds 3] [--press-every 1.0]

Worker processes log as fast as they can through QueueHandler into one
multiprocessing queue, as in the logging cookbook. Each round measures, one
after the other:

1. a bare ``QueueListener`` with a ``NullHandler``: records per second until
   the last record is handled;
2. the viewer (``LogViewApp`` with the queue, run headless), with the same
   workers: records per second until the last record is in its index, and,
   while the records pour in, the latency of a page down (one every
   ``--press-every`` seconds) from the key event to the frame on the
   terminal: the UI keeps responding.

Both use every core, so one run's rate moves with whatever else the machine
does; the rounds alternate the two, and the ratio is given per round and as
the median of the rounds. The CPU time that the consuming process spends per
record is printed beside each rate.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import logging.handlers
import multiprocessing
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def flood(log_queue: Any, worker: int, count: int) -> None:
    root = logging.getLogger()
    root.handlers[:] = [logging.handlers.QueueHandler(log_queue)]
    root.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in ("myapp", "myapp.lib1", "myapp.lib2")]
    for number in range(count):
        loggers[number % 3].info("worker %d record %d with some words to make a usual line", worker, number)


def start_workers(log_queue: Any, workers: int, records: int) -> list[multiprocessing.Process]:
    processes = [multiprocessing.Process(target=flood, args=(log_queue, number, records)) for number in range(workers)]
    for process in processes:
        process.start()
    return processes


def process_cpu() -> float:
    """CPU seconds of this process so far, every thread included (the workers are other processes)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bare_listener(workers: int, records: int) -> float:
    log_queue: multiprocessing.Queue = multiprocessing.Queue()
    listener = logging.handlers.QueueListener(log_queue, logging.NullHandler())
    listener.start()
    begin = time.perf_counter()
    for process in start_workers(log_queue, workers, records):
        process.join()
    listener.stop()  # the sentinel comes after every record: this returns when all are handled
    return workers * records / (time.perf_counter() - begin)


def viewer(workers: int, records: int, press_every: float = 1.0) -> tuple[float, list[float]]:
    from textual import events

    from logview.core.sources.queue import QueueSource
    from logview.ui.app import LogViewApp

    log_queue: multiprocessing.Queue = multiprocessing.Queue()
    total = workers * records
    result: dict[str, Any] = {}

    async def drive() -> None:
        app = LogViewApp([], queues=[log_queue])
        async with app.run_test(size=(160, 50)) as pilot:
            while not app.is_settled:
                await asyncio.sleep(0.02)
            source = next(source for source in app.session.sources if isinstance(source, QueueSource))
            shown: list[float] = []
            display = app._display

            def display_and_time(screen: Any, renderable: Any) -> None:
                display(screen, renderable)
                shown.append(time.perf_counter())

            app._display = display_and_time  # type: ignore[method-assign]
            begin = time.perf_counter()
            processes = start_workers(log_queue, workers, records)
            latencies: list[float] = []
            pressed = begin
            while source.records < total:
                # The end is looked for every 10 ms; a page down is pressed every ``press_every`` seconds.
                await asyncio.sleep(0.01)
                if time.perf_counter() - pressed >= press_every and source.records < total * 0.9:
                    shown.clear()
                    pressed = time.perf_counter()
                    app._driver.send_message(events.Key("pagedown", None))
                    while not shown and time.perf_counter() - pressed < 5:
                        await asyncio.sleep(0.001)
                    latencies.append((shown[0] if shown else float("inf")) - pressed)
            result["rate"] = total / (time.perf_counter() - begin)
            result["latencies"] = latencies
            for process in processes:
                process.join()
            await pilot.press("q")

    asyncio.run(drive())
    return result["rate"], result["latencies"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--records", type=int, default=50_000, help="records per worker")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--press-every", type=float, default=1.0, help="seconds between page downs in the viewer")
    args = parser.parse_args()
    total = args.workers * args.records
    print(f"{args.workers} worker processes, {total:,} records through one multiprocessing queue, {args.rounds} rounds")
    ratios: list[float] = []
    rates: dict[str, list[float]] = {"bare": [], "viewer": []}
    latencies: list[float] = []
    for number in range(1, args.rounds + 1):
        began = process_cpu()
        bare = bare_listener(args.workers, args.records)
        bare_cpu, began = process_cpu() - began, process_cpu()
        rate, pressed = viewer(args.workers, args.records, args.press_every)
        viewer_cpu = process_cpu() - began
        ratios.append(rate / bare)
        rates["bare"].append(bare)
        rates["viewer"].append(rate)
        latencies.extend(pressed)
        print(
            f"  round {number}: bare QueueListener + NullHandler {bare:,.0f} records/s ({bare_cpu / total * 1e6:.1f} µs CPU a record); "
            f"the viewer {rate:,.0f} records/s ({viewer_cpu / total * 1e6:.1f} µs, start and stop included): x{rate / bare:.2f}"
        )
    bare_median, viewer_median = statistics.median(rates["bare"]), statistics.median(rates["viewer"])
    print(
        f"  the viewer keeps x{statistics.median(ratios):.2f} of the bare listener's rate (median of {len(ratios)} rounds' ratios); "
        f"medians {viewer_median:,.0f} against {bare_median:,.0f} records/s: x{viewer_median / bare_median:.2f}"
    )
    if latencies:
        ordered = sorted(latencies)
        print(
            f"  page down while the records pour in ({len(ordered)} presses): "
            f"median {ordered[len(ordered) // 2] * 1000:.0f} ms, worst {ordered[-1] * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
