"""Running a cookbook example unmodified, and what its handlers wrote as ground truth.

An example runs as a real process in a temporary directory, with
observer/sitecustomize.py on its PYTHONPATH: every record a handler writes
is noted, with its fields, beside the example's own output. logview then
reads that output back with ``--print --output jsonl``, and each record it
prints is compared with the record written, in order.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE / "examples"
OBSERVER = HERE / "observer"
ROOT = HERE.parent.parent

#: Where a stream handler's records went: the targets observer/sitecustomize.py names them by.
STDERR, STDOUT = "<stderr>", "<stdout>"


def example_env(directory: Path) -> dict[str, str]:
    """The environment an example runs in: the observer on its path, noting records under ``directory``."""
    observed = directory / "observed"
    observed.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update(PYTHONPATH=str(OBSERVER), LOGVIEW_OBSERVED=str(observed), PYTHONUNBUFFERED="1")
    return env


def place(example: str, directory: Path, script: str) -> Path:
    """The example's code, unchanged, as ``directory/script``."""
    path = directory / script
    shutil.copyfile(EXAMPLES / example, path)
    return path


def start(example: str, directory: Path, script: str, **popen: Any) -> subprocess.Popen[bytes]:
    """Start an example as ``python SCRIPT`` in ``directory``; its standard output and error go to ``SCRIPT.stdout`` and ``SCRIPT.stderr``."""
    place(example, directory, script)
    with open(directory / f"{script}.stdout", "wb") as out, open(directory / f"{script}.stderr", "wb") as err:
        return subprocess.Popen([sys.executable, script], cwd=directory, env=example_env(directory), stdout=out, stderr=err, **popen)


def run(example: str, directory: Path, script: str = "main.py", timeout: float = 120) -> None:
    """Run an example to its end; it must end well."""
    process = start(example, directory, script)
    assert process.wait(timeout) == 0, (directory / f"{script}.stderr").read_text()


def observed(directory: Path) -> dict[str, list[dict[str, Any]]]:
    """The records written, by target (a file's name, ``<stderr>``, ``<stdout>``), each target's by writing process."""
    targets: dict[str, list[dict[str, Any]]] = {}
    for side in sorted((directory / "observed").glob("observed-*.jsonl")):
        for line in side.read_text(encoding="utf-8").splitlines():
            fields = json.loads(line)
            targets.setdefault(fields["target"], []).append(fields)
    return targets


def written(directory: Path, target: str) -> list[dict[str, Any]]:
    """The records written to ``target``, in the order they were written.

    Each file of the cookbook's examples is written by one process (the
    point of its recipes), whose side file keeps the order of its writes.
    """
    records = observed(directory).get(target, [])
    assert len({fields["writer"] for fields in records}) <= 1, f"{target} written by several processes"
    return records


def read_back(*paths: Path) -> list[dict[str, Any]]:
    """The records logview prints of ``paths``, merged, as JSON objects."""
    result = subprocess.run(
        [sys.executable, "-m", "logview", "--print", "--output", "jsonl", *map(str, paths)],
        capture_output=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr.decode()
    return [json.loads(line) for line in result.stdout.splitlines()]


def logged_time(fields: dict[str, Any]) -> str:
    """The record's time as asctime wrote it (local wall clock, whole milliseconds), in logview's ISO form, with its offset."""
    stamp = datetime.fromtimestamp(fields["created"]).astimezone().replace(microsecond=int(fields["msecs"]) * 1000)
    return stamp.isoformat(timespec="milliseconds")


#: How ``--output jsonl`` names a LogRecord attribute, and the value it should print for it.
PRINTED = {
    "asctime": ("time", logged_time),
    "levelname": ("level", lambda fields: fields["levelname"]),
    "name": ("logger", lambda fields: fields["name"]),
    "process": ("pid", lambda fields: fields["process"]),
    "message": ("message", lambda fields: fields["message"]),
    "processName": ("processName", lambda fields: fields["processName"]),
    "threadName": ("threadName", lambda fields: fields["threadName"]),
    "relativeCreated": ("relativeCreated", lambda fields: str(int(fields["relativeCreated"]))),
}


def expected(written: list[dict[str, Any]], attributes: list[str]) -> list[dict[str, Any]]:
    """What logview should print of each record written with a format of these LogRecord ``attributes``.

    Without ``asctime`` the time printed is None: the record has none, and
    the file's order is kept. With it, records are merged by time as written
    (to the millisecond), ties in the file's order: records that a listener
    took from a queue are written a little out of order.
    """
    chosen = [PRINTED[name] for name in attributes]
    records = [{"time": None} | {key: value(fields) for key, value in chosen} for fields in written]
    return sorted(records, key=lambda record: record["time"]) if "asctime" in attributes else records


def compared(printed: list[dict[str, Any]], keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The printed records cut to the keys the expected ones have."""
    names = list(keys[0]) if keys else []
    return [{name: record.get(name) for name in names} for record in printed]
