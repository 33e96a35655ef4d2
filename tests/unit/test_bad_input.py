"""Bad inputs: one clear line on stderr naming the input, everything readable still shown."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sys
import tempfile
from pathlib import Path

from logview.core.record import MAX_RECORD_BYTES
from logview.core.record_text import cut_mark
from tests.memory import run_watched
from tests.terminal import run_in_terminal
from tests.unit.logfiles import record, write_records


def _good(tmp_path: Path) -> Path:
    path = tmp_path / "good.log"
    write_records(path, [record(1709251200 + i, f"good {i}") for i in range(5)])
    os.chmod(tmp_path, 0o755)
    os.chmod(path, 0o644)
    return path


def _one_error_line(stderr: bytes, name: str, cause: str) -> None:
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert name in lines[0] and cause in lines[0]
    assert "Traceback" not in lines[0]


def test_missing_file(tmp_path: Path, logview) -> None:
    good = _good(tmp_path)
    result = logview("--print", str(tmp_path / "missing.log"), str(good))
    assert result.returncode == 1
    _one_error_line(result.stderr, "missing.log", "no such file")
    assert result.stdout == good.read_bytes()


def test_directory(tmp_path: Path, logview) -> None:
    good = _good(tmp_path)
    (tmp_path / "adir").mkdir()
    result = logview("--print", str(tmp_path / "adir"), str(good))
    assert result.returncode == 1
    _one_error_line(result.stderr, "adir", "is a directory")
    assert result.stdout == good.read_bytes()


def _main_as_nobody(arguments: list[str], out: str, err: str) -> None:
    """Run the real entry point in a child process that has dropped root (root reads any file)."""
    from logview.cli import main

    # Import and warm up everything first: the interpreter's own files may be
    # unreadable to the unprivileged user.
    main(["--print", arguments[-1]])
    # A small file is printed without the engine: its modules are loaded too, for the inputs only it reads.
    import logview.core.live_print
    import logview.core.printer
    import logview.core.selection  # noqa: F401

    os.dup2(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)
    os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 2)
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 - pytest replaced the originals
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
    if os.geteuid() == 0:
        os.setgid(65534)
        os.setuid(65534)
    code = main(arguments)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def test_permission_denied(tmp_path: Path) -> None:
    shared = Path(tempfile.mkdtemp(prefix="logview-perm-"))
    try:
        shared.chmod(0o755)
        good = _good(shared)
        secret = shared / "secret.log"
        secret.write_text("2024-03-01 00:00:00,000 1 app INFO hidden\n")
        secret.chmod(0)
        out, err = tmp_path / "out", tmp_path / "err"
        # Spawned, not forked: a fork of this multi-threaded test process can inherit a held lock.
        child = multiprocessing.get_context("spawn").Process(
            target=_main_as_nobody, args=(["--print", str(secret), str(good)], str(out), str(err))
        )
        child.start()
        child.join(60)
        assert child.exitcode == 1
        _one_error_line(err.read_bytes(), "secret.log", "permission denied")
        assert out.read_bytes() == good.read_bytes()
    finally:
        shutil.rmtree(shared)


def test_unmatched_glob(tmp_path: Path, logview) -> None:
    good = _good(tmp_path)
    result = logview("--print", str(tmp_path / "nothing*.log"), str(good))
    assert result.returncode == 1
    _one_error_line(result.stderr, "nothing*.log", "no file matches")


def test_binary_data_is_shown_as_text_with_a_warning(tmp_path: Path, logview) -> None:
    blob = tmp_path / "core.bin"
    blob.write_bytes(bytes(range(256)) * 40)
    result = logview("--print", str(blob))
    assert result.returncode == 0
    _one_error_line(result.stderr, "core.bin", "binary data")
    assert result.stdout == blob.read_bytes()  # to a pipe, a copy


def test_invalid_utf8_is_copied_to_a_pipe_escaped_on_a_terminal_and_not_fatal(tmp_path: Path, logview) -> None:
    """Nothing is lost in a pipe (``logview --print x.log | cmp - x.log``); a terminal is shown the bytes as escapes, not U+FFFD."""
    path = tmp_path / "latin1.log"
    write_records(path, [record(1709251200, "first")])
    with open(path, "ab") as handle:
        handle.write("2024-03-01 00:00:05,000 100 app INFO caf\xe9 cr\xe8me\n".encode("latin-1"))
        handle.write(b"2024-03-01 00:00:06,000 100 app INFO bom \xff\xfe here\n")
    write_records(path, [record(1709251210, "last")], mode="a")
    result = logview("--print", str(path))
    assert result.returncode == 0
    _one_error_line(result.stderr, "latin1.log", "invalid UTF-8, copied as it is")
    assert result.stdout == path.read_bytes()
    shown, status = run_in_terminal([sys.executable, "-m", "logview", "--print", str(path)], until=b"\x00never", keys=b"", cwd=tmp_path)
    assert status == 0
    assert b"caf\\xe9 cr\\xe8me" in shown and b"bom \\xff\\xfe here" in shown
    assert "\ufffd".encode() not in shown and b"first" in shown and b"last" in shown
    assert b"invalid UTF-8, shown as \\x escapes" in shown
    # JSON strings are Unicode: there the bytes can only be replaced.
    jsonl = logview("--print", "--output", "jsonl", "--grep", "caf", str(path))
    assert b"caf\\ufffd" in jsonl.stdout or "caf\ufffd".encode() in jsonl.stdout
    _one_error_line(jsonl.stderr, "latin1.log", "invalid UTF-8, replaced by U+FFFD")


def test_a_single_50mb_line(tmp_path: Path) -> None:
    """One record, cut after MAX_RECORD_BYTES with a mark, in the memory of a few chunks: not six copies of the line."""
    path = tmp_path / "huge.log"
    write_records(path, [record(1709251200, "before"), record(1709251201, "x" * 50_000_000), record(1709251202, "after")])
    header = b"2024-03-01 00:00:01,000 100 app INFO "
    mark = cut_mark(len(header) + 50_000_000 - MAX_RECORD_BYTES)
    text = run_watched(["--print", str(path)], tmp_path, 300)
    assert text.stopped is None and text.returncode == 0, f"{text.stopped}; {text.stderr.decode()}"
    assert text.stdout.splitlines()[1:] == [header + b"x" * (MAX_RECORD_BYTES - len(header)) + mark, path.read_bytes().splitlines()[2]]
    jsonl = run_watched(["--print", "--output", "jsonl", str(path)], tmp_path, 300)
    assert jsonl.stopped is None and jsonl.returncode == 0, f"{jsonl.stopped}; {jsonl.stderr.decode()}"
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert [item["message"] for item in records] == ["before", "x" * (MAX_RECORD_BYTES - len(header)) + mark.decode(), "after"]


def test_empty_file(tmp_path: Path, logview) -> None:
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    result = logview("--print", str(empty))
    assert result.returncode == 0 and result.stdout == b""
    _one_error_line(result.stderr, "empty.log", "empty file")


def test_file_where_nothing_matches_is_shown_as_plain_records(tmp_path: Path, logview) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("just some words\nand more words\n")
    result = logview("--print", "--output", "jsonl", str(notes))
    assert result.returncode == 0
    assert [line.count(b'"message"') for line in result.stdout.splitlines()] == [1, 1]
    assert b'"level": null' in result.stdout


def test_a_named_pipe_and_a_file_without_a_size(tmp_path: Path, logview) -> None:
    import threading

    good = _good(tmp_path)
    fifo = tmp_path / "pipe.log"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as writer:
            writer.write(good.read_bytes())

    feeder = threading.Thread(target=feed)
    feeder.start()
    result = logview("--print", str(fifo))
    feeder.join(10)
    assert result.returncode == 0 and result.stdout == good.read_bytes()
    # /proc files report a size of 0 but have content.
    status = logview("--print", "/proc/self/status")
    assert status.returncode == 0 and b"Name:" in status.stdout


def test_a_file_left_without_a_final_newline_does_not_join_the_next_record_printed(tmp_path: Path, logview) -> None:
    """Merged with another file, its last record is followed by the other's: each on its own line."""
    first, second = tmp_path / "a.log", tmp_path / "b.log"
    write_records(first, [record(1709251200, "a one"), record(1709251202, "a two")])
    first.write_bytes(first.read_bytes().rstrip(b"\n"))
    write_records(second, [record(1709251201, "b one"), record(1709251203, "b two")])
    result = logview("--print", str(first), str(second))
    assert [line.rsplit(" ", 2)[-2:] for line in result.stdout.decode().splitlines()] == [
        ["a", "one"],
        ["b", "one"],
        ["a", "two"],
        ["b", "two"],
    ]
