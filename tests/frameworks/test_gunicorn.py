"""gunicorn's error and access logs, written by a real gunicorn (a master and two workers) serving a tiny app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.frameworks.reading import moment, printed_records
from tests.frameworks.servers import ServedRun, serve

REQUESTS = ["/one", "/two", "/three", "/four"]


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory: pytest.TempPathFactory) -> tuple[ServedRun, Path, Path]:
    logs = tmp_path_factory.mktemp("gunicorn")
    error_log, access_log = logs / "error.log", logs / "access.log"
    command = ["gunicorn", "--workers", "2", "--bind", "127.0.0.1:0", "--log-level", "debug"]
    command += [
        "--error-logfile",
        str(error_log),
        "--access-logfile",
        str(access_log),
        "--control-socket",
        str(logs / "gunicorn.ctl"),
        "wsgi_app:app",
    ]
    run = serve(command, error_log, r"Listening at: http://127\.0\.0\.1:(?P<port>\d+)", REQUESTS)
    return run, error_log, access_log


def test_error_log(gunicorn, logview) -> None:
    run, error_log, _ = gunicorn
    records = printed_records(logview, error_log)
    # --log-level debug prints the configuration: one record of many lines.
    assert len(records) == sum(1 for line in error_log.read_text().splitlines() if line.startswith("[")), records
    workers = {int(found) for found in re.findall(r"Booting worker with pid: (\d+)", error_log.read_text())}
    assert len(workers) == 2
    by_message = {record["message"].split("\n")[0]: record for record in records}
    assert by_message["Current configuration:"]["level"] == "DEBUG" and "workers: 2" in by_message["Current configuration:"]["message"]
    assert by_message["Shutting down: Master"]["pid"] == run.pid and by_message["Shutting down: Master"]["level"] == "INFO"
    served = [record for record in records if record["message"].startswith("served ")]
    assert sorted(record["message"].split()[1] for record in served) == sorted(REQUESTS)
    for record in served:
        assert record["level"] == "WARNING" and record["pid"] == int(record["message"].split()[-1]) and record["pid"] in workers
    assert {record["pid"] for record in records} == {run.pid, *workers}
    # "[%Y-%m-%d %H:%M:%S %z]": whole seconds, with the offset.
    for record in records:
        assert int(run.started) <= moment(record["time"]) <= run.stopped, record


def test_access_log(gunicorn, logview) -> None:
    run, _, access_log = gunicorn
    records = printed_records(logview, access_log)
    assert sorted(record["message"].split()[1] for record in records) == sorted(REQUESTS)
    for record in records:
        assert record["message"].startswith('"GET /') and ' HTTP/1.1" 200 2 "-" "Python-urllib/' in record["message"]
        assert record["remote_addr"] == "127.0.0.1" and record["level"] is None
        assert int(run.started) <= moment(record["time"]) <= run.stopped, record
