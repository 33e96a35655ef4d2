"""The demo: worker processes that log through a queue, watched live, and stopped with nothing left behind."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from logview.demo import Workers
from logview.ui.app import LogViewApp
from tests.functional.test_app import SIZE, settled, wait_for


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
    demo = subprocess.Popen(
        [sys.executable, "-m", "logview.demo", "--to", str(tmp_path), "--workers", "2", "--rate", "400", "--max-bytes", "20000"],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert demo.stderr is not None
    started = demo.stderr.readline()
    pids = [int(pid) for pid in re.search(r"workers ([\d ]+);", started)[1].split()]  # type: ignore[index]
    time.sleep(3)
    demo.send_signal(signal.SIGINT)
    assert demo.wait(15) == 0
    assert all(_gone(pid) for pid in pids)
    assert (tmp_path / "rotated.log").exists() and list(tmp_path.glob("rotated.log.*.gz"))
    printed = subprocess.run(
        [sys.executable, "-m", "logview", "--print", str(tmp_path / "rotated.log*")], capture_output=True, text=True, check=True
    )
    assert printed.stdout.count("Worker-") > 500
