"""celery's worker log, written by a real worker with the prefork pool: its main process and two ForkPoolWorker processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.frameworks.reading import moment, printed_records
from tests.frameworks.servers import APPS
from tests.waiting import wait_until

TASKS = 6


@pytest.fixture(scope="module")
def worker_log(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float, float]:
    """The log of a worker that ran TASKS tasks, and when it started and stopped."""
    directory = tmp_path_factory.mktemp("celery")
    (directory / "broker").mkdir()
    log = directory / "worker.log"
    environment = {**os.environ, "LOGVIEW_TEST_BROKER": str(directory / "broker"), "C_FORCE_ROOT": "1"}
    started = time.time()
    command = [sys.executable, "-m", "celery", "-A", "celery_tasks", "worker", "--pool", "prefork", "--concurrency", "2"]
    command += ["--loglevel", "INFO", "--logfile", str(log), "--without-gossip", "--without-mingle", "--without-heartbeat"]
    # A task goes only to an idle pool process, one message reserved per process: while the first task waits for
    # the other process to start one (apps/celery_tasks.py), the second is that process's, not queued behind the first.
    command += ["--optimization", "fair", "--prefetch-multiplier", "1"]
    with open(directory / "worker.out", "wb") as output:
        worker = subprocess.Popen(command, cwd=APPS, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: log.exists() and " ready." in log.read_text(), "the celery worker ready")
        sender = f"import celery_tasks\nfor number in range({TASKS}): celery_tasks.add.delay(number, number)"
        subprocess.run([sys.executable, "-c", sender], cwd=APPS, env=environment, check=True, timeout=120)
        try:
            wait_until(lambda: log.read_text().count(" succeeded in ") == TASKS, f"{TASKS} tasks done")
        except AssertionError as error:
            said = (directory / "worker.out").read_text(errors="replace")[-3000:]
            raise AssertionError(f"{error}\nthe worker's log:\n{log.read_text()[-3000:]}\nits output:\n{said}") from None
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    return log, started, time.time()


def test_worker_log(worker_log, logview) -> None:
    log, started, stopped = worker_log
    records = printed_records(logview, log)
    assert len(records) == sum(1 for line in log.read_text().splitlines() if line.startswith("[20"))
    adding = [record for record in records if record["message"].startswith("celery_tasks.add[")]
    assert len(adding) == TASKS
    for record in adding:
        # "[%(asctime)s: %(levelname)s/%(processName)s] %(task_name)s[%(task_id)s]: %(message)s"
        assert record["level"] == "WARNING" and record["processName"] == record["message"].split()[-1]
        assert record["processName"].startswith("ForkPoolWorker-")
    assert {record["processName"] for record in adding} == {"ForkPoolWorker-1", "ForkPoolWorker-2"}
    succeeded = [record for record in records if " succeeded in " in record["message"]]
    assert len(succeeded) == TASKS and {record["level"] for record in succeeded} == {"INFO"}
    assert all(record["processName"].startswith("ForkPoolWorker-") for record in succeeded)
    assert any(record["processName"] == "MainProcess" and record["message"].startswith("Connected to filesystem://") for record in records)
    # logging's default asctime: local time, to the millisecond.
    for record in records:
        assert started - 0.001 <= moment(record["time"]) <= stopped, record
