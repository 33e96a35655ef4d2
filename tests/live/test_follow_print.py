"""``logview --print -f`` follows files while real handlers write them, in separate processes."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live.children import Child, logview_child
from tests.live.writers import FORMAT
from tests.unit.logfiles import file_logger, left_a_while_ago
from tests.waiting import main_thread_waits, open_files

WRITERS = str(Path(__file__).with_name("writers.py"))
RECORD = re.compile(rb" record (\d+)$")
#: The message of a line appended once the writer has finished.
END = b"the writer has finished"
#: Seconds for a writer's hundreds of rotations, and for the printer to read them, on a loaded machine.
LONG = 120.0


def numbers(printer: Child) -> list[int]:
    return [int(found[1]) for line in list(printer.lines) if (found := RECORD.search(line))]


def following(log: Path) -> Child:
    """``logview --print -f LOG``, once it follows the file: whatever is written from now on is printed."""
    printer = logview_child("--print", "-f", str(log))
    printer.wait_watching(log)
    return printer


def printed_to_the_end(printer: Child, log: Path, count: int) -> list[int]:
    """The record numbers printed once a line appended after the writer's last record is printed.

    That line is read after every record of the file and its rotated
    copies, and printed after them: when it is printed, every record is, and
    one read twice would have been printed before it.
    """
    with file_logger(logging.FileHandler(log), fmt=FORMAT) as logger:
        logger.info(END.decode())
    try:
        printer.wait_for_line(END, f"the line written after record {count} printed", timeout=LONG)
    except AssertionError as error:
        raise AssertionError(f"{error}; {_difference(numbers(printer), count, printer.stderr)}") from None
    return numbers(printer)


def write(directory: Path, count: int, max_bytes: int, backups: int) -> None:
    writer = subprocess.run(
        [sys.executable, WRITERS, "rotating-gzip", str(directory), str(count), str(max_bytes), str(backups)],
        capture_output=True,
        check=True,
        timeout=LONG,
    )
    assert not writer.stderr


def test_every_record_once_and_in_order_through_hundreds_of_gzip_rotations(tmp_path: Path) -> None:
    count = 100_000
    log = tmp_path / "app.log"
    log.touch()
    printer = following(log)
    try:
        write(tmp_path, count, 25_000, 1000)
        rotations = len(list(tmp_path.glob("app.log.*.gz")))
        printed = printed_to_the_end(printer, log, count)
    finally:
        status = printer.interrupt()
    assert rotations >= 200
    assert printed == list(range(1, count + 1)), _difference(printed, count, printer.stderr)
    # Each thousandth record carries its traceback, whole.
    text = b"\n".join(printer.lines)
    assert text.count(b"ValueError: failure at") == count // 1000
    assert status == 130, printer.stderr


def test_rotations_faster_than_the_polls_are_read_from_the_rotated_copies(tmp_path: Path) -> None:
    """A tiny maxBytes: dozens of files come and go between two polls, and are read from their gzip copies.

    The writer keeps every copy: one that deletes copies faster than they
    can be read takes records away, and the follower says so
    (tests/unit/test_follow.py, writer rotating during the poll).
    """
    count = 30_000
    log = tmp_path / "app.log"
    log.touch()
    printer = following(log)
    try:
        write(tmp_path, count, 5000, 1000)
        printed = printed_to_the_end(printer, log, count)
    finally:
        printer.interrupt()
    assert printed == list(range(1, count + 1)), _difference(printed, count, printer.stderr)


def test_ctrl_c_stops_it_quietly_with_status_130(tmp_path: Path) -> None:
    """As a shell expects after an interrupt, without watchfiles' "KeyboardInterrupt caught" nor a traceback."""
    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log), fmt=FORMAT) as logger:
        for number in range(1, 4):
            logger.info("record %d", number)
    printer = logview_child("--print", "-f", str(log))
    try:
        printer.wait_until(lambda: numbers(printer) == [1, 2, 3], "the records already in the file printed")
        printer.wait_watching(log)  # Ctrl+C comes while watchfiles waits for changes
    finally:
        status = printer.interrupt()
    assert status == 130, printer.stderr
    assert "KeyboardInterrupt" not in printer.stderr
    assert "Traceback" not in printer.stderr


def test_a_line_left_unfinished_is_printed_once_whole_or_at_ctrl_c(tmp_path: Path) -> None:
    """A file left without a newline: its last record waits for the line's end, then prints once; at Ctrl+C, as it is."""
    log = tmp_path / "app.log"
    with file_logger(logging.FileHandler(log), fmt=FORMAT) as logger:
        logger.info("record 1")
    with open(log, "a") as raw:
        raw.write("2026-01-01 00:00:00,000 1 test INFO record 2 is half")
    left_a_while_ago(log)
    printer = logview_child("--print", "-f", str(log))
    try:
        printer.wait_until(lambda: numbers(printer) == [1], "the first record printed")
        printer.wait_watching(log)
        with open(log, "a") as raw:
            raw.write(" written\n2026-01-01 00:00:01,000 1 test INFO record 3, the last, left unfinished")
        printer.wait_for_line(b"record 2 is half written", "the record whose line ended, printed whole")
    finally:
        status = printer.interrupt()
    assert status == 130, printer.stderr
    # Record 3's line never ended: printed at Ctrl+C, on a line of its own, nothing printed twice.
    assert [line.split(b" INFO ")[1] for line in printer.lines] == [
        b"record 1",
        b"record 2 is half written",
        b"record 3, the last, left unfinished",
    ]


def test_a_missing_file_is_waited_for_and_printed_from_its_start_when_it_appears(tmp_path: Path) -> None:
    """As tail -F does: the error says logview waits, and the records written once the file exists are printed."""
    directory = tmp_path / "logs"
    directory.mkdir()
    log = directory / "missing.log"
    printer = logview_child("--print", "-f", str(log))
    try:
        printer.wait_for_stderr(f"{log}: no such file (waiting for it to appear)", "the waiting line on stderr")
        printer.wait_until(lambda: "anon_inode:inotify" in open_files(printer.process.pid), "the printer watching the directory")
        assert not log.exists()
        with file_logger(logging.FileHandler(log), fmt=FORMAT) as logger:
            for number in range(1, 51):
                logger.info("record %d", number)
            printer.wait_for_stderr(f"{log}: appeared; following it", "the appeared line on stderr")
            for number in range(51, 101):
                logger.info("record %d", number)
        printed = printed_to_the_end(printer, log, 100)
    finally:
        status = printer.interrupt()
    assert printed == list(range(1, 101)), _difference(printed, 100, printer.stderr)
    assert status == 130, printer.stderr
    lines = printer.stderr.splitlines()
    assert lines == [f"logview: {log}: no such file (waiting for it to appear)", f"logview: {log}: appeared; following it"]


def test_a_file_in_a_missing_directory_is_waited_for_and_printed_once_both_appear(tmp_path: Path) -> None:
    """As tail -F retries: the nearest directory that exists is watched, then the directories made, then the file."""
    log = tmp_path / "logs" / "today" / "app.log"
    printer = logview_child("--print", "-f", str(log))
    try:
        printer.wait_for_stderr(f"{log}: no such file (waiting for it to appear)", "the waiting line on stderr")
        printer.wait_until(lambda: "anon_inode:inotify" in open_files(printer.process.pid), "the printer watching the nearest directory")
        log.parent.mkdir(parents=True)
        with file_logger(logging.FileHandler(log), fmt=FORMAT) as logger:
            for number in range(1, 51):
                logger.info("record %d", number)
        printed = printed_to_the_end(printer, log, 50)
    finally:
        status = printer.interrupt()
    assert printed == list(range(1, 51)), _difference(printed, 50, printer.stderr)
    assert status == 130, printer.stderr
    assert printer.stderr.splitlines() == [
        f"logview: {log}: no such file (waiting for it to appear)",
        f"logview: {log}: appeared; following it",
    ]


def test_a_glob_in_a_missing_directory_is_waited_for_and_its_files_printed_once_they_appear(tmp_path: Path) -> None:
    pattern = str(tmp_path / "logs" / "*.log")
    printer = logview_child("--print", "-f", pattern)
    try:
        printer.wait_for_stderr(f"{pattern}: no file matches this pattern (waiting for one to appear)", "the waiting line on stderr")
        printer.wait_until(lambda: "anon_inode:inotify" in open_files(printer.process.pid), "the printer watching the nearest directory")
        (tmp_path / "logs").mkdir()
        with file_logger(logging.FileHandler(tmp_path / "logs" / "worker.log"), fmt=FORMAT) as logger:
            for number in range(1, 21):
                logger.info("record %d", number)
        printer.wait_until(lambda: numbers(printer) == list(range(1, 21)), "the records of the file that matched printed")
    finally:
        status = printer.interrupt()
    assert status == 130, printer.stderr
    assert "Traceback" not in printer.stderr


def test_ctrl_c_stops_it_with_status_130_when_nothing_can_be_followed(tmp_path: Path) -> None:
    """Nothing to watch (a directory given): logview waits for Ctrl+C alone, which must reach it whichever thread the kernel picks."""
    printer = logview_child("--print", "-f", str(tmp_path))
    try:
        printer.wait_for_stderr(f"{tmp_path}: is a directory", "the input's error on stderr")
        printer.wait_until(lambda: main_thread_waits(printer.process.pid), "the printer's main thread waiting")
    finally:
        status = printer.interrupt()
    assert status == 130, printer.stderr
    assert "Traceback" not in printer.stderr


def _difference(numbers: list[int], count: int, errors: str) -> str:
    """What went wrong, for the failure message: records missing, repeated, or out of order."""
    missing = sorted(set(range(1, count + 1)) - set(numbers))
    repeated = len(numbers) - len(set(numbers))
    back = next((index for index in range(1, len(numbers)) if numbers[index] < numbers[index - 1]), None)
    where = f" at {numbers[back - 1]} -> {numbers[back]}" if back is not None else ""
    return (
        f"{len(numbers)} printed, last {numbers[-1] if numbers else None}; {len(missing)} missing {missing[:5]}; "
        f"{repeated} repeated; first step back{where or ': none'}; stderr: {errors}"
    )


GAP = re.compile(r"(?:about )?([\d,]+) rotated files? \(")
GAP_WINDOW = re.compile(r"rotated files? .* written between (\d\d:\d\d:\d\d\.\d{3}) and (\d\d:\d\d:\d\d\.\d{3}) are lost")


@pytest.mark.parametrize("backups", [3, 50])
def test_fast_rotation_prints_each_record_once_in_order_and_says_how_much_was_deleted_unread(tmp_path: Path, backups: int) -> None:
    """RotatingFileHandler at full speed, a file every few milliseconds: each file is held open as it appears.

    With three copies kept, a file lives a few dozen milliseconds: what a
    loaded machine still lets the writer delete unread is said, with about
    how many files, and every record missing is within what was said. With
    fifty kept, nothing is missing.
    """
    count = 30_000
    log = tmp_path / "app.log"
    log.touch()
    printer = following(log)
    try:
        subprocess.run(
            [sys.executable, WRITERS, "rotating", str(tmp_path), str(count), "10000", str(backups)],
            capture_output=True,
            check=True,
            timeout=LONG,
        )
        printed = printed_to_the_end(printer, log, count)
    finally:
        printer.interrupt()
    assert printed == sorted(set(printed)), _difference(printed, count, printer.stderr)
    missing = count - len(printed)
    if backups == 50:
        assert missing == 0, _difference(printed, count, printer.stderr)
        return
    gaps = [int(found.replace(",", "")) for found in GAP.findall(printer.stderr)]
    assert bool(gaps) == bool(missing), _difference(printed, count, printer.stderr)
    # How many files is an estimate (from the files' times around the gap, which a loaded machine
    # stretches); when they were written is what the line says for certain.
    _assert_missing_in_windows(printed, count, printer, GAP_WINDOW.findall(printer.stderr))


#: A line saying that records written between a copy and the emptying of the file may be lost, and when.
EMPTIED = re.compile(r"emptied .*\(copytruncate\): .*between (\d\d:\d\d:\d\d\.\d{3}) and (\d\d:\d\d:\d\d\.\d{3})")
TIME = re.compile(rb" (\d\d:\d\d:\d\d),(\d{3}) ")


def test_copytruncate_from_another_process_prints_what_is_on_disk_once_in_order_and_says_when_records_may_be_lost(
    tmp_path: Path,
) -> None:
    """logrotate's copytruncate every 50 ms while a FileHandler writes 4,000 records a second, in two processes.

    What the writer writes between a copy and the emptying is in no file:
    only those may be missing, and each within a window said on stderr.
    Every copy is kept: a record on disk at the end is one that was.
    """
    count = 6_000
    log = tmp_path / "app.log"
    log.touch()
    printer = following(log)
    copier = subprocess.Popen([sys.executable, WRITERS, "copytruncate", str(tmp_path), "0.05", "1000"])
    try:
        subprocess.run([sys.executable, WRITERS, "steady", str(tmp_path), str(count), "4000"], check=True, timeout=LONG)
        (tmp_path / "stop").touch()
        copier.wait(LONG)
        on_disk = {
            int(found[1]) for path in tmp_path.glob("app.log*") for line in path.read_bytes().splitlines() if (found := RECORD.search(line))
        }
        printed = printed_to_the_end(printer, log, count)
    finally:
        copier.kill()
        printer.interrupt()
    assert printed == sorted(set(printed)), _difference(printed, count, printer.stderr)
    assert on_disk <= set(printed), f"{len(on_disk - set(printed))} on disk not printed; {_difference(printed, count, printer.stderr)}"
    _assert_missing_in_windows(printed, count, printer, EMPTIED.findall(printer.stderr))


#: How long a loaded machine's writer may take from making a record to writing it (the window said is of writes).
WRITER_DELAY_MS = 500


def _assert_missing_in_windows(printed: list[int], count: int, printer: Child, said: list[tuple[str, str]]) -> None:
    """Each run of missing records was written in a window that a line on stderr said records may be lost in."""
    windows = [(_milliseconds(start), _milliseconds(end)) for start, end in said]
    times = {int(found[1]): _line_time(line) for line in printer.lines if (found := RECORD.search(line))}
    for first, last in _runs(sorted(set(range(1, count + 1)) - set(printed))):
        # Lost between the records printed around them: written in a window said, to the clock's tick and the writer's
        # delay. The window is the files' modification times (when records were written), a record's time when it
        # was made (asctime): on a loaded machine the writer can stall between the two for a few hundred ms.
        before, after = times.get(first - 1, 0), times.get(last + 1, 1 << 40)
        assert any(start - WRITER_DELAY_MS <= after and before <= end + WRITER_DELAY_MS for start, end in windows), (
            f"records {first}-{last} missing, written between {before} and {after} ms, in no window said; "
            f"{_difference(printed, count, printer.stderr)}"
        )


def _milliseconds(clock: str) -> int:
    hours, minutes, seconds = clock.split(":")
    return (int(hours) * 3600 + int(minutes) * 60) * 1000 + round(float(seconds) * 1000)


def _line_time(line: bytes) -> int:
    found = TIME.search(line)
    assert found is not None, line
    return _milliseconds(found[1].decode() + "." + found[2].decode())


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive numbers as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs
