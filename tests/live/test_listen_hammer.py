"""Many SocketHandler senders and a file's writer at once into ``--print --listen`` and into the app: every record arrives exactly once.

Issue 12: with three senders (15,000 records, JSON lines), the listener died
in 2 of 7 runs with ``IndexError: index 1223 is out of bounds for axis 0 with
size 1223`` in ``Timeline.spans``, read by the printer while the queue source
appended. The printer and an appender meet only now and then, so each run
sends from several processes at once while another writes a followed file
(whose records are appended by a thread of their own), and the test makes
several runs, with JSON lines (slow printing, which the appends overtake)
and with text.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from logview.core.records import RecordReader
from logview.core.sources.socket_listener import SocketListener
from logview.ui.run import listening_app
from tests.functional.driving import SIZE, settled, wait_for
from tests.live.children import logview_child
from tests.waiting import DEADLINE

SENDERS = 5
PER_SENDER = 1_000
MESSAGE = re.compile(r"(sender \d+|writer) record \d+$")
#: The runs of --print --listen: with JSON lines, the printer is slow enough for the appends to overtake it.
RUNS = ("jsonl", "jsonl", "text")

#: ``python -c SENDER PORT-OR-PATH NAME COUNT``: COUNT records "NAME record N" to a port (SocketHandler) or a file.
SENDER = """
import logging, logging.handlers, sys
to, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
handler = logging.handlers.SocketHandler("127.0.0.1", int(to)) if to.isdigit() else logging.FileHandler(to)
handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"))
logger = logging.getLogger("hammer")
logger.propagate = False
logger.addHandler(handler)
logger.setLevel(logging.INFO)
for number in range(count):
    logger.info("%s record %d", name, number)
handler.close()
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_senders(port: int, log: Path | None = None) -> list[subprocess.Popen[bytes]]:
    """Every sender (and the writer, to ``log``), started at once."""
    commands = [[str(port), f"sender {number}", str(PER_SENDER)] for number in range(SENDERS)]
    if log is not None:
        commands.append([str(log), "writer", str(PER_SENDER)])
    return [subprocess.Popen([sys.executable, "-c", SENDER, *command]) for command in commands]


def _sent_all(senders: list[subprocess.Popen[bytes]]) -> None:
    """Each sender has sent all its records and closed."""
    for sender in senders:
        assert sender.wait(DEADLINE) == 0


def _expected(writer: bool) -> Counter[str]:
    names = [f"sender {number}" for number in range(SENDERS)] + (["writer"] if writer else [])
    return Counter(f"{name} record {number}" for name in names for number in range(PER_SENDER))


def test_print_listen_prints_every_record_of_many_senders_and_a_file_exactly_once(tmp_path: Path) -> None:
    for run, output in enumerate(RUNS):
        log = tmp_path / f"written-{run}.log"
        log.touch()
        port = _free_port()
        printer = logview_child("--print", "--listen", str(port), "--output", output, str(log))
        try:
            printer.wait_for_stderr("listening on 127.0.0.1:", "the printer listening")
            printer.wait_watching(log)
            _sent_all(_start_senders(port, log))
            total = (SENDERS + 1) * PER_SENDER
            printer.wait_until(lambda: len(printer.lines) >= total, f"{total:,} records printed ({output})")  # noqa: B023 - waited for here
        finally:
            status = printer.interrupt()
        assert status == 130, printer.stderr
        assert "Traceback" not in printer.stderr and "internal error" not in printer.stderr, printer.stderr
        if output == "jsonl":
            messages = [json.loads(line)["message"] for line in printer.lines]
        else:
            messages = [MESSAGE.search(line.decode())[0] for line in printer.lines]  # type: ignore[index]
        assert Counter(messages) == _expected(writer=True), f"{output}: {len(messages):,} lines"


async def test_the_app_shows_every_record_of_many_senders_exactly_once() -> None:
    listener = SocketListener()
    app = listening_app([], None, None, listener)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settled(pilot)
            # The app draws while the records arrive: its readers meet the appends.
            senders = _start_senders(listener.port)
            total = SENDERS * PER_SENDER
            await wait_for(pilot, lambda: len(app.log_pane.selection) == total, DEADLINE, f"{total:,} records in the view")
            _sent_all(senders)
            assert app.crash is None
            records = RecordReader(app.pipeline).records(np.arange(len(app.pipeline.timeline)), line_numbers=False)
            assert Counter(record.message for record in records) == _expected(writer=False)
    finally:
        listener.close()
