"""Measure how soon ``logview --print -f`` prints a record after a handler wrote it.

    python benchmarks/bench_follow.py

A writer process logs records that carry the wall-clock time of their
writing; ``logview --print -f`` runs as another process, and a thread here
notes when each record comes out of its standard output. Three writers: one
record every 50 ms (an idle service), 20,000 records a second, and the same
through a RotatingFileHandler with the cookbook's gzip rotator and a 64 kB
maxBytes (rotations several times a second). Prints the median, 95th
percentile and worst latency of each, and whether every record came out once
and in order.

Then the same for the app (``LogViewApp`` headless, in follow mode): a
record logged every 0.3–0.64 s, timed from the handler's write to the first
frame on the terminal after the record is in the view.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import logging
import logging.handlers
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMAT = "%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"


def write(path: str, count: int, rate: float, max_bytes: int) -> None:
    """Log ``count`` records at ``rate`` a second, each saying when it was written."""
    if max_bytes:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=10_000)
        handler.namer = lambda name: name + ".gz"  # type: ignore[attr-defined]
        handler.rotator = _gzip_rotator  # type: ignore[attr-defined]
    else:
        handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter(FORMAT))
    logger = logging.getLogger("bench.writer")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    start = time.perf_counter()
    for number in range(count):
        due = start + number / rate
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        logger.info("record %d written at %.6f", number, time.time())
    handler.close()


def _gzip_rotator(source: str, dest: str) -> None:
    with open(source, "rb") as sf, gzip.open(dest, "wb") as df:
        shutil.copyfileobj(sf, df)
    os.remove(source)


def measure(name: str, count: int, rate: float, max_bytes: int) -> None:
    directory = tempfile.mkdtemp(prefix="logview-bench-follow-")
    path = os.path.join(directory, "app.log")
    Path(path).touch()
    reader = subprocess.Popen(
        [sys.executable, "-m", "logview", "--print", "-f", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
    )
    latencies: list[float] = []
    numbers: list[int] = []

    def collect() -> None:
        assert reader.stdout is not None
        for line in reader.stdout:
            arrived = time.time()
            words = line.split()
            if b"written" in words and words[-3] == b"written":
                numbers.append(int(words[-4]))
                latencies.append(arrived - float(words[-1]))

    thread = threading.Thread(target=collect, daemon=True)
    thread.start()
    time.sleep(1.5)  # logview is following before the first record
    writer = subprocess.run([sys.executable, __file__, "--write", path, str(count), str(rate), str(max_bytes)], check=False)
    deadline = time.monotonic() + 60
    while len(numbers) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    reader.send_signal(signal.SIGINT)
    reader.wait(10)
    rotations = len([entry for entry in os.listdir(directory) if entry.endswith(".gz")])
    shutil.rmtree(directory, ignore_errors=True)
    ordered = numbers == list(range(count))
    cut = sorted(latencies)
    print(
        f"{name}: {len(numbers):,}/{count:,} records, {'each once, in order' if ordered else 'NOT each once in order'}"
        + (f", {rotations} rotations" if max_bytes else "")
        + (f"; writer exit {writer.returncode}" if writer.returncode else "")
    )
    if cut:
        p95 = cut[min(len(cut) - 1, int(0.95 * len(cut)))]
        print(
            f"  latency write → print: median {statistics.median(cut) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, worst {cut[-1] * 1000:.0f} ms"
        )


def measure_app(count: int = 30) -> None:
    """From a handler's write to the frame that shows the record, in the app following the file."""
    sys.path.insert(0, str(ROOT))
    from logview.ui.app import LogViewApp

    directory = tempfile.mkdtemp(prefix="logview-bench-follow-app-")
    handler = logging.FileHandler(os.path.join(directory, "app.log"))
    handler.setFormatter(logging.Formatter(FORMAT))
    logger = logging.getLogger("bench.app-writer")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.info("before the app")
    latencies: list[float] = []

    async def drive() -> None:
        app = LogViewApp([handler.baseFilename])
        async with app.run_test(size=(160, 50)) as pilot:
            while not app.is_settled:
                await asyncio.sleep(0.02)
            await pilot.press("f")
            wanted = {"rows": 0}  # the view's size that shows the record just written
            shown: list[float] = []
            display = app._display

            def display_and_time(screen: object, renderable: object) -> None:
                display(screen, renderable)  # type: ignore[arg-type]
                # Drawn from the view as it is now: this frame shows the record once the view holds it.
                if not shown and len(app.log_pane.selection) >= wanted["rows"]:
                    shown.append(time.perf_counter())

            app._display = display_and_time  # type: ignore[method-assign]
            for number in range(count):
                await asyncio.sleep(0.3 + (number % 3) * 0.17)
                shown.clear()
                wanted["rows"] = number + 2
                written = time.perf_counter()
                logger.info("record %d", number)
                while not shown and time.perf_counter() - written < 5:
                    await asyncio.sleep(0.002)
                latencies.append((shown[0] if shown else float("inf")) - written)
            await pilot.press("q")

    try:
        asyncio.run(drive())
    finally:
        handler.close()
        shutil.rmtree(directory, ignore_errors=True)
    cut = sorted(latencies)
    print(f"the app, one record every 0.3-0.64 s: {len(cut)} records")
    print(f"  latency write → frame on the terminal: median {statistics.median(cut) * 1000:.0f} ms, worst {cut[-1] * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        path, count, rate, max_bytes = args.write
        write(path, int(count), float(rate), int(max_bytes))
        return
    measure("one record every 50 ms", 100, 20, 0)
    measure("20,000 records a second", 100_000, 20_000, 0)
    measure("20,000 records a second, gzip rotation at 64 kB", 100_000, 20_000, 65_536)
    measure_app()


if __name__ == "__main__":
    main()
