"""Measure the engine on the benchmark corpora, and lnav on the same files.

    python benchmarks/bench.py /tmp/corpus/1m.log
    python benchmarks/bench.py /tmp/corpus/10m.log
    python benchmarks/bench.py --name rotated-gz '/tmp/corpus/rot/app.log*'

For each corpus, in fresh processes so that peak RSS belongs to one run:
index throughput (MB/s of log text and records/s), peak RSS per record, the
time of a level, a logger and a PID filter over the whole index, and
``--print`` throughput with a level filter. Where lnav is installed (with
../shared/lnav/python_logging.json under ~/.lnav/formats/installed/), lnav
indexes the same files in the same run and the ratios are printed.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def probe(paths: list[str]) -> dict[str, object]:
    """Index ``paths`` in this process and time the filters (run in a child)."""
    import numpy as np

    from logview.core.memory import tune_allocators

    tune_allocators()  # as the logview command does, before polars is loaded and any thread starts
    from logview.core.filters import Filters
    from logview.core.inputs.arguments import expand_inputs
    from logview.core.masks import column_mask
    from logview.core.pipeline import Pipeline

    names = expand_inputs(paths).names
    started = time.perf_counter()
    pipeline = Pipeline()
    timeline = pipeline.load(names)
    indexed = time.perf_counter() - started
    text_bytes = sum(state.bytes_indexed for state in timeline.sources)
    figures: dict[str, object] = {"records": len(timeline), "text_bytes": text_bytes, "index_seconds": indexed}
    # Peak RSS of indexing, before the filters allocate their results.
    figures["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    loggers = [name for _, name in timeline.symbols.loggers.items()]
    # The deepest logger with descendants (the corpus's myapp.db, with myapp.db.pool), else the first one.
    parents = sorted((name for name in loggers if any(other.startswith(name + ".") for other in loggers)), key=len)
    subtree = parents[-1] if parents else loggers[0]
    some_pid = next(pid for pid in timeline.symbols.processes.pids if pid is not None)
    for label, filters in (
        ("level_filter", Filters(min_level=40)),
        ("dense_level_filter", Filters(min_level=20)),
        ("logger_filter", Filters(loggers=(subtree,))),
        ("pid_filter", Filters(pids=(some_pid,))),
    ):
        best = float("inf")
        for _ in range(5):
            tick = time.perf_counter()
            rows = timeline.positions(column_mask(filters, timeline))
            best = min(best, time.perf_counter() - tick)
        figures[label + "_ms"] = best * 1000
        figures[label + "_rows"] = float(len(rows))
    figures["peak_rss_with_filters_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    figures["logger_subtree"] = subtree  # type: ignore[assignment]
    del np
    return figures


def run_probe(paths: list[str]) -> dict[str, Any]:
    result = subprocess.run([sys.executable, __file__, "--probe", *paths], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(result.stdout)


def timed(command: list[str], stdout: int | None = subprocess.DEVNULL) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of a child process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=stdout, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"{command[0]} failed with {status}")
    return elapsed, usage.ru_maxrss * 1024


def lnav_index(files: list[str]) -> tuple[float, int] | None:
    if shutil.which("lnav") is None:
        return None
    return timed(["lnav", "-n", "-c", ";SELECT count(*) FROM python_logging", *files])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--name")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=3, help="index runs; the best is reported")
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.paths)))
        return
    files = sorted({name for pattern in args.paths for name in glob.glob(pattern)})
    on_disk = sum(os.path.getsize(name) for name in files)
    runs = [run_probe(args.paths) for _ in range(args.runs)]
    best = min(runs, key=lambda figures: figures["index_seconds"])
    megabytes = best["text_bytes"] / 1e6
    print(
        f"corpus: {args.name or args.paths[0]}  ({len(files)} files, {on_disk / 1e6:.0f} MB on disk, {megabytes:.0f} MB of text, {best['records']:.0f} records)"
    )
    print(
        f"  index: {best['index_seconds']:.2f} s  = {megabytes / best['index_seconds']:.0f} MB/s, {best['records'] / best['index_seconds'] / 1e6:.2f} M records/s"
    )
    print(
        f"  peak RSS after indexing: {best['peak_rss_bytes'] / 2**20:.0f} MiB = {best['peak_rss_bytes'] / best['records']:.1f} bytes/record"
    )
    print(f"  peak RSS after the filters: {best['peak_rss_with_filters_bytes'] / 2**20:.0f} MiB")
    for label in ("level", "dense_level", "logger", "pid"):
        print(f"  {label} filter: {best[label + '_filter_ms']:.1f} ms ({best[label + '_filter_rows']:.0f} records kept)")
    print(f"    (level filter: ERROR and above; dense_level: INFO and above; logger filter: {best['logger_subtree']} and its descendants)")
    print_seconds, _ = min(timed([sys.executable, "-m", "logview", "--print", "--level", "ERROR", *args.paths]) for _ in range(args.runs))
    print(f"  --print --level ERROR: {print_seconds:.2f} s = {megabytes / print_seconds:.0f} MB/s")
    lnav = [lnav_index(files) for _ in range(args.runs)]
    if lnav[0] is not None:
        lnav_seconds = min(run[0] for run in lnav if run)
        lnav_rss = min(run[1] for run in lnav if run)
        print(
            f"  lnav index+count: {lnav_seconds:.2f} s = {megabytes / lnav_seconds:.0f} MB/s, peak RSS {lnav_rss / 2**20:.0f} MiB = {lnav_rss / best['records']:.1f} bytes/record"
        )
        print(f"  ratio logview/lnav: speed x{lnav_seconds / best['index_seconds']:.2f}, memory x{best['peak_rss_bytes'] / lnav_rss:.2f}")
    else:
        print("  lnav: not installed (apt-get install lnav)")


if __name__ == "__main__":
    main()
