"""benchmarks/bench_print.py, run tiny: the table it prints for BENCHMARKS.md, and lnav and logview agreeing on each row.

The benchmark compares times only where both tools printed the same records,
so its own counting is held here to the file it wrote: every record of the
corpus for ``--print``, and grep's count for the text search.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.command import ROOT

SCRIPT = ROOT / "benchmarks" / "bench_print.py"
RECORDS = 1000
RECORD_START = re.compile(rb"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ ", re.MULTILINE)


def run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120, cwd=ROOT)


def table(output: str) -> list[list[str]]:
    """The markdown table's rows, header first, each as its cells."""
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in output.splitlines() if line.startswith("|")]


def counts(cell: str) -> tuple[str, str, str]:
    """A row's records printed by logview and by lnav (``-`` without lnav), and whether their output agreed."""
    match = re.fullmatch(r"([\d,]+) / ([\d,]+|-)(?: \((.*)\))?", cell)
    assert match, cell
    return match[1], match[2], match[3] or ""


def test_a_tiny_run_prints_the_table_with_lnav_and_logview_agreeing_on_every_row(tmp_path: Path) -> None:
    small = tmp_path / "small.log"
    result = run_bench(
        "--runs",
        "1",
        "--sizes",
        "small",
        "--small",
        str(small),
        "--small-records",
        str(RECORDS),
        "--logview",
        f"{sys.executable} -m logview",
    )
    assert result.returncode == 0, result.stderr

    text = small.read_bytes()
    assert len(RECORD_START.findall(text)) == RECORDS  # written by make_corpus.py, as it was absent
    for heading in ("Command: `python benchmarks/bench_print.py --runs 1 --sizes small", "Machine: ", "Versions: logview "):
        assert heading in result.stdout
    header, separator, *rows = table(result.stdout)
    assert header[:4] == ["file", "work", "logview", "lnav"] and header[-1] == "records printed: logview / lnav"
    assert separator == ["---"] * len(header)
    assert [row[1] for row in rows] == ["`--print`", "`--print --level ERROR`", '`--print --grep "connection reset"`']
    assert all(len(row) == len(header) and row[0].startswith("small, ") for row in rows)
    column = dict(zip(header, zip(*rows, strict=True), strict=True))
    assert all(re.fullmatch(r"\d+\.\d{3} s \(\d+\.\d{3} s CPU\)", cell) for cell in column["logview"])

    printed = [counts(cell) for cell in column["records printed: logview / lnav"]]
    assert printed[0][0] == f"{RECORDS:,}"
    grep_lines = sum(b"connection reset" in line for line in text.splitlines())
    assert column["`grep -c`"][:2] == ("", "")
    assert re.fullmatch(rf"\d+\.\d{{3}} s \({grep_lines:,} lines\)", column["`grep -c`"][2])
    assert re.fullmatch(r"x\d+\.\d\d", column["logview / grep"][2])
    if shutil.which("lnav") is None:
        assert column["lnav"] == ("not installed",) * 3
        return
    for logview, lnav, agreement in printed:
        assert logview == lnav and agreement == "same bytes"
    assert all(re.fullmatch(r"x\d+\.\d\d", cell) for cell in column["logview / lnav"] + column["RSS logview / lnav"])


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--sizes", "small,huge"), "--sizes: huge: choose among small,1m,10m"),
        (
            ("--sizes", "1m", "--corpus-1m", "/nonexistent/1m.log"),
            "/nonexistent/1m.log: not found; write it with python benchmarks/make_corpus.py",
        ),
        (("--logview", "/nonexistent/logview"), "/nonexistent/logview: not found"),
    ],
)
def test_bad_arguments_are_said_in_one_line(args: tuple[str, ...], said: str) -> None:
    result = run_bench("--logview", f"{sys.executable} -m logview", *args)
    assert result.returncode == 2
    assert said in result.stderr and "Traceback" not in result.stderr
