"""Compare ways to extract the indexed fields (time, level, logger, pid) of every line.

    python benchmarks/candidates.py /tmp/corpus/1m.log

Each candidate reads the same file and produces, for every record's first
line, its time, level, logger and pid as columns. Candidates whose package is
not installed are skipped (duckdb is not a dependency of logview; install it
to compare). This is how the engine's choice (polars, in threads) was made.
"""

from __future__ import annotations

import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

PATTERN = rb"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (\d+) (\S+) ([A-Z]+) "


def cpython_re(data: bytes) -> int:
    """One finditer over the whole buffer, building Python lists per match."""
    times, pids, loggers, levels = [], [], [], []
    for found in re.finditer(PATTERN, data, re.MULTILINE):
        stamp, pid, logger, level = found.groups()
        times.append(stamp)
        pids.append(int(pid))
        loggers.append(logger)
        levels.append(level)
    np.asarray(pids, dtype=np.int32)
    return len(times)


def polars_engine(data: bytes, threads: int) -> int:
    """logview's own bulk path: ChunkParser over 8 MB chunks."""
    from logview.core.index.symbols import FacetTable, LevelTable, ProcessTable, Symbols, SymbolTable
    from logview.core.parse.chunk_parser import ChunkParser
    from logview.core.parse.format_string import compile_format

    parser = ChunkParser(
        compile_format("%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"),
        Symbols(LevelTable(), SymbolTable(), ProcessTable(), FacetTable()),
    )
    chunks, position = [], 0
    while position < len(data):
        end = min(len(data), position + (8 << 20))
        end = data.rfind(b"\n", position, end) + 1 if end < len(data) else end
        chunks.append(data[position:end])
        position = end
    with ThreadPoolExecutor(threads) as pool:
        return sum(len(parsed) for parsed in pool.map(parser.parse, chunks))


def duckdb_engine(path: str) -> int:
    import duckdb

    query = f"""
        SELECT regexp_extract(line, '{PATTERN.decode()}', ['time', 'pid', 'logger', 'level']) AS f
        FROM read_csv('{path}', columns={{'line': 'VARCHAR'}}, delim='\\x1f', quote='', escape='', header=false, auto_detect=false)
    """
    return int(duckdb.sql(f"SELECT count(*) FROM ({query}) WHERE f.time <> ''").fetchall()[0][0])


def main() -> None:
    path = sys.argv[1]
    with open(path, "rb") as handle:
        data = handle.read()
    megabytes = len(data) / 1e6
    candidates = [
        ("CPython re.finditer + lists", lambda: cpython_re(data)),
        ("polars ChunkParser, 1 thread", lambda: polars_engine(data, 1)),
        ("polars ChunkParser, 2 threads (logview)", lambda: polars_engine(data, 2)),
    ]
    try:
        import duckdb  # noqa: F401

        candidates.append(("duckdb read_csv + regexp_extract", lambda: duckdb_engine(path)))
    except ImportError:
        print("duckdb: not installed, skipped")
    print(f"{path}: {megabytes:.0f} MB")
    for label, run in candidates:
        started = time.perf_counter()
        records = run()
        elapsed = time.perf_counter() - started
        print(f"  {label:42s} {elapsed:6.2f} s  {megabytes / elapsed:5.0f} MB/s  ({records} records)")


if __name__ == "__main__":
    main()
