"""Write the benchmark corpus: real output of the stdlib logging handlers.

Records are built with ``logging.makeLogRecord`` so that the corpus can carry
several PIDs and a steady clock, then formatted and written by a real
``logging.FileHandler`` (or a ``RotatingFileHandler`` with the cookbook's gzip
rotator), so the bytes are exactly what a Python program would write.

    python benchmarks/make_corpus.py --lines 1000000 --out /tmp/corpus/1m.log
    python benchmarks/make_corpus.py --lines 10000000 --out /tmp/corpus/10m.log
    python benchmarks/make_corpus.py --rotated-mb 1000 --out /tmp/corpus/rot/app.log
"""

from __future__ import annotations

import argparse
import gzip
import logging
import logging.handlers
import os
import random
import shutil
import sys
import time
from multiprocessing import Pool
from pathlib import Path

FORMAT = "%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"
LOGGERS = ["myapp", "myapp.api", "myapp.db", "myapp.db.pool", "myapp.worker", "myapp.cache", "urllib3.connectionpool", "celery.worker"]
LOGGER_WEIGHTS = [10, 40, 15, 5, 15, 8, 5, 2]
LEVELS = [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL]
LEVEL_WEIGHTS = [30, 60, 7, 2.5, 0.5]
PIDS = [38503, 56737, 41022, 41023, 41024, 41025, 51200, 60001]
START = 1709251200.0  # 2024-03-01 00:00:00 UTC
TRACEBACK_SHARE = 0.4  # share of ERROR and CRITICAL records that carry a traceback


def _message(rng: random.Random, level: int) -> str:
    pick = rng.random()
    if pick < 0.5:
        ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
        verb = rng.choice(["GET", "PUT", "POST", "DELETE"])
        path = rng.choice(["/static/app.js", "/api/v1/users", "/api/v1/orders/42", "/healthz", "/login"])
        return f'{ip} - "{verb} {path} HTTP/1.1" {rng.choice([200, 200, 200, 201, 404, 500])} {rng.randrange(100, 200000)} {rng.uniform(0.5, 400):.2f}ms request_id={rng.getrandbits(64):016x} user_agent="python-requests/2.31"'
    if pick < 0.8:
        return f"query took {rng.uniform(0.1, 90):.3f}ms rows={rng.randrange(1000)} table={rng.choice(['users', 'orders', 'events'])} trace_id={rng.getrandbits(96):024x}"
    if level >= logging.WARNING:
        return rng.choice(
            ["connection reset by peer", "retrying in 2s (attempt 3/5)", "slow request exceeded budget", "cache miss storm detected"]
        )
    return "heartbeat ok"


def _traceback(rng: random.Random) -> tuple[type[BaseException], BaseException, object]:
    try:
        {"a": 1}[rng.choice(["b", "c", "d"])]
    except KeyError:
        return sys.exc_info()  # type: ignore[return-value]
    raise AssertionError("unreachable")


def write_part(args: tuple[str, int, int, int]) -> str:
    """Write `count` records starting at record number `first` into `path`."""
    path, first, count, seed = args
    os.environ["TZ"] = "UTC"
    time.tzset()
    rng = random.Random(seed)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    for number in range(first, first + count):
        # Each record has its own 13.7 ms slot: times rise steadily across parts.
        clock = START + (number + rng.random() * 0.99) * 0.0137
        level = rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
        exc_info = _traceback(rng) if level >= logging.ERROR and rng.random() < TRACEBACK_SHARE else None
        record = logging.makeLogRecord(
            {
                "name": rng.choices(LOGGERS, LOGGER_WEIGHTS)[0],
                "levelno": level,
                "levelname": logging.getLevelName(level),
                "msg": _message(rng, level),
                "created": clock,
                "msecs": (clock - int(clock)) * 1000,
                "process": rng.choice(PIDS),
                "exc_info": exc_info,
            }
        )
        handler.handle(record)
    handler.close()
    return path


def write_plain(out: Path, records: int, jobs: int) -> None:
    """Split the records over `jobs` processes by time range, then join the parts in order."""
    out.parent.mkdir(parents=True, exist_ok=True)
    per = -(-records // jobs)
    parts = [(f"{out}.part{i}", i * per, min(per, records - i * per), i) for i in range(jobs)]
    with Pool(jobs) as pool:
        paths = pool.map(write_part, parts)
    with open(out, "wb") as joined:
        for part in paths:
            with open(part, "rb") as src:
                shutil.copyfileobj(src, joined, 16 << 20)
            os.unlink(part)


def _gzip_rotator(source: str, dest: str) -> None:
    with open(source, "rb") as sf, gzip.open(dest, "wb", compresslevel=6) as df:
        shutil.copyfileobj(sf, df)
    os.remove(source)


def write_rotated(out: Path, megabytes: int, jobs: int) -> None:
    """Write a plain file of about `megabytes`, then replay it through the cookbook's gzip rotator."""
    out.parent.mkdir(parents=True, exist_ok=True)
    plain = out.with_name(out.name + ".plain")
    write_plain(plain, megabytes * 1_000_000 // 150, jobs)
    handler = logging.handlers.RotatingFileHandler(out, maxBytes=100_000_000, backupCount=1000)
    handler.rotator = _gzip_rotator
    handler.namer = lambda name: name + ".gz"
    handler.setFormatter(logging.Formatter("%(message)s"))
    # Replay whole lines as messages: the rotator sees real records of the same size.
    with open(plain, encoding="utf-8") as src:
        pending: list[str] = []
        for line in src:
            if pending and not line.startswith(" ") and not line.startswith("Traceback") and not line.startswith("KeyError"):
                handler.handle(logging.makeLogRecord({"msg": "".join(pending).rstrip("\n")}))
                pending = []
            pending.append(line)
        if pending:
            handler.handle(logging.makeLogRecord({"msg": "".join(pending).rstrip("\n")}))
    handler.close()
    plain.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000, help="records to write (tracebacks add about 6%% more lines)")
    parser.add_argument("--rotated-mb", type=int, help="write a gzip-rotated set of about this many MB instead")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    started = time.perf_counter()
    if args.rotated_mb:
        write_rotated(args.out, args.rotated_mb, args.jobs)
    else:
        write_plain(args.out, args.lines, args.jobs)
    print(f"wrote {args.out} in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
