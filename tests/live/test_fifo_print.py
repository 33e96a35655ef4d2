"""A FIFO among the inputs of --print: the other files are printed while it waits for its writer, and Ctrl+C ends the wait.

A FIFO with no writer blocked open(): logview printed nothing, not even the
other files' records, until something wrote to it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from tests.live.children import logview_child
from tests.live.fifos import fifo_with_watchdog
from tests.unit.logfiles import STANDARD, record, write_records

START = 1709251200
WAITING = "pipe.log: FIFO with nothing written to it yet (waiting for a writer)"
FIFO_RECORDS = [record(START + 10 + number, f"fifo record {number}") for number in range(2)]


def _file_with_records(tmp_path: Path) -> tuple[Path, list[bytes]]:
    log = tmp_path / "app.log"
    write_records(log, [record(START + number, f"file record {number}") for number in range(3)])
    return log, log.read_bytes().splitlines()


def test_the_other_files_are_printed_then_the_records_a_late_writer_sends(tmp_path: Path) -> None:
    log, file_lines = _file_with_records(tmp_path)
    with fifo_with_watchdog(tmp_path / "pipe.log") as fifo:
        child = logview_child("--print", str(fifo), str(log))
        child.wait_for_stderr(WAITING, "the FIFO said to wait for its writer")
        child.wait_until(lambda: child.lines == file_lines, "the file's records printed while the FIFO waits")
        # A FileHandler opening the FIFO is the writer; closing it ends the input.
        write_records(fifo, FIFO_RECORDS, mode="a")
        assert child.stop() == 0, child.stderr
    formatter = logging.Formatter(STANDARD)
    assert child.lines == [*file_lines, *(formatter.format(logging.makeLogRecord(fields)).encode() for fields in FIFO_RECORDS)]
    assert child.stderr.splitlines() == [f"logview: {tmp_path}/{WAITING}"]


def test_a_fifo_no_writer_opens_leaves_the_other_files_printed_and_ctrl_c_ends_the_wait(tmp_path: Path) -> None:
    log, file_lines = _file_with_records(tmp_path)
    with fifo_with_watchdog(tmp_path / "pipe.log") as fifo:
        child = logview_child("--print", str(log), str(fifo))
        child.wait_for_stderr(WAITING, "the FIFO said to wait for its writer")
        child.wait_until(lambda: child.lines == file_lines, "the file's records printed while the FIFO waits")
        assert child.interrupt() == 130
    assert child.lines == file_lines
    assert "Traceback" not in child.stderr
