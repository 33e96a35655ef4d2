"""Searching a journal entry's other fields (``CODE_FUNC``, ``_SYSTEMD_UNIT``, …), which its record does not show.

The journals are written by a real systemd-journal-remote from entries in
the export format, and read back through journalctl as users' are.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from logview.core.index.status import Severity
from logview.core.pipeline import Pipeline
from logview.core.sources import journal_fields
from logview.core.sources.journal import JournalSource, JournalTarget
from logview.core.text_search import text_hits
from logview.journal_upload import Collector, export_entry
from tests.command import run_logview
from tests.heard import Heard
from tests.journal.hosts import written_journal

START = 1_796_500_000_000_000
UNITS = ("billing.service", "mail.service")
FUNCTIONS = ("charge_card", "send_mail")


def _entry(number: int, **more: str) -> bytes:
    service = number % 2
    return export_entry(
        {
            "__REALTIME_TIMESTAMP": str(START + number * 1_000_000),
            "__MONOTONIC_TIMESTAMP": str(number + 1),
            "_BOOT_ID": "0" * 31 + "3",
            "_HOSTNAME": "box",
            "_PID": str(100 + service),
            "_SYSTEMD_UNIT": UNITS[service],
            "_SOURCE_REALTIME_TIMESTAMP": str(START + number * 1_000_000 - 7),
            "CODE_FUNC": FUNCTIONS[service],
            "CODE_LINE": str(40 + number % 3),
            "LOGGER": "jobs",
            "PRIORITY": "6",
            "MESSAGE": f"job {number} done",
            **more,
        }
    )


def _grep(journal: Path, pattern: str) -> list[int]:
    printed = run_logview("--print", "--output", "jsonl", "--grep", pattern, str(journal)).stdout
    return [int(str(json.loads(line)["message"]).split()[1]) for line in printed.splitlines()]


def test_grep_finds_records_by_the_fields_they_do_not_show(collector: Collector, tmp_path: Path) -> None:
    journal = written_journal(collector, tmp_path, "box", [_entry(number) for number in range(12)])
    mail = [number for number in range(12) if number % 2]
    assert _grep(journal, "CODE_FUNC=send_mail") == mail
    assert _grep(journal, r"mail\.service") == mail
    # Each field is a line of its own: anchors hold at the field's ends.
    assert _grep(journal, "^CODE_LINE=41$") == [number for number in range(12) if number % 3 == 1]
    assert _grep(journal, "^LINE=41") == []
    # The message is still searched, and a field's value only matches the records that have it.
    assert _grep(journal, "job 3 done") == [3]
    # The time stamped on every entry is not searched: "-7" µs is in each one's.
    assert _grep(journal, str(START - 7)[:12]) == []


@pytest.fixture
def few_sets(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(journal_fields, "NEW_SETS_MIN", 64)
    return 64


def test_a_field_every_entry_has_its_own_value_of_is_left_out_and_said_once(collector: Collector, tmp_path: Path, few_sets: int) -> None:
    entries = [_entry(number, REQUEST_ID=f"req-{number:05d}") for number in range(2000)]
    journal = written_journal(collector, tmp_path, "box", entries)
    pipeline, stop, heard = Pipeline(growing=False), threading.Event(), Heard()
    source = JournalSource(JournalTarget(files=(str(journal),)))
    running = pipeline.start([source], heard, stop)
    try:
        running.wait()
        assert source.records == 2000 and source.state is not None and source.state.field_sets is not None
        # The columns were sized once from the journal header's count of entries, not doubled as records came.
        assert {column.capacity for column in pipeline.timeline.columns} == {2000}
        field_sets = source.state.field_sets
        assert field_sets.capacity == 2000  # so were the records' set codes
        # A set per entry would be 2000: the request id was left out once the sets passed their bound.
        assert "REQUEST_ID" in field_sets.unsearched and field_sets.sets <= few_sets + 1
        said = [problem for problem in heard.problems if "REQUEST_ID" in problem.text]
        assert len(said) == 1 and said[0].severity == Severity.WARNING and said[0].text.startswith(f"{source.name}: REQUEST_ID")
        pipeline.timeline.merge()
        # The other fields are still searched, every record by its own.
        assert np.array_equal(text_hits(pipeline, "CODE_FUNC=charge_card").rows(), np.arange(0, 2000, 2))
        assert np.array_equal(text_hits(pipeline, "^CODE_LINE=42$").rows(), np.arange(2, 2000, 3))
    finally:
        stop.set()
        running.wait()
        running.close()
        pipeline.close()
