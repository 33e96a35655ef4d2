"""A multi-process program to watch: workers that log as in the logging cookbook's multiprocessing examples.

    logview --demo [--workers N] [--rate R]          the viewer, in this process, on the workers' logging queue
    logview --demo --hosts N [--rate R]              N hosts logging into a systemd-journal-remote collector, whose
                                                     directory the viewer follows (Debian: systemd-journal-remote)
    python -m logview.demo --to DIR [--workers N]    the same records into DIR/rotated.log, gzip-rotated,
                                                     for another terminal to follow: logview 'DIR/rotated.log*'

Each worker process logs through a QueueHandler into one multiprocessing
queue, on the loggers ``myapp``, ``myapp.lib1`` and ``myapp.lib2``, at every
level, with a traceback now and then. Stopping (quitting the viewer, or
Ctrl+C) stops the workers and waits for them: no process is left behind.
"""

from __future__ import annotations

import argparse
import gzip
import logging
import logging.handlers
import multiprocessing
import os
import queue
import random
import shutil
import signal
import sys
import threading
import time
from collections.abc import Sequence
from multiprocessing.synchronize import Event
from typing import Any

from logview.core.say import write_line

LOGGERS = ("myapp", "myapp.lib1", "myapp.lib2")
#: Levels by weight: mostly INFO and DEBUG, a few warnings, rare errors.
LEVELS = ((logging.DEBUG, 30), (logging.INFO, 55), (logging.WARNING, 10), (logging.ERROR, 4), (logging.CRITICAL, 1))
JOBS = ("resize", "upload", "index", "notify", "bill", "sync")
#: Seconds the workers get to finish before they are terminated.
STOP_TIMEOUT = 5.0
ROTATED_FORMAT = "%(asctime)s %(processName)-10s %(name)s %(levelname)-8s %(message)s"


def work(log_queue: Any, stop: Event, rate: float) -> None:
    """One worker: log about ``rate`` records a second until ``stop`` is set."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers; Ctrl+C is for it
    log_queue.cancel_join_thread()  # exit at once when stopped, even if the reader has gone
    _log_jobs(logging.handlers.QueueHandler(log_queue), stop, rate)


def work_on_host(port: int, hostname: str, source: str, stop: Event, rate: float) -> None:
    """One host of the multi-host demo: its jobs logged into the collector at ``port``, sent from ``source``."""
    from logview.journal_upload import JournalUploadHandler

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    handler = JournalUploadHandler(port, hostname, source=source)
    try:
        _log_jobs(handler, stop, rate)
    finally:
        handler.close()


def _log_jobs(handler: logging.Handler, stop: Event, rate: float) -> None:
    """Log made-up jobs through ``handler``, about ``rate`` records a second, until ``stop`` is set."""
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG)
    levels, weights = zip(*LEVELS, strict=True)
    chooser = random.Random(os.getpid())
    interval = 1.0 / rate if rate > 0 else 0.0
    number = 0
    while not stop.is_set():
        number += 1
        logger = logging.getLogger(chooser.choice(LOGGERS))
        level = chooser.choices(levels, weights)[0]
        job = chooser.choice(JOBS)
        if level >= logging.ERROR and chooser.random() < 0.5:
            try:
                raise RuntimeError(f"{job} job {number} failed: upstream returned 503")
            except RuntimeError:
                logger.log(level, "job %d (%s) failed", number, job, exc_info=True)
        else:
            logger.log(level, "job %d (%s) took %d ms", number, job, chooser.randint(1, 900))
        if interval:
            stop.wait(interval * chooser.uniform(0.5, 1.5))


class Workers:
    """The worker processes and the event that stops them."""

    def __init__(self, log_queue: Any, count: int, rate: float) -> None:
        self.log_queue, self.rate = log_queue, rate
        self.stop_event = multiprocessing.Event()
        self.processes = [self._process(number) for number in range(1, count + 1)]
        for process in self.processes:
            process.start()

    def _process(self, number: int) -> multiprocessing.Process:
        return multiprocessing.Process(target=work, args=(self.log_queue, self.stop_event, self.rate), name=f"Worker-{number}", daemon=True)

    def stop(self) -> None:
        """Ask the workers to stop, wait for them, and terminate any that do not."""
        self.stop_event.set()
        deadline = time.monotonic() + STOP_TIMEOUT
        for process in self.processes:
            process.join(max(0.0, deadline - time.monotonic()))
        for process in self.processes:
            if process.is_alive():
                process.terminate()
                process.join(1.0)


class Hosts(Workers):
    """One process per host, host-1 … host-N, each sending from 127.0.0.(N+1): the collector keeps a journal file for each."""

    def __init__(self, port: int, count: int, rate: float) -> None:
        self.port = port
        super().__init__(None, count, rate)

    def _process(self, number: int) -> multiprocessing.Process:
        return multiprocessing.Process(
            target=work_on_host,
            args=(self.port, f"host-{number}", f"127.0.0.{number + 1}", self.stop_event, self.rate),
            name=f"host-{number}",
            daemon=True,
        )


def run_demo(workers: int, rate: float) -> int:
    """The viewer on the workers' queue, in this process, until it is closed."""
    from logview.api import view

    log_queue: Any = multiprocessing.Queue()
    running = Workers(log_queue, workers, rate)
    try:
        return view(log_queue)
    finally:
        running.stop()


def run_hosts_demo(hosts: int, rate: float) -> int:
    """The viewer following a systemd-journal-remote collector's directory, while ``hosts`` processes log into it."""
    import tempfile

    from logview.core.pipeline import Pipeline
    from logview.core.sources.journal import JournalSource, JournalTarget
    from logview.journal_upload import Collector
    from logview.ui.app import LogViewApp
    from logview.ui.run import run_viewer_app

    directory = tempfile.mkdtemp(prefix="logview-demo-hosts-")
    try:
        with Collector(os.path.join(directory, "remote")) as collector:
            running = Hosts(collector.port, hosts, rate)
            try:
                _wait_for_journals(collector.directory)
                source = JournalSource(JournalTarget(directory=collector.directory), follow=True)
                return run_viewer_app(LogViewApp([], pipeline=Pipeline(growing=True), sources=[source]))
            finally:
                running.stop()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _wait_for_journals(directory: str) -> None:
    """Until the hosts' first records made the collector's first file (STOP_TIMEOUT at most): the viewer opens on records."""
    from logview.core.sources.journal_files import JournalFiles

    deadline = time.monotonic() + STOP_TIMEOUT
    while not JournalFiles([directory]).present() and time.monotonic() < deadline:
        time.sleep(0.05)


def write_to(directory: str, workers: int, rate: float, max_bytes: int) -> None:
    """The workers' records into ``directory/rotated.log``, rotated with the cookbook's gzip rotator, until Ctrl+C."""
    os.makedirs(directory, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(os.path.join(directory, "rotated.log"), maxBytes=max_bytes, backupCount=20)
    handler.namer = lambda name: name + ".gz"  # type: ignore[assignment]
    handler.rotator = _gzip_rotator  # type: ignore[assignment]
    handler.setFormatter(logging.Formatter(ROTATED_FORMAT))
    log_queue: Any = multiprocessing.Queue()
    stopping = threading.Event()
    listener = threading.Thread(target=_write_records, args=(log_queue, handler, stopping), name="demo-listener", daemon=True)
    listener.start()
    running = Workers(log_queue, workers, rate)
    write_line(f"logging to {directory}/rotated.log; workers {' '.join(str(p.pid) for p in running.processes)}; Ctrl+C stops")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
        stopping.set()
        listener.join(STOP_TIMEOUT + 1.0)
        handler.close()


def _write_records(log_queue: Any, handler: logging.Handler, stopping: threading.Event) -> None:
    """QueueListener's work, with an end that cannot hang: once ``stopping``, what is queued is written, for STOP_TIMEOUT at most.

    QueueListener.stop waits, without a limit, for a sentinel to come through
    the queue; a worker terminated in the middle of a put keeps the queue's
    lock, and the sentinel never comes (a stop under load hung a test).
    """
    deadline = None
    while deadline is None or time.monotonic() < deadline:
        try:
            record = log_queue.get(timeout=0.1)
        except queue.Empty:
            if stopping.is_set():
                return  # the workers are stopped and their records written
            continue
        except (OSError, EOFError, ValueError):
            return  # the queue is closed
        handler.handle(record)
        if stopping.is_set() and deadline is None:
            deadline = time.monotonic() + STOP_TIMEOUT


def _gzip_rotator(source: str, dest: str) -> None:
    with open(source, "rb") as sf, gzip.open(dest, "wb") as df:
        shutil.copyfileobj(sf, df)
    os.remove(source)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m logview.demo", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--to", metavar="DIR", required=True, help="write DIR/rotated.log (gzip-rotated) instead of opening the viewer")
    parser.add_argument("--workers", type=int, default=4, help="worker processes (default 4)")
    parser.add_argument("--rate", type=float, default=50.0, help="records a second per worker (default 50)")
    parser.add_argument("--max-bytes", type=int, default=256 * 1024, help="rotate at this size (default 256 kB)")
    args = parser.parse_args(argv)
    write_to(args.to, args.workers, args.rate, args.max_bytes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
