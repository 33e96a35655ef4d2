"""The demo: worker processes that log through a queue, watched live, and stopped with nothing left behind."""

from __future__ import annotations

import gzip
import multiprocessing
import os
import re
import subprocess
import sys
from pathlib import Path

from logview.demo import Workers
from logview.ui.app import LogViewApp
from tests.functional.driving import SIZE, settled, wait_for
from tests.live.children import Child
from tests.waiting import DEADLINE


def _rotated_records(directory: Path) -> int:
    """The records in the demo's finished gzip copies (one being compressed cannot be read whole yet, nor one just removed)."""
    count = 0
    for copy in directory.glob("rotated.log.*.gz"):
        try:
            count += gzip.decompress(copy.read_bytes()).count(b"Worker-")
        except (OSError, EOFError):
            continue
    return count


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def test_the_viewer_watches_the_workers_and_quitting_stops_them() -> None:
    log_queue: multiprocessing.Queue = multiprocessing.Queue()
    workers = Workers(log_queue, 3, 200)
    try:
        app = LogViewApp([], queues=[log_queue])
        async with app.run_test(size=SIZE) as pilot:
            await settled(pilot)
            pids = {process.pid for process in workers.processes}
            symbols = app.pipeline.timeline.symbols
            await wait_for(pilot, lambda: {pid for pid in symbols.processes.pids if pid} == pids)
            await wait_for(pilot, lambda: {"myapp", "myapp.lib1", "myapp.lib2"} <= set(symbols.loggers.values))
            await wait_for(pilot, lambda: len(app.log_pane.selection) > 100)
            await pilot.press("q")
    finally:
        workers.stop()
    assert all(not process.is_alive() for process in workers.processes)
    assert multiprocessing.active_children() == []


def test_the_demo_writes_a_gzip_rotated_set_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    demo = Child(sys.executable, "-m", "logview.demo", "--to", str(tmp_path), "--workers", "2", "--rate", "400", "--max-bytes", "20000")
    try:
        started = demo.wait_until(lambda: re.search(r"workers ([\d ]+);", demo.stderr), "the demo naming its workers")
        pids = [int(pid) for pid in started[1].split()]
        demo.wait_until(lambda: _rotated_records(tmp_path) > 500, "over 500 records in the demo's rotated copies")
    finally:
        status = demo.interrupt()
    assert status == 0, demo.stderr
    assert all(_gone(pid) for pid in pids)
    assert (tmp_path / "rotated.log").exists() and list(tmp_path.glob("rotated.log.*.gz"))
    printed = subprocess.run(
        [sys.executable, "-m", "logview", "--print", str(tmp_path / "rotated.log*")],
        capture_output=True,
        text=True,
        check=True,
        timeout=DEADLINE,
    )
    assert printed.stdout.count("Worker-") > 500
