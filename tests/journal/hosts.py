"""A Python program on a host of its own, logging into a systemd-journal-remote collector.

Run as ``python -m tests.journal.hosts PORT HOSTNAME SOURCE RECORDS [ROUND [SKEW]]``:
two threads log RECORDS records each through JournalUploadHandler, the
field set of python-systemd's JournalHandler, at levels and on loggers
that follow from the record's number, so that a test can tell what each
one must read as. SKEW seconds are added to each record's time, as a host
whose clock is that far ahead would stamp it. It prints its pid when done.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from logview.journal_upload import Collector, JournalUploadHandler, journal_remote_path
from tests.command import ROOT

__all__ = [
    "LEVELS",
    "LOGGERS",
    "THREADS",
    "expected_level",
    "expected_logger",
    "journal_written_on",
    "main",
    "rotated_journals",
    "send",
    "written_journal",
]

LEVELS = (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL)
LOGGERS = ("shop", "shop.db", "shop.http.client")
THREADS = ("worker-a", "worker-b")


def expected_level(number: int) -> str:
    return logging.getLevelName(LEVELS[number % len(LEVELS)])


def expected_logger(number: int) -> str:
    return LOGGERS[number % len(LOGGERS)]


def main(argv: list[str]) -> None:
    port, hostname, source, records = int(argv[0]), argv[1], argv[2], int(argv[3])
    round_name = argv[4] if len(argv) > 4 else "r0"
    skew = float(argv[5]) if len(argv) > 5 else 0.0
    handler = JournalUploadHandler(port, hostname, source=source)
    handler.addFilter(lambda record: setattr(record, "created", record.created + skew) or True)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)

    def log(thread: str) -> None:
        for number in range(records):
            logger = logging.getLogger(expected_logger(number))
            if number % 7 == 3:
                try:
                    raise ValueError(f"bad value {number}")
                except ValueError:
                    logger.log(LEVELS[number % len(LEVELS)], "%s %s %s %d failed", hostname, round_name, thread, number, exc_info=True)
            else:
                logger.log(LEVELS[number % len(LEVELS)], "%s %s %s %d", hostname, round_name, thread, number)

    threads = [threading.Thread(target=log, args=(name,), name=name) for name in THREADS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    handler.close()
    print(os.getpid(), flush=True)


def send(collector: Collector, host: int, records: int, round_name: str = "r0", skew: float = 0.0) -> int:
    """Run tests/journal/hosts.py as host ``host-N``, sending from 127.0.0.(N+2); its pid."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.journal.hosts",
            str(collector.port),
            f"host-{host}",
            f"127.0.0.{host + 2}",
            str(records),
            round_name,
            str(skew),
        ],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return int(done.stdout.decode().split()[-1])


if __name__ == "__main__":
    main(sys.argv[1:])


def written_journal(collector: Collector, scratch: Path, host: str, entries: list[bytes]) -> Path:
    """``entries`` (export format) written by systemd-journal-remote itself into the collector's directory as ``remote-HOST.journal``."""
    return journal_written_on(Path(collector.directory) / f"remote-{host}.journal", scratch, entries)


def journal_written_on(journal: Path, scratch: Path, entries: list[bytes]) -> Path:
    """``entries`` (export format) written by systemd-journal-remote itself into ``journal``, after those it holds."""
    export = scratch / "entries.export"
    export.write_bytes(b"".join(entries))
    program = journal_remote_path()
    assert program is not None
    subprocess.run([program, f"--output={journal}", str(export)], check=True, capture_output=True)
    return journal


#: The size of the file system a journal is rotated in: systemd-journal-remote sizes its files from it (about 770
#: entries of 200 bytes a file in 8 MiB).
ROTATED_FS = "8m"


def rotated_journals(directory: Path, host: str, entries: list[bytes], scratch: Path) -> list[Path]:
    """``entries`` written by systemd-journal-remote as ``remote-HOST.journal`` and the files it sets aside as each fills.

    Its files are sized from their file system's size, so it writes into a
    small one of its own (a tmpfs in a mount namespace of its own: root,
    as .ci/run is), and the files are copied into ``directory``; skipped
    where a mount namespace cannot be made. Returns the files, oldest first.
    """
    program = journal_remote_path()
    if program is None or shutil.which("unshare") is None:
        pytest.skip("systemd-journal-remote or unshare is not installed")
    export, mounted = scratch / f"{host}.export", scratch / f"{host}-fs"
    export.write_bytes(b"".join(entries))
    mounted.mkdir()
    directory.mkdir(parents=True, exist_ok=True)
    script = 'mount -t tmpfs -o size="$1" tmpfs "$2" && "$3" --output="$2/remote-$4.journal" "$5" 2>/dev/null; cp -a "$2"/. "$6"/'
    done = subprocess.run(
        ["unshare", "--mount", "sh", "-c", script, "sh", ROTATED_FS, str(mounted), program, host, str(export), str(directory)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip(f"no mount namespace for a small file system: {done.stderr.decode(errors='replace').strip()}")
    written = sorted(directory.glob(f"remote-{host}@*.journal")) + [directory / f"remote-{host}.journal"]
    assert len(written) > 2, "systemd-journal-remote set no file aside"
    return written
