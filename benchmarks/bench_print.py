"""``--print`` against lnav and ``grep -c``, side by side, at three file sizes (issue 14).

    python benchmarks/bench_print.py                          # small, 1M and 10M, 3 runs
    python benchmarks/bench_print.py --runs 5 --sizes small,1m
    python benchmarks/bench_print.py --logview /tmp/lvbench/bin/logview

Three kinds of work, each a fresh process writing to /dev/null: every record
(``logview --print``, ``lnav -n``), ERROR and above (``--level ERROR``,
``:set-min-log-level error``) and a text search (``--grep``, ``:filter-in``,
and ``grep -c`` for what a byte scan costs, its count written to a file: GNU
grep stops at the first match when its output is /dev/null). lnav prints its view on exit
when run headless, and needs ../shared/lnav/python_logging.json under
~/.lnav/formats/installed/ to read the corpus's format.

Runs alternate (logview, lnav, grep, logview, …) so that a busy moment of a
shared machine falls on every tool; each cell is the median of its runs.
Before the timed runs each command runs once with its output read here: the
records it printed are counted, so a ratio never compares two different
answers, and that run warms the page cache for the timed ones.

Prints a markdown table for BENCHMARKS.md with the command, the machine and
the versions. The small file is written by make_corpus.py when absent.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
SIZES = ("small", "1m", "10m")
#: A record's first line in the corpus's format (make_corpus.py): the lines after it, up to the next, are its traceback.
RECORD_START = re.compile(rb"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ ", re.MULTILINE)
LNAV_FORMAT = Path.home() / ".lnav" / "formats" / "installed" / "python_logging.json"
READ_SIZE = 1 << 20


@dataclass(frozen=True)
class Work:
    """One row of the table: the same records asked of each tool."""

    label: str
    logview_args: tuple[str, ...]
    lnav_commands: tuple[str, ...]
    #: The pattern ``grep -c`` counts, for the text search row only.
    grep_pattern: str | None = None


@dataclass(frozen=True)
class Run:
    """One timed process: wall seconds, CPU seconds (user + system) and peak RSS in bytes."""

    wall: float
    cpu: float
    peak_rss: int


@dataclass(frozen=True)
class Output:
    """What one process printed: its records (or grep's count), its bytes, and a digest to tell two outputs apart."""

    records: int
    size: int
    digest: str


def works(pattern: str) -> list[Work]:
    return [
        Work("`--print`", (), ()),
        Work("`--print --level ERROR`", ("--level", "ERROR"), (":set-min-log-level error",)),
        Work(f'`--print --grep "{pattern}"`', ("--grep", pattern), (f":filter-in {pattern}",), grep_pattern=pattern),
    ]


def commands(work: Work, path: str, logview: list[str], with_lnav: bool) -> dict[str, list[str]]:
    """The command line of each tool for ``work`` on ``path``, in the order they alternate."""
    tools = {"logview": [*logview, "--print", *work.logview_args, path]}
    if with_lnav:
        tools["lnav"] = ["lnav", "-n", *(part for command in work.lnav_commands for part in ("-c", command)), path]
    if work.grep_pattern is not None:
        tools["grep"] = ["grep", "-c", "-e", work.grep_pattern, path]
    return tools


def _check_exit(command: list[str], exit_code: int, errors: bytes) -> None:
    # grep says 1 when nothing matched; anything else is a failure worth stopping for.
    if exit_code not in (0, 1):
        message = errors.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        sys.exit(f"bench_print: {shlex.join(command)} failed ({exit_code}): {message[0]}")


def timed(command: list[str]) -> Run:
    """Run ``command`` with its output thrown away: its wall time, CPU time and peak RSS, from wait4.

    grep's output goes to a file, not /dev/null: GNU grep stops at the first
    match when it sees its output is /dev/null, and would not count.
    """
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryFile() as kept:
        output = kept if command[0] == "grep" else subprocess.DEVNULL
        started = time.perf_counter()
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=errors, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
        errors.seek(0)
        _check_exit(command, child.returncode, errors.read())
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024)


def counted(command: list[str], grep: bool) -> Output:
    """Run ``command`` reading its output: the records it printed (for ``grep -c``, the count it printed)."""
    if grep:
        result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, cwd=ROOT)
        _check_exit(command, result.returncode, result.stderr)
        return Output(int(result.stdout.strip() or b"0"), len(result.stdout), "")
    digest = hashlib.blake2b(digest_size=16)
    records = size = 0
    pending = b""
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, cwd=ROOT)
        assert child.stdout is not None
        while block := child.stdout.read(READ_SIZE):
            digest.update(block)
            size += len(block)
            # Only whole lines are counted: a record's start may be cut by the end of a block.
            cut = block.rfind(b"\n") + 1
            if cut:
                records += len(RECORD_START.findall(pending + block[:cut]))
                pending = block[cut:]
            else:
                pending += block
        records += len(RECORD_START.findall(pending))
        child.stdout.close()
        exit_code = child.wait()
        errors.seek(0)
        _check_exit(command, exit_code, errors.read())
    return Output(records, size, digest.hexdigest())


def small_corpus(path: Path, records: int) -> Path:
    """The small file: ``records`` records written by make_corpus.py, unless ``path`` exists already."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), "--lines", str(records), "--out", str(path)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path


def machine() -> str:
    """CPU model, cores and RAM, from /proc."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        total_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:"))
        ram = f"{total_kb / 2**20:.1f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        ram = "RAM unknown"
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{model}, {os.cpu_count()} cores, {ram}, Linux {os.uname().release}; load average at the start {load}"


def version(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except OSError as error:
        return f"unknown ({error.strerror})"
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


def seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.2f} s"


def mebibytes(value: float) -> str:
    return f"{value / 2**20:.0f} MiB"


def ratio(mine: float, theirs: float) -> str:
    return f"x{mine / theirs:.2f}" if theirs > 0 else ""


@dataclass
class Cell:
    """The runs and the counted output of one tool on one row of one file."""

    output: Output
    runs: list[Run]

    @property
    def wall(self) -> float:
        return statistics.median(run.wall for run in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(run.cpu for run in self.runs)

    @property
    def peak_rss(self) -> float:
        return statistics.median(run.peak_rss for run in self.runs)


COLUMNS = (
    "file",
    "work",
    "logview",
    "lnav",
    "logview / lnav",
    "logview peak RSS",
    "lnav peak RSS",
    "RSS logview / lnav",
    "`grep -c`",
    "logview / grep",
    "records printed: logview / lnav",
)


def table_row(file_label: str, work: Work, cells: dict[str, Cell]) -> list[str]:
    logview, lnav, grep = cells["logview"], cells.get("lnav"), cells.get("grep")
    row = [file_label, work.label, f"{seconds(logview.wall)} ({seconds(logview.cpu)} CPU)"]
    if lnav is not None:
        row += [f"{seconds(lnav.wall)} ({seconds(lnav.cpu)} CPU)", ratio(logview.wall, lnav.wall)]
        row += [mebibytes(logview.peak_rss), mebibytes(lnav.peak_rss), ratio(logview.peak_rss, lnav.peak_rss)]
    else:
        row += ["not installed", "", mebibytes(logview.peak_rss), "", ""]
    if grep is not None:
        row += [f"{seconds(grep.wall)} ({grep.output.records:,} lines)", ratio(logview.wall, grep.wall)]
    else:
        row += ["", ""]
    if lnav is None:
        row.append(f"{logview.output.records:,} / -")
    else:
        agreement = (
            "same bytes"
            if lnav.output.digest == logview.output.digest
            else ("same count, other bytes" if lnav.output.records == logview.output.records else "**DIFFER**")
        )
        row.append(f"{logview.output.records:,} / {lnav.output.records:,} ({agreement})")
    return row


def markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each tool per row; the median is reported (default 3)")
    parser.add_argument("--sizes", default=",".join(SIZES), help="which files, of small,1m,10m (default all three)")
    parser.add_argument(
        "--small", type=Path, default=Path(tempfile.gettempdir()) / "logview-bench" / "small.log", help="the small file (written if absent)"
    )
    parser.add_argument("--small-records", type=int, default=5000, help="records of the small file when it is written (default 5000)")
    parser.add_argument("--corpus-1m", default="/tmp/corpus/1m.log", help="the 1M-record corpus")
    parser.add_argument("--corpus-10m", default="/tmp/corpus/10m.log", help="the 10M-record corpus")
    parser.add_argument("--grep", default="connection reset", help='the text searched for (default "connection reset")')
    parser.add_argument(
        "--logview", default="logview", help="the logview command, as a user runs it (default: logview on PATH); may hold arguments"
    )
    args = parser.parse_args(argv)
    args.sizes = [size.strip().lower() for size in args.sizes.split(",") if size.strip()]
    unknown = [size for size in args.sizes if size not in SIZES]
    if unknown or not args.sizes:
        parser.error(f"--sizes: {', '.join(unknown) or 'none given'}: choose among {','.join(SIZES)}")
    if args.runs < 1:
        parser.error("--runs: at least 1")
    return args


def refuse(message: str) -> NoReturn:
    """Bad arguments: one line, as argparse says its own, and status 2."""
    print(f"bench_print: {message}", file=sys.stderr)
    sys.exit(2)


def main(argv: list[str] | None = None) -> None:
    args = parse_arguments(argv)
    logview = shlex.split(args.logview)
    if shutil.which(logview[0]) is None:
        refuse(f"{logview[0]}: not found (install logview with pip install ., or give --logview PATH)")
    with_lnav = shutil.which("lnav") is not None
    files: list[tuple[str, str]] = []
    for size in args.sizes:
        if size == "small":
            path = str(small_corpus(args.small, args.small_records))
        else:
            path = args.corpus_1m if size == "1m" else args.corpus_10m
            if not os.path.isfile(path):
                lines = 1_000_000 if size == "1m" else 10_000_000
                refuse(f"{path}: not found; write it with python benchmarks/make_corpus.py --lines {lines} --out {path}")
        files.append((f"{size}, {os.path.getsize(path) / 1e6:.1f} MB", path))

    print(f"### `--print` against lnav and `grep -c` ({datetime.date.today().isoformat()})\n")
    print(f"Command: `python benchmarks/bench_print.py {shlex.join(sys.argv[1:] if argv is None else argv)}`  ")
    print(f"Machine: {machine()}  ")
    lnav_version = version(["lnav", "-V"]) if with_lnav else "not installed"
    print(
        f"Versions: {version([*logview, '--version'])} (`{shutil.which(logview[0])}{' ' if len(logview) > 1 else ''}{shlex.join(logview[1:])}`), {lnav_version}, {version(['grep', '--version'])}  "
    )
    if with_lnav and not LNAV_FORMAT.exists():
        print(f"**lnav has no {LNAV_FORMAT}: copy ../shared/lnav/python_logging.json there, or it cannot read the levels.**  ")
    print(
        f"Median of {args.runs} alternating run(s) per cell (logview, lnav, grep -c, logview, …), each a fresh process writing to "
        "/dev/null: wall time (CPU time, user + system) and peak RSS from wait4. Records counted in one more run of each, "
        "before the timed ones.\n"
    )
    rows = []
    mismatches = []
    for file_label, path in files:
        plan = [(work, commands(work, path, logview, with_lnav)) for work in works(args.grep)]
        outputs = {(work.label, tool): counted(command, tool == "grep") for work, tools in plan for tool, command in tools.items()}
        runs: dict[tuple[str, str], list[Run]] = {key: [] for key in outputs}
        for _ in range(args.runs):
            for work, tools in plan:
                for tool, command in tools.items():
                    runs[work.label, tool].append(timed(command))
        for work, tools in plan:
            cells = {tool: Cell(outputs[work.label, tool], runs[work.label, tool]) for tool in tools}
            rows.append(table_row(file_label, work, cells))
            if "lnav" in cells and cells["lnav"].output.records != cells["logview"].output.records:
                mismatches.append(f"{file_label}, {work.label}")
    print(markdown(rows))
    if mismatches:
        sys.exit(f"bench_print: lnav and logview printed different numbers of records: {'; '.join(mismatches)}")


if __name__ == "__main__":
    main()
