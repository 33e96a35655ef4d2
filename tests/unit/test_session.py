"""The session's requests without an app: a view's evaluations, the histogram's counts, the search's matches.

The runner holds the session's work until a test runs it, on the test's own
thread, and hands results back as the app's message queue does, after the
work; so a test sees exactly which passes the session asked for, and in what
order their results came back. The passes are real, over real files.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections import deque
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from logview.core import session as session_module
from logview.core.filters import Filters, TextFilter
from logview.core.first_match import FirstMatch
from logview.core.histogram import Histogram
from logview.core.pipeline import Pipeline
from logview.core.selection import Selection
from logview.core.session import Session
from logview.core.view_rows import ViewRows
from tests.unit.logfiles import record, write_records

RECORDS = 300


class HeldRunner:
    """Keeps the session's work until ``run_next``; keeps results until ``deliver_all``."""

    def __init__(self) -> None:
        self.work: deque[tuple[str, Callable[[], None]]] = deque()
        self.results: deque[Callable[[], None]] = deque()

    def run_in_thread(self, work: Callable[[], None], group: str, exclusive: bool = False) -> None:
        self.work.append((group, work))

    def deliver(self, callback: Callable[..., None], *args: Any) -> None:
        self.results.append(partial(callback, *args))

    def groups(self) -> list[str]:
        return [group for group, _ in self.work]

    def run_next(self) -> None:
        self.work.popleft()[1]()

    def deliver_all(self) -> None:
        while self.results:
            self.results.popleft()()


class Told:
    """The session's listener: what it was told, in order."""

    def __init__(self) -> None:
        self.selections: list[tuple[str, Selection]] = []
        self.histograms: list[Histogram | None] = []
        self.bins = 40
        self.matches: list[bool] = []

    def selection_shown(self, view_id: str, selection: Selection) -> None:
        self.selections.append((view_id, selection))

    def histogram_counted(self, histogram: Histogram | None) -> None:
        self.histograms.append(histogram)

    def histogram_bins(self) -> int:
        return self.bins

    def first_match_found(self, view: ViewRows, found: FirstMatch) -> bool:
        return True

    def matches_found(self, jump: bool) -> None:
        self.matches.append(jump)


@pytest.fixture
def session(tmp_path: Path) -> Session:
    """A session over 300 records (every third a warning, every tenth an error), its first rows shown."""
    path = tmp_path / "app.log"
    levels = [logging.ERROR if n % 10 == 0 else logging.WARNING if n % 3 == 0 else logging.INFO for n in range(RECORDS)]
    write_records(path, [record(1_700_000_000 + n, f"event {n}", level=level) for n, level in enumerate(levels)])
    pipeline = Pipeline()
    pipeline.load([str(path)])
    session = Session(pipeline, None, HeldRunner(), Told())
    session.index_done()
    run_all(session)
    return session


def runner(session: Session) -> HeldRunner:
    assert isinstance(session.runner, HeldRunner)
    return session.runner


def told(session: Session) -> Told:
    assert isinstance(session.listener, Told)
    return session.listener


def run_all(session: Session) -> None:
    while runner(session).work:
        runner(session).run_next()
        runner(session).deliver_all()


def test_a_view_runs_one_evaluation_at_a_time_and_shows_the_latest_filters(session: Session) -> None:
    told(session).selections.clear()
    session.set_filters(Filters(min_level=logging.WARNING))
    session.set_filters(Filters(min_level=logging.ERROR))
    session.set_filters(Filters(min_level=logging.CRITICAL))
    session.set_filters(Filters(min_level=logging.ERROR))
    assert runner(session).groups() == ["select-log"]  # one at a time: the other requests wait for it
    run_all(session)
    # The running one (WARNING), then one more with the filters of the moment it ended: none for the two in between.
    shown = [len(selection.rows) for _, selection in told(session).selections]
    assert shown == [RECORDS // 3 + RECORDS // 10 - RECORDS // 30, RECORDS // 10]
    assert session.settled and session.filters == Filters(min_level=logging.ERROR)


def test_an_older_evaluation_that_ends_last_is_not_shown(session: Session) -> None:
    session.add_view("log2")
    session.set_filters(Filters(min_level=logging.ERROR))  # the active view, "log"
    session.request_selection("log2")
    held = runner(session)
    assert held.groups() == ["select-log", "select-log2"]
    held.work.rotate()  # log2's evaluation ends first
    run_all(session)
    assert [view_id for view_id, _ in told(session).selections[-2:]] == ["log2", "log"]
    assert session.views["log"].selection is not None and len(session.views["log"].selection.rows) == RECORDS // 10
    assert session.views["log2"].selection is not None and len(session.views["log2"].selection.rows) == RECORDS


def test_the_latest_histogram_request_wins(session: Session) -> None:
    session.set_filters(Filters(text_filters=(TextFilter("event 1", keep=True),)))  # counted in a worker, not summed
    run_all(session)
    told(session).histograms.clear()
    held = runner(session)
    session.request_histogram()
    told(session).bins = 50
    session.request_histogram()
    told(session).bins = 60
    session.request_histogram()
    assert held.groups() == ["histogram"]  # one count at a time
    held.run_next()
    held.deliver_all()
    assert held.groups() == ["histogram"]  # the latest of the two waiting, the middle one dropped
    run_all(session)
    counted = [histogram.counts.shape[1] for histogram in told(session).histograms if histogram is not None]
    assert counted == [40, 60]


def test_a_search_started_since_takes_the_place_of_the_last(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_module, "SEARCH_HERE_BYTES", 0)  # searched in a worker, as a large log is
    assert not session.start_search("event 1", "event 1")
    session.find_matches("event 1")
    assert not session.start_search("event 2$", "event 2$")
    session.find_matches("event 2$")
    run_all(session)
    assert told(session).matches == [True]  # the first search's matches came too late: another search was on
    assert session.search.rows is not None and len(session.search.rows) == 1
    assert session.search_note("log", session.views["log"].selection.rows, 0) == "/event 2$: 1 match"  # type: ignore[union-attr]


def test_the_session_never_imports_textual() -> None:
    code = "import sys, logview.core.session; print(any(m.startswith('textual') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
