"""The export format read a block at a time, against journalctl's own JSON of the same journal: every value, however cut."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import polars as pl
import pytest

from logview.core.sources.journal_export import NEWLINE_MARK, ExportReader
from logview.journal_upload import Collector, journal_remote_path

FIELDS = ("MESSAGE", "PRIORITY", "LOGGER", "__REALTIME_TIMESTAMP", "NOT_THERE")


def _message(chooser: random.Random, number: int) -> bytes:
    kind = chooser.random()
    if kind < 0.2:  # a traceback: a binary field
        return f"Traceback {number}\n  File x\nValueError: bad = {number}".encode()
    if kind < 0.25:  # zero bytes, an empty line, an equals sign and bytes that are not UTF-8
        return bytes([0, 10, 10, 61, 255, 254]) + f" raw {number}".encode()
    if kind < 0.3:  # large, and zero bytes at its end: a size's zero byte is not the only one
        return b"A" * chooser.randint(250, 70_000) + b"\n" + b"\x00" * 9
    return f"plain {number} a=b".encode()


def _export_stream(count: int) -> bytes:
    chooser = random.Random(5)
    entries = []
    for number in range(count):
        message = _message(chooser, number)
        text = "".join(
            f"{key}={value}\n" for key, value in (("__REALTIME_TIMESTAMP", 1_796_500_000_000_000 + number), ("PRIORITY", number % 8))
        )
        field = b"MESSAGE\n" + len(message).to_bytes(8, "little") + message + b"\n"
        logger = f"LOGGER=app.m{number % 5}\n".encode() if number % 11 else b""  # some entries have none
        entries.append(text.encode() + field + logger + b"\n")
    return b"".join(entries)


def _json_value(value: object) -> str | None:
    if value is None:
        return None
    text = bytes(value).decode("utf-8", "replace") if isinstance(value, list) else str(value)
    return text.replace("\n", NEWLINE_MARK)


@pytest.mark.parametrize("seed", range(4))
def test_entries_cut_anywhere_read_as_journalctl_writes_them(collector: Collector, tmp_path: Path, seed: int) -> None:
    source = tmp_path / "entries.export"
    source.write_bytes(_export_stream(1500))
    journal = tmp_path / "one.journal"
    program = journal_remote_path()
    assert program is not None
    subprocess.run([program, f"--output={journal}", str(source)], check=True, capture_output=True)
    exported = subprocess.run(["journalctl", "--file", str(journal), "-o", "export"], check=True, capture_output=True).stdout
    as_json = subprocess.run(["journalctl", "--file", str(journal), "-o", "json", "--all"], check=True, capture_output=True).stdout
    expected = [{field: _json_value(json.loads(line).get(field)) for field in FIELDS} for line in as_json.splitlines()]
    chooser = random.Random(seed)
    reader = ExportReader(FIELDS)
    frames, at = [], 0
    while at < len(exported):
        size = chooser.choice([1, 7, 100, 5000, 65536, 1 << 20])
        frames.append(reader.feed(exported[at : at + size]))
        at += size
    read = pl.concat([frame for frame in frames if frame.height]).to_dicts()
    assert reader.pending == 0
    assert read == expected


def test_a_binary_field_whose_size_starts_with_a_newline_is_not_an_entry_end_whatever_the_cut() -> None:
    # Sizes 10 and 266: the size's first byte is "\n", so "MESSAGE\n" + that byte looks like an entry's empty line.
    values = [b"0123456\n89", b"x\n" * 133, b"plain"]
    stream = b"".join(
        f"__CURSOR=c{number}\n".encode()
        + (b"MESSAGE\n" + len(value).to_bytes(8, "little") + value + b"\n" if b"\n" in value else b"MESSAGE=" + value + b"\n")
        + b"\n"
        for number, value in enumerate(values)
    )
    expected = [{"__CURSOR": f"c{number}", "MESSAGE": value.decode().replace("\n", NEWLINE_MARK)} for number, value in enumerate(values)]
    for cut in range(1, len(stream)):
        reader = ExportReader(("__CURSOR", "MESSAGE"))
        frames = [reader.feed(stream[:cut]), reader.feed(stream[cut:])]
        assert pl.concat([frame for frame in frames if frame.height]).to_dicts() == expected, cut
        assert reader.pending == 0
