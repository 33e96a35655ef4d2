"""Measure how fast the follower reads rotated copies: it must outpace a writer that deletes old ones.

    python benchmarks/bench_rotated_copies.py [--records 30000] [--max-bytes 5000] [--runs 3]

A RotatingFileHandler with the cookbook's gzip rotator (tests/live/writers.py)
writes the records in a process of its own, keeping up to 1,000 copies (every one, at the defaults); a Follower
that was following the empty ``app.log`` then reads all the copies in one
poll. Prints the writer's time per rotation and the follower's per copy.
"""

from __future__ import annotations

import argparse
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from logview.core.pipeline import Pipeline  # noqa: E402
from logview.core.sources.follow import Follower  # noqa: E402

WRITERS = ROOT / "tests" / "live" / "writers.py"


def one_run(records: int, max_bytes: int) -> tuple[int, float, float]:
    """(copies, writer's seconds, follower's seconds) for one writer and one poll."""
    with tempfile.TemporaryDirectory() as directory:
        log = os.path.join(directory, "app.log")
        Path(log).touch()
        pipeline = Pipeline(growing=True)
        pipeline.load([log])
        follower = Follower(pipeline)
        try:
            start = time.perf_counter()
            subprocess.run([sys.executable, str(WRITERS), "rotating-gzip", directory, str(records), str(max_bytes), "1000"], check=True)
            written = time.perf_counter() - start
            copies = len(glob.glob(f"{log}.*"))
            start = time.perf_counter()
            read = follower.poll()
            reading = time.perf_counter() - start
            if read != records or follower.messages:
                raise SystemExit(f"the follower read {read} of {records} records: {follower.messages}")
        finally:
            follower.close()
            pipeline.close()
    return copies, written, reading


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--max-bytes", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    writer, follower = [], []
    for _ in range(arguments.runs):
        copies, written, reading = one_run(arguments.records, arguments.max_bytes)
        writer.append(written / copies * 1000)
        follower.append(reading / copies * 1000)
        print(
            f"{copies} copies: writer {written:.2f} s ({writer[-1]:.1f} ms a rotation), follower {reading:.2f} s ({follower[-1]:.1f} ms a copy)"
        )
    print(f"median: writer {statistics.median(writer):.1f} ms a rotation, follower {statistics.median(follower):.1f} ms a copy")


if __name__ == "__main__":
    main()
