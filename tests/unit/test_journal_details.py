"""EntryDetails: each batch's way back to its entries, kept as numbers in columns, gives each record its own first entry's fields.

journalctl is stood in for by a Python program that writes entries in the
export format after a cursor, as ``journalctl --after-cursor`` does: what
is checked here is the bookkeeping (which batch, which entry, which
command), which the journal tests cover through a real collector too.
"""

from __future__ import annotations

import sys

import numpy as np

from logview.core.sources.journal_details import EntryDetails

#: Writes entries c0, c1, … in the export format, from the one after the cursor in argv[2] ("" for the first): each
#: entry's CODE_LINE is its number, and its FILE the file option the command was given (argv[1]).
WRITER = """
import sys
after = sys.argv[2]
start = int(after[1:]) + 1 if after else 0
sys.stdout.write("".join(f"__CURSOR=c{n}\\nCODE_LINE={n}\\nFILE={sys.argv[1]}\\n\\n" for n in range(start, start + 200)))
"""


def _command(files: list[str], after: str | None) -> list[str]:
    return [sys.executable, "-c", WRITER, files[0], after or ""]


def test_each_record_gets_its_first_entrys_fields_through_its_batchs_command() -> None:
    spool = bytearray()
    details = EntryDetails(lambda offset, size: bytes(spool[offset : offset + size]), _command)
    offsets: list[tuple[int, int, str]] = []  # each record's offset, its first entry, and its batch's file
    entry = 0
    # Three batches, from two files: the second with records of more than one line, the third with entries that
    # continue a record (a traceback's lines, each an entry), so that a record's first entry is not its place.
    for file, lines_per_record, continued in (
        ("--file=a", [1, 1, 1, 1], []),
        ("--file=b", [1, 3, 1, 2, 1], []),
        ("--file=a", [1, 1, 1], [1, 2]),
    ):
        entries = len(lines_per_record) + len(continued)
        first_entries = [place for place in range(entries) if place not in continued]
        start = len(spool)
        for record, lines in enumerate(lines_per_record):
            offsets.append((len(spool), entry + first_entries[record], file))
            spool += b"record\n" + b"more\n" * (lines - 1)
        after = f"c{entry - 1}" if entry else None
        ends = (f"c{entry}", f"c{entry + entries - 1}")
        details.add(start, [file], (), after, ends, np.array(lines_per_record), entries, np.array(continued, dtype=np.int64))
        entry += entries
    for offset, first_entry, file in offsets:
        assert details(offset) == {"CODE_LINE": str(first_entry), "FILE": file}


def test_a_batch_that_comes_back_otherwise_gives_no_fields_rather_than_another_entrys() -> None:
    spool = b"record\nrecord\n"
    details = EntryDetails(lambda offset, size: spool[offset : offset + size], _command)
    # Read after c4 the first time; the journal now gives c5 and c6 there, not the c9 its cursors said.
    details.add(0, ["--file=a"], (), "c4", ("c5", "c9"), np.array([1, 1]), 2, np.zeros(0, dtype=np.int64))
    assert details(0) == {} and details(7) == {}
