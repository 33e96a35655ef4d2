"""Write sample_logs/: real output of the stdlib logging handlers.

    python scripts/make_sample_logs.py [--out sample_logs]

- rotated.log, rotated.log.1.gz …: a RotatingFileHandler with the logging
  cookbook's gzip rotator and namer;
- worker-1.log … worker-3.log: one file per process, written by each process;
- queue_listener.log: a QueueListener writing the records of several worker
  processes that log through a QueueHandler into a multiprocessing queue;
- app.jsonl: JSON lines with python-json-logger's keys;
- errors.log: records with tracebacks.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import logging.handlers
import multiprocessing
import os
import random
import shutil
import time
from pathlib import Path

STANDARD = "%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"
COOKBOOK_MP = "%(asctime)s %(processName)-10s %(name)s %(levelname)-8s %(message)s"
LOGGERS = ["myapp", "myapp.lib1", "myapp.lib2", "myapp.lib2.db"]
LEVELS = [logging.DEBUG, logging.INFO, logging.INFO, logging.INFO, logging.WARNING, logging.ERROR]
MESSAGES = [
    "request handled in %d ms",
    "cache refreshed (%d entries)",
    "retrying connection, attempt %d",
    "queue depth is %d",
    "job %d finished",
]


def _emit(rng: random.Random, count: int, pause: float = 0.0) -> None:
    for index in range(count):
        logger = logging.getLogger(rng.choice(LOGGERS))
        level = rng.choice(LEVELS)
        if level == logging.ERROR and rng.random() < 0.3:
            try:
                {"jobs": []}["job"][index]
            except KeyError:
                logger.exception("job %d failed", index)
            continue
        logger.log(level, rng.choice(MESSAGES), rng.randrange(1000))
        if pause:
            time.sleep(pause)


def _reset_root(handler: logging.Handler) -> None:
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)


def _rotator(source: str, dest: str) -> None:
    with open(source, "rb") as sf, gzip.open(dest, "wb") as df:
        shutil.copyfileobj(sf, df)
    os.remove(source)


def write_rotated(out: Path) -> None:
    handler = logging.handlers.RotatingFileHandler(out / "rotated.log", maxBytes=6000, backupCount=5)
    handler.rotator = _rotator
    handler.namer = lambda name: name + ".gz"
    handler.setFormatter(logging.Formatter(STANDARD))
    _reset_root(handler)
    _emit(random.Random(1), 420, pause=0.0005)
    handler.close()


def _worker_file(out: str, number: int) -> None:
    handler = logging.FileHandler(Path(out) / f"worker-{number}.log", mode="w")
    handler.setFormatter(logging.Formatter(STANDARD))
    _reset_root(handler)
    _emit(random.Random(number), 120, pause=0.002)
    handler.close()


def write_worker_files(out: Path) -> None:
    processes = [multiprocessing.Process(target=_worker_file, args=(str(out), n)) for n in (1, 2, 3)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()


def _queue_worker(queue: multiprocessing.Queue, seed: int) -> None:
    _reset_root(logging.handlers.QueueHandler(queue))
    _emit(random.Random(seed), 80, pause=0.002)


def write_queue_listener(out: Path) -> None:
    queue: multiprocessing.Queue = multiprocessing.Queue(-1)
    handler = logging.FileHandler(out / "queue_listener.log", mode="w")
    handler.setFormatter(logging.Formatter(COOKBOOK_MP))
    listener = logging.handlers.QueueListener(queue, handler)
    listener.start()
    workers = [multiprocessing.Process(target=_queue_worker, args=(queue, seed), name=f"Worker-{seed}") for seed in (11, 12, 13, 14)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    listener.stop()
    handler.close()


class JsonFormatter(logging.Formatter):
    """The keys python-json-logger writes for ``%(asctime)s %(levelname)s %(name)s %(process)d %(message)s``."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "asctime": self.formatTime(record),
            "levelname": record.levelname,
            "name": record.name,
            "process": record.process,
            "message": record.getMessage(),
        }
        if record.exc_info:
            payload["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(payload)


def write_json_lines(out: Path) -> None:
    handler = logging.FileHandler(out / "app.jsonl", mode="w")
    handler.setFormatter(JsonFormatter())
    _reset_root(handler)
    _emit(random.Random(21), 100)
    handler.close()


def write_tracebacks(out: Path) -> None:
    handler = logging.FileHandler(out / "errors.log", mode="w")
    handler.setFormatter(logging.Formatter(STANDARD))
    _reset_root(handler)
    log = logging.getLogger("myapp.lib1")
    for attempt in range(6):
        log.info("attempt %d", attempt)
        try:
            int(f"not a number {attempt}")
        except ValueError:
            log.exception("could not parse input %d", attempt)
    handler.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "sample_logs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.log*"):
        old.unlink()
    write_rotated(args.out)
    write_worker_files(args.out)
    write_queue_listener(args.out)
    write_json_lines(args.out)
    write_tracebacks(args.out)
    print(f"wrote {sorted(p.name for p in args.out.iterdir())}")


if __name__ == "__main__":
    main()
