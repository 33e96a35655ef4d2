"""uvicorn's default and access logs, as a real uvicorn serving a tiny app writes them to its standard output and error."""

from __future__ import annotations

from pathlib import Path

import pytest

from logview.core.newest import newest_records
from tests.frameworks.reading import printed_records
from tests.frameworks.servers import ServedRun, serve

REQUESTS = ["/one", "/two", "/three"]


@pytest.fixture(scope="module")
def uvicorn(tmp_path_factory: pytest.TempPathFactory) -> tuple[ServedRun, Path]:
    log = tmp_path_factory.mktemp("uvicorn") / "uvicorn.log"
    command = ["uvicorn", "--host", "127.0.0.1", "--port", "0", "asgi_app:app"]
    return serve(command, log, r"Uvicorn running on http://127\.0\.0\.1:(?P<port>\d+)", REQUESTS, out=log), log


def test_default_and_access_log(uvicorn, logview) -> None:
    run, log = uvicorn
    records = printed_records(logview, log)
    assert len(records) == len(log.read_text().splitlines())
    assert {record["level"] for record in records} == {"INFO"}
    messages = [record["message"] for record in records]
    # "%(levelprefix)s %(message)s": the level, a colon, spaces to the tenth column, then the message, read without them.
    assert f"Started server process [{run.pid}]" in messages
    assert not any(message[:1].isspace() for message in messages)
    newest = newest_records([str(log)], len(records))  # the viewer's first frame: CPython's re, where --print used polars
    assert newest is not None and [record.message for record in newest.records] == messages
    access = [message for message in messages if "HTTP/1.1" in message]
    assert [message.split('"')[1] for message in access] == [f"GET {path} HTTP/1.1" for path in REQUESTS]
    assert all(message.startswith("127.0.0.1:") and message.endswith('" 200 OK') for message in access)
