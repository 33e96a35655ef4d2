"""A kind of source written outside logview's modules runs in the viewer and the printer through the protocol alone.

Issue 15 asked that a new source be one module and one registration: this
test is that module (``RecordsSource``, records handed over as a program
would produce them, drained by the queue source as the socket source does),
and the registration is passing it to the app or to Pipeline.start.
"""

from __future__ import annotations

import io
import logging
import queue
import threading

from logview.core.filters import Filters
from logview.core.index.status import Problem, Severity, Status
from logview.core.live_print import PrintedAsTheyCome
from logview.core.pipeline import Pipeline
from logview.core.printer import Printer
from logview.core.sources.queue import SENTINEL, QueueSource
from logview.core.sources.source import Sink, Source
from logview.ui.app import LogViewApp
from tests.functional.driving import SIZE, screen_text, wait_for


class RecordsSource:
    """Records made by the program itself (as a journal reader would make them from its entries), then an end."""

    kind = "records"

    def __init__(self, messages: list[str]) -> None:
        self.name = "made here"
        self._messages = messages
        self._queue: queue.Queue[logging.LogRecord | None] = queue.Queue()
        self._records = QueueSource(self._queue, self.name)

    @property
    def status(self) -> Status:
        return self._records.status

    @property
    def problems(self) -> list[Problem]:
        return self._records.problems

    def run(self, sink: Sink, stop: threading.Event) -> None:
        sink.tell(Problem(self.name, f"{self.name}: {len(self._messages)} records", Severity.NOTICE))
        for number, message in enumerate(self._messages):
            self._queue.put(
                logging.makeLogRecord({"msg": message, "name": "made", "levelno": 30, "levelname": "WARNING", "process": number})
            )
        self._queue.put(SENTINEL)
        self._records.run(sink, stop)

    def close(self) -> None:
        self._records.close()


def test_a_new_kind_of_source_prints_through_the_printer() -> None:
    pipeline = Pipeline()
    out = io.BytesIO()
    source: Source = RecordsSource(["first made", "second made"])
    printing = PrintedAsTheyCome(pipeline, Printer(pipeline, out), Filters(), "text", live=False)
    running = pipeline.start([source], printing)
    try:
        assert running.wait(30)
        printing.finish()
    finally:
        running.close()
        pipeline.close()
    lines = out.getvalue().decode().splitlines()
    assert [line.rsplit("\t", 1)[-1] for line in lines] == ["first made", "second made"], lines
    assert source.status == Status.DONE


async def test_a_new_kind_of_source_shows_in_the_viewer() -> None:
    app = LogViewApp([], sources=[RecordsSource([f"made {number}" for number in range(30)])])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "made 29" in screen_text(app), what="the made records on screen")
        await wait_for(pilot, lambda: "made here (read)" in str(app.query_one("#status").render()), what="the source in the status bar")
