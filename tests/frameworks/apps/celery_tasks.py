"""A celery app for celery's test: a broker on the file system (no server), one task that logs from the pool's process."""

from __future__ import annotations

import os
import time
from pathlib import Path

from billiard.process import current_process
from celery import Celery
from celery.utils.log import get_task_logger

BROKER = os.environ["LOGVIEW_TEST_BROKER"]
#: Where each pool process marks that it has started a task (not in BROKER: the transport reads every file there).
STARTED = Path(BROKER).parent / "started"

app = Celery("celery_tasks", broker="filesystem://")
app.conf.broker_transport_options = {
    "data_folder_in": BROKER,
    "data_folder_out": BROKER,
    "processed_folder": BROKER,
    # Its table of exchanges, kept in the working directory (the repository's) by default.
    "control_folder": str(Path(BROKER).parent / "control"),
    "polling_interval": 0.05,
}
app.conf.broker_connection_retry_on_startup = True
logger = get_task_logger(__name__)


@app.task
def add(x: int, y: int) -> int:
    # Each pool process waits until both have started a task, so that both write records (a deadline, as the tests wait).
    STARTED.mkdir(exist_ok=True)
    (STARTED / current_process().name).touch()
    deadline = time.monotonic() + 20  # within the test's own wait: a barrier missed fails its assertion, not its wait
    while len(list(STARTED.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    # The process's name as billiard gave it (ForkPoolWorker-N): the record says it too, in its header.
    logger.warning("adding %d and %d in %s", x, y, current_process().name)
    return x + y
