"""Reading a journal into the index against ``journalctl -o json`` writing it to /dev/null, side by side (issue 16).

    python benchmarks/bench_journal.py                     # 1M entries from 3 hosts, 3 runs
    python benchmarks/bench_journal.py --entries 100000 --runs 5
    python benchmarks/bench_journal.py --logview /tmp/lvbench/bin/logview

The corpus is a systemd-journal-remote directory, one journal file per host,
written by the collector itself from export streams made here: the fields
python-systemd's JournalHandler writes and those journald adds, one entry
in twenty with a traceback (a binary field in the export format). It is
made once and kept in the temporary directory.

Three kinds of work, each a fresh process writing to /dev/null: every entry
(``logview --print --journal DIR`` against ``journalctl --directory DIR -o
json``), one host (``--host``, against journalctl's ``_HOSTNAME=`` match) and
ERROR and above (``--level ERROR``, against ``--priority=0..3``). Runs
alternate between the two tools, each cell is the median of its runs, and
the entries each printed are counted first, so that a ratio never compares
two different answers. logview's peak RSS is its own (VmHWM at exit);
journalctl's, its rusage's, is mostly the journal files it maps.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from logview.journal_upload import export_entry, journal_remote_path

LOGGERS = ("app", "app.db", "app.http", "app.worker.jobs", "urllib3.connectionpool")
PRIORITIES = (7, 6, 6, 6, 6, 6, 4, 3)


def make_corpus(directory: Path, entries: int, hosts: int) -> None:
    """``entries`` entries over ``hosts`` journal files, written by systemd-journal-remote from export streams."""
    program = journal_remote_path()
    if program is None:
        sys.exit("systemd-journal-remote is not installed (apt-get install systemd-journal-remote)")
    directory.mkdir(parents=True)
    chooser = random.Random(16)
    start = 1_796_500_000_000_000
    for host in range(1, hosts + 1):
        stream = directory / f"host-{host}.export"
        with stream.open("wb") as out:
            for number in range(host - 1, entries, hosts):
                message = f"request {number} handled in {chooser.random() * 100:.2f} ms for user {chooser.randint(1, 10000)}"
                if number % 20 == 7:
                    message += f'\nTraceback (most recent call last):\n  File "/srv/app/handlers.py", line 88, in handle\nValueError: bad id {number}'
                fields = {
                    "__REALTIME_TIMESTAMP": str(start + number * 1000),
                    "__MONOTONIC_TIMESTAMP": str(number * 1000 + 1),
                    "_BOOT_ID": f"{host:032x}",
                    "_TRANSPORT": "journal",
                    "_UID": "1000",
                    "_COMM": "python3",
                    "_EXE": "/usr/bin/python3.11",
                    "_CMDLINE": f"python3 -m myservice --worker {number % 4}",
                    "_HOSTNAME": f"host-{host}",
                    "_PID": str(1000 + number % 4),
                    "_SYSTEMD_UNIT": "myservice.service",
                    "SYSLOG_IDENTIFIER": "myservice",
                    "PRIORITY": str(PRIORITIES[number % len(PRIORITIES)]),
                    "LOGGER": LOGGERS[number % len(LOGGERS)],
                    "THREAD_NAME": f"Thread-{number % 3}",
                    "PROCESS_NAME": f"Worker-{number % 4}",
                    "CODE_FILE": "/srv/app/handlers.py",
                    "CODE_LINE": str(100 + number % 50),
                    "CODE_FUNC": "handle",
                    "MESSAGE": message,
                }
                out.write(export_entry(fields))
        subprocess.run([program, f"--output={directory}/remote-host-{host}.journal", str(stream)], check=True, capture_output=True)
        stream.unlink()


#: Runs logview's command line and writes its own peak RSS (KiB) last on stderr: a waited-for child's rusage would
#: count the journalctl it runs, whose resident set is mostly the journal files it maps.
OWN_PEAK = (
    "import atexit, sys; "
    "atexit.register(lambda: sys.stderr.write(open('/proc/self/status').read().split('VmHWM:')[1].split()[0] + '\\n')); "
    "from logview.cli import main; sys.argv[0] = 'logview'; sys.exit(main())"
)


def timed(command: list[str], own_peak: bool) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of one run, its output to /dev/null: the process's own peak, or its rusage's."""
    before = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE)
        said = process.stderr.read() if process.stderr is not None else b""
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - before
    if status:
        sys.exit(f"failed: {shlex.join(command)}")
    return seconds, int(said.split()[-1]) if own_peak else usage.ru_maxrss


def logview_command(logview: str) -> list[str]:
    """logview's command line run by its own interpreter with OWN_PEAK (the script's first line names the interpreter)."""
    with open(logview, "rb") as script:
        interpreter = script.readline().decode().removeprefix("#!").strip()
    return [interpreter, "-c", OWN_PEAK]


#: A record's first line as logview prints a journal's: its time, then a tab.
RECORD_START = re.compile(rb"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\t", re.MULTILINE)


def entries_printed(command: list[str], json_lines: bool) -> int:
    """What a command prints, counted as it comes (10M entries of JSON are 8 GB): JSON lines, or logview's records' first lines."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    count, rest = 0, b""
    while chunk := process.stdout.read(1 << 20):
        data = rest + chunk
        end = data.rfind(b"\n") + 1
        lines, rest = data[:end], data[end:]
        count += lines.count(b"\n") if json_lines else len(RECORD_START.findall(lines))
    if process.wait():
        sys.exit(f"failed: {shlex.join(command)}")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--hosts", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--logview", default=shutil.which("logview") or "logview", help="an installed logview command")
    args = parser.parse_args()
    corpus = Path(tempfile.gettempdir()) / f"logview-bench-journal-{args.entries}-{args.hosts}"
    if not corpus.exists():
        print(f"writing {corpus} …", file=sys.stderr)
        make_corpus(corpus, args.entries, args.hosts)
    journalctl = ["journalctl", "--no-pager", "--directory", str(corpus), "-o", "json"]
    logview = [*logview_command(args.logview), "--print", "--journal", str(corpus)]
    works = (
        ("every entry", [], []),
        ("one host (--host host-2)", ["--host", "host-2"], ["_HOSTNAME=host-2"]),
        ("ERROR and above (--level ERROR)", ["--level", "ERROR"], ["--priority=0..3"]),
    )
    print(f"{args.entries:,} entries, {args.hosts} hosts; {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"command: python benchmarks/bench_journal.py --entries {args.entries} --hosts {args.hosts} --runs {args.runs}\n")
    print("| work | entries | logview | journalctl -o json | ratio | logview peak RSS | journalctl RSS (mapped files) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, ours, theirs in works:
        counted = entries_printed([*logview, *ours], json_lines=False)
        their_count = entries_printed([*journalctl, *theirs], json_lines=True)
        if counted != their_count:
            sys.exit(f"{label}: logview printed {counted:,} entries, journalctl {their_count:,}")
        times: dict[str, list[float]] = {"logview": [], "journalctl": []}
        memory: dict[str, list[int]] = {"logview": [], "journalctl": []}
        for _ in range(args.runs):
            for name, command in (("logview", [*logview, *ours]), ("journalctl", [*journalctl, *theirs])):
                seconds, rss = timed(command, own_peak=name == "logview")
                times[name].append(seconds)
                memory[name].append(rss)
        ours_s, theirs_s = statistics.median(times["logview"]), statistics.median(times["journalctl"])
        print(
            f"| {label} | {counted:,} | {ours_s:.2f} s | {theirs_s:.2f} s | ×{ours_s / theirs_s:.2f} "
            f"| {max(memory['logview']) / 1024:.0f} MiB | {max(memory['journalctl']) / 1024:.0f} MiB |"
        )


if __name__ == "__main__":
    main()
