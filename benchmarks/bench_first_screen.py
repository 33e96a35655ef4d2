"""Time from launch until the first screen of log records is on the terminal: logview and lnav, side by side.

    python benchmarks/bench_first_screen.py                         # sample_logs/* and /tmp/corpus/10m.log, 160x45, 3 runs each
    python benchmarks/bench_first_screen.py --size 80x24
    python benchmarks/bench_first_screen.py --runs 5 'logs/app.log*' /tmp/corpus/1m.log
    python benchmarks/bench_first_screen.py --logview '/tmp/wheel-venv/bin/logview' --timeout 120

Each corpus spec (a path or a glob, expanded here, relative to the current
directory or else to the repository's root) is one corpus; both tools get the
same expanded paths, in sorted order, as a shell would give them. The default
corpora are ``sample_logs/*`` and ``/tmp/corpus/10m.log`` when it exists. For
each corpus the tools run alternately (lnav, logview, lnav, logview, ...),
``--runs`` times each, each run in a fresh, private tmux server
(``tmux -L <unique socket> -f <own config> new-session -d -x W -y H``), as a
user runs them: interactively, in a terminal of that size. The logview command
is the ``logview`` next to the running Python unless ``--logview`` gives
another; lnav's is ``lnav PATHS`` (``--lnav``), and its version is printed.

What is measured, and how:

- Launch: the pane runs ``sh -c 'date +%s.%N > START; exec CMD PATHS'``, and
  the launch time is the one written in START. It is the more honest of the
  two origins: taking ``time.time()`` here right before ``new-session`` also
  counts tmux's own start (the server's fork, its socket, the pty: about
  10-20 ms, printed as "tmux start"), which a user's terminal has already
  paid, and which would add the same constant to both tools and pull their
  ratio towards 1. The wrapper's cost after its stamp (``sh`` waiting for
  ``date``, then the ``exec``) is counted against the tool; an upper bound of
  it is measured (a ``date`` in a ``sh`` exec'd by the same wrapper) and
  printed as "wrapper gap".
- The screen is read with ``capture-pane -p``, which returns tmux's grid of
  the pane: what the pane's program has written and tmux has parsed, the text
  a terminal would show, with no terminal's own drawing in the way. It is
  polled every ``--poll-ms`` (default 2 ms) through one control-mode client
  (``tmux -C attach``, its output notifications off): a round trip of
  0.1-0.2 ms, where spawning ``tmux capture-pane -p`` for each poll takes
  3-4 ms of CPU, which on a 2-core machine would take most of a core from the
  tools being measured. Both round trips are measured and printed, and so is
  the CPU the poller and the tmux server used.
- Records on screen (``record_rows``, ``is_first_screen``): at least ``--rows``
  (default 5) screen rows that each show a line of the corpus's records, one
  of them at least a record's first line. A first line: a timestamp
  ``\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d`` within the corpus's time span (a
  minute either side), or a time of day with its fraction as a row's first
  field (logview's narrow panes leave the date to the status bar) falling in
  that span, followed, on that row, by a word (3+ characters, starting with
  a letter) that occurs in the corpus's records. A
  continuation line (a traceback's): the first 30 characters of a line
  without a timestamp, of 12 characters or more. Both are sampled from the
  first and last 200 lines of each file. Continuation lines count because
  the end of ``sample_logs/*`` is tracebacks: lnav at 80x24 shows only 4
  first lines of records there. A status bar, a clock, a splash or a
  progress line is not a row of records; the same test is applied to both
  tools' screens. The time reported is the middle of the round trip of
  the first capture that passes. A capture can land in the middle of a frame
  (a program writes a screen in several writes, and tmux parses what has
  arrived), so a first screen may be partly drawn: the number of its record
  rows is printed.
- The newest record on screen (``newest_row``): a screen that passes that
  test, with a record row whose timestamp is that of the corpus's newest
  record (to the precision the row shows it, ``,`` or ``.`` before the
  fraction alike; records that share that timestamp count alike). This is
  for viewers that open at the end of the file, as lnav and ``tail -f`` do.
  A run stops waiting for it once the record rows have not changed and the
  tool has used under 5 % of a core for ``--settle`` seconds (default 2): the
  tool is not going to show it. For the first run of each tool, the first
  and last rows with a timestamp of its first screen (and the newest
  record's row) are printed, for a reader to check the test, and whether
  that screen has the oldest or the newest record (where the tool opened).
- The pane's environment is the same for both: ``TERM`` from the server's
  ``default-terminal`` (``--term``, default tmux-256color), ``LANG=C.UTF-8``,
  no ``LC_*``, ``COLORTERM``, ``TMUX``; tmux's status line off, so that the
  pane is exactly W x H. They are printed from inside a pane, with ``stty size``.
  A run whose window was resized (a ``window-resized`` hook sets a flag) says
  so: the control client attaches with ``ignore-size`` for it not to be.
  (``window-size manual`` would be the other way; it makes tmux 3.3a's
  server exit at ``new-session -d``.)
- A run ends at ``--timeout`` seconds (default 60), said so in its line; the
  tmux server is then killed (SIGHUP to the tool), and the tool's process
  waited for (SIGKILL after 5 s), so that no run overlaps the next.

Limits:

- Granularity: a screen complete between two captures is seen at the second;
  the interval between captures during the runs is measured and printed
  (median, 95th percentile, largest). The latency from a program's write to
  tmux's grid (the server reading the pty and parsing it) is measured with
  ``date`` writing its stamp into a pane ("write-to-capture latency"), which
  includes half a poll interval on average.
- tmux is the terminal here: a real terminal emulator's own parsing and
  drawing (a few ms, more for a full-screen redraw over ssh) comes on top for
  both tools, and is not measured.
- The poller runs on the same machine and takes a little CPU (under 10 % of
  a core, printed) from the tools.
- The page cache is as the previous runs left it: the first run of a corpus
  may read it from disk. The runs alternate so that drift (other load, CPU
  frequency) falls on both tools alike.
- lnav keeps its state under ~/.lnav between runs; nothing is done to make
  either tool's runs cold.
"""

from __future__ import annotations

import argparse
import bz2
import collections
import contextlib
import datetime
import glob
import gzip
import io
import lzma
import os
import re
import select
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SESSION = "bench"
# A record's timestamp as the files and both tools' screens show it; the fraction is optional.
STAMP = re.compile(r"(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:[.,](\d{1,9}))?")
# The time of day alone, as logview's narrow panes show it (the date is in the status bar): a row's first field.
CLOCK = re.compile(r"^[^\d]{0,40}?(\d\d:\d\d:\d\d)[.,](\d{1,9})\b")
WORD = re.compile(r"[A-Za-z_]\w{2,}")
SAMPLE_LINES = 200
CONTINUATION_MIN, CONTINUATION_PREFIX = 12, 30  # a continuation line of 12+ characters, known by its first 30
SLACK = datetime.timedelta(minutes=1)  # records in the middle of a file may be a little out of order
WRAPPER = 'date +%s.%N > "$1"; shift; exec "$@"'


# --- corpora ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    spec: str
    paths: tuple[Path, ...]
    words: frozenset[str]
    oldest: str
    newest: str
    continuation: re.Pattern[str] | None  # the sampled lines without a timestamp (a traceback's), by their start

    @property
    def earliest(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.oldest[:19]) - SLACK

    @property
    def latest(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.newest[:19]) + SLACK

    def holds_time_of_day(self, clock: str) -> bool:
        """Whether a time of day (``HH:MM:SS``) falls in the corpus's span, on one of its days."""
        day = self.earliest.date()
        while day <= self.latest.date():
            if self.earliest <= datetime.datetime.fromisoformat(f"{day} {clock}") <= self.latest:
                return True
            day += datetime.timedelta(days=1)
        return False

    @property
    def size(self) -> int:
        return sum(path.stat().st_size for path in self.paths)


def normalized(match: re.Match[str]) -> str:
    """A timestamp as ``YYYY-MM-DD HH:MM:SS[.fff]``, whatever the separators."""
    date, clock, fraction = match.groups()
    return f"{date} {clock}" + (f".{fraction}" if fraction else "")


def open_bytes(path: Path) -> io.BufferedIOBase:
    """The file's bytes, decompressed when its magic says gzip, bzip2 or xz."""
    with path.open("rb") as raw:
        magic = raw.read(6)
    if magic[:2] == b"\x1f\x8b":
        return gzip.open(path, "rb")
    if magic[:3] == b"BZh":
        return bz2.open(path, "rb")
    if magic == b"\xfd7zXZ\x00":
        return lzma.open(path, "rb")
    return path.open("rb")


def sample_lines(path: Path) -> tuple[list[str], list[str]]:
    """The first and the last ``SAMPLE_LINES`` lines of a file (a compressed one is read through)."""
    with open_bytes(path) as stream:
        head = [stream.readline().decode("utf-8", "replace") for _ in range(SAMPLE_LINES)]
        if isinstance(stream, gzip.GzipFile | bz2.BZ2File | lzma.LZMAFile):
            tail: collections.deque[bytes] = collections.deque(maxlen=SAMPLE_LINES)
            for line in stream:
                tail.append(line)
            lines = list(tail)
        else:
            end = stream.seek(0, os.SEEK_END)
            stream.seek(max(0, end - 256 * 1024))
            lines = stream.read().splitlines()[-SAMPLE_LINES:]
    return [line for line in head if line], [line.decode("utf-8", "replace") for line in lines]


def make_corpus(spec: str, paths: Sequence[Path]) -> Corpus:
    words: set[str] = set()
    stamps: list[str] = []
    continued: set[str] = set()
    for path in paths:
        head, tail = sample_lines(path)
        for line in head + tail:
            match = STAMP.search(line)
            if match:
                words.update(WORD.findall(line, match.end()))
                stamps.append(normalized(match))
            elif len(text := line.strip()) >= CONTINUATION_MIN:
                continued.add(text[:CONTINUATION_PREFIX])
    if not stamps:
        sys.exit(f"{spec}: no line with a timestamp in the first or last {SAMPLE_LINES} lines of its files")
    continuation = re.compile("|".join(map(re.escape, sorted(continued)))) if continued else None
    return Corpus(spec, tuple(paths), frozenset(words), min(stamps), max(stamps), continuation)


def expand(spec: str) -> list[Path]:
    """A path or glob, relative to the current directory, or else to the repository's root."""
    for base in (Path.cwd(), ROOT):
        pattern = spec if os.path.isabs(spec) else str(base / spec)
        found = sorted(Path(name) for name in glob.glob(pattern) if Path(name).is_file())
        if found:
            return found
    sys.exit(f"{spec}: no such file")


# --- what counts as records on screen -------------------------------------------------------------------------------


def record_rows(screen: Sequence[str], corpus: Corpus) -> list[str]:
    """The rows that show lines of the corpus's records.

    A record's first line: a timestamp within the corpus's time span (a minute either side), then on the same row a
    word that occurs in the corpus's records; a clock, a status or progress bar, a splash is not one. Or one of its
    continuation lines (a traceback's): a row that shows the start of a sampled line without a timestamp.
    """
    rows = []
    for row in screen:
        match = STAMP.search(row)
        clock = None if match else CLOCK.search(row)
        if match:
            if corpus.earliest <= datetime.datetime.fromisoformat(f"{match[1]} {match[2]}") <= corpus.latest and any(
                word in corpus.words for word in WORD.findall(row, match.end())
            ):
                rows.append(row)
        elif clock:
            # A time of day with its fraction (a clock or a histogram's axis has none), then a word of the records.
            if corpus.holds_time_of_day(clock[1]) and any(word in corpus.words for word in WORD.findall(row, clock.end())):
                rows.append(row)
        elif corpus.continuation is not None and corpus.continuation.search(row):
            rows.append(row)
    return rows


def stamped(rows: Sequence[str]) -> list[str]:
    """The rows that show a record's first line (with its timestamp, or its time of day)."""
    return [row for row in rows if STAMP.search(row) or CLOCK.search(row)]


def is_first_screen(found: Sequence[str], rows: int) -> bool:
    """Whether a screen's rows of records make a first screen of records: at least ``rows``, one with a timestamp.

    Rows of continuation lines count: at the end of a file of tracebacks, a 24-row terminal shows fewer than 5
    first lines of records.
    """
    return len(found) >= rows and bool(stamped(found))


def row_stamp(row: str) -> str:
    """A row's timestamp as ``normalized`` gives it, or its time of day alone (``HH:MM:SS.fff``) when it shows no date."""
    match = STAMP.search(row)
    if match is not None:
        return normalized(match)
    clock = CLOCK.search(row)
    assert clock is not None
    return f"{clock[1]}.{clock[2]}"


def newest_row(found: Sequence[str], corpus: Corpus) -> str | None:
    """The record row that shows the corpus's newest record (its timestamp, to the precision the row shows)."""
    for row in stamped(found):
        stamp = row_stamp(row)
        newest = corpus.newest if len(stamp) > 8 and stamp[4] == "-" else corpus.newest[11:]
        if newest == stamp or (len(stamp) < len(newest) and newest.startswith(stamp)):
            return row
    return None


# --- tmux -----------------------------------------------------------------------------------------------------------


def pane_environment() -> dict[str, str]:
    """The environment tmux's server starts with, hence the panes': LANG=C.UTF-8 and nothing that differs by caller."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("LC_") and name not in ("LANG", "LANGUAGE", "COLORTERM", "TMUX", "TMUX_PANE", "TERM_PROGRAM")
    }
    env["LANG"] = "C.UTF-8"
    return env


class Control:
    """A control-mode client of one tmux server: commands answered over a pipe, without a process per command.

    It attaches with ``ignore-size`` (else tmux may size the window to the client, 80 columns by nothing, for a
    moment: the pane's program sees a resize, and its first lines go to the history) and ``no-output`` (no copy of
    the pane's output to read). Every answer is waited for at most ``timeout`` seconds.
    """

    def __init__(self, socket: str, env: dict[str, str], timeout: float = 10.0) -> None:
        self.proc = subprocess.Popen(
            ["tmux", "-L", socket, "-C", "attach-session", "-f", "ignore-size,no-output", "-t", SESSION],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            bufsize=0,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.socket = socket
        self.stdin = self.proc.stdin
        self.fd = self.proc.stdout.fileno()
        self.buffer = b""
        self.timeout = timeout
        # Commands sent before the attach is done are answered "no current client": wait for it.
        while not (line := self.line()).startswith("%session-changed"):
            if line.startswith("%exit"):
                raise EOFError(f"tmux -L {socket}: the control client could not attach")

    def line(self) -> str:
        deadline = time.monotonic() + self.timeout
        while (end := self.buffer.find(b"\n")) < 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
                raise TimeoutError(f"tmux's control client said nothing for {self.timeout:g} s")
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                raise EOFError("tmux's control client ended")
            self.buffer += chunk
        line, self.buffer = self.buffer[:end], self.buffer[end + 1 :]
        return line.decode("utf-8", "replace")

    def command(self, line: str) -> list[str]:
        """The output of one command; a block whose flags are 1 is the answer to this client's command."""
        self.stdin.write(line.encode() + b"\n")
        output: list[str] | None = None
        while True:
            text = self.line()
            if output is None:
                if text.startswith("%begin ") and text.endswith(" 1"):
                    output = []
            elif (text.startswith("%end ") or text.startswith("%error ")) and text.endswith(" 1"):
                if text.startswith("%error "):
                    raise RuntimeError(f"tmux: {line!r}: {' '.join(output)}")
                return output
            else:
                output.append(text)

    def close(self) -> None:
        """Read the client's output to its end: a client whose stdout is closed under it does not exit (tmux ignores SIGPIPE)."""
        try:
            self.proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()


@dataclass
class Tmux:
    """One fresh tmux server running one command in a W x H pane through the launch-stamping wrapper."""

    width: int
    height: int
    term: str
    workdir: Path
    counter: int = 0

    def __post_init__(self) -> None:
        self.env = pane_environment()
        self.config = self.workdir / "tmux.conf"
        # A resize during a run (SIGWINCH, a redraw) would be counted: the hook marks it, and the run says so.
        self.config.write_text(
            f'set -g default-terminal "{self.term}"\nset -g status off\nset -g remain-on-exit on\n'
            'set-hook -g window-resized "set -g @resized 1"\n'
        )

    def start(self, command: Sequence[str]) -> tuple[str, Path, float]:
        """Start a server running ``command``: its socket name, its launch-stamp file and the time just before tmux ran."""
        self.counter += 1
        socket = f"bench-first-screen-{os.getpid()}-{self.counter}"
        stamp = self.workdir / f"start-{self.counter}"
        argv = ["tmux", "-L", socket, "-f", str(self.config), "new-session", "-d", "-s", SESSION]
        argv += ["-x", str(self.width), "-y", str(self.height), "-e", "LANG=C.UTF-8", "sh", "-c", WRAPPER, "sh", str(stamp), *command]
        before = time.time()
        subprocess.run(argv, env=self.env, check=True)
        return socket, stamp, before

    def stop(self, socket: str, control: Control | None) -> None:
        """Kill the server (SIGHUP to the pane's program); wait until both are gone, so that no run overlaps the next.

        tmux 3.3a leaves its socket behind after ``kill-server``: it is removed here.
        """
        pids: list[int] = []
        path: Path | None = None
        if control is not None:
            with contextlib.suppress(EOFError, TimeoutError, RuntimeError, ValueError, IndexError):
                answer = control.command(f"display-message -p -t {SESSION} '#{{pid}} #{{pane_pid}} #{{socket_path}}'")[0]
                server, pane_pid, where = answer.split(" ", 2)
                pids, path = [int(server), int(pane_pid)], Path(where)
        subprocess.run(["tmux", "-L", socket, "kill-server"], env=self.env, capture_output=True, check=False)
        if control is not None:
            control.close()
        for pid in pids:
            deadline = time.monotonic() + 5
            while alive(pid):
                if time.monotonic() > deadline:
                    os.kill(pid, signal.SIGKILL)
                    deadline = float("inf")
                time.sleep(0.01)
        if path is None:
            path = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}" / socket
        if path.name == socket and path.is_socket():
            path.unlink()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process (all its threads) and its waited-for children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def read_stamp(path: Path) -> float | None:
    try:
        return float(path.read_text())
    except (FileNotFoundError, ValueError):
        return None


# --- one run --------------------------------------------------------------------------------------------------------


@dataclass
class Run:
    tool: str
    number: int
    first_screen: float | None = None  # seconds after launch
    newest: float | None = None
    tmux_start: float | None = None  # from just before new-session to the wrapper's stamp
    note: str = ""
    rows: list[str] = field(default_factory=list)  # the record rows of the first screen
    newest_row: str | None = None
    intervals: list[float] = field(default_factory=list)  # between the starts of consecutive captures
    busy: float = 0.0  # seconds of polling
    poller_cpu: float = 0.0  # CPU seconds of this process while polling, and of the tmux server
    server_cpu: float = 0.0

    def describe(self) -> str:
        first = f"{self.first_screen:7.3f} s" if self.first_screen is not None else "      -  "
        newest = f"{self.newest:7.3f} s" if self.newest is not None else "      -  "
        line = f"  {self.number:>3}  {self.tool:<8} {first}     {newest}"
        return line + (f"     {self.note}" if self.note else "")


def pane_size_note(control: Control, tmux: Tmux) -> str:
    """Nothing when the pane has the size asked for and was never resized, else a note."""
    size, *resized = control.command(f"display-message -p -t {SESSION} '#{{pane_width}}x#{{pane_height}} #{{@resized}}'")[0].split()
    note = "" if size == f"{tmux.width}x{tmux.height}" else f"pane was {size}, not {tmux.width}x{tmux.height}; "
    return note + ("the window was resized; " if resized else "")


def run_once(tmux: Tmux, tool: str, number: int, command: Sequence[str], corpus: Corpus, args: argparse.Namespace) -> Run:
    run = Run(tool, number)
    socket, stamp_file, before = tmux.start([*command, *map(str, corpus.paths)])
    control: Control | None = None
    first_at: float | None = None
    newest_at: float | None = None
    try:
        control = Control(socket, tmux.env)
        server, pid = map(int, control.command(f"display-message -p -t {SESSION} '#{{pid}} #{{pane_pid}}'")[0].split())
        run.note = pane_size_note(control, tmux)
        begun = time.monotonic()
        poller_cpu, server_cpu = time.process_time(), cpu_seconds(server)
        previous_start: float | None = None
        last_rows: list[str] = []
        last_screen: list[str] = []
        found: list[str] = []
        changed_at = begun
        cpu_marks: collections.deque[tuple[float, float]] = collections.deque()
        next_check = begun
        while True:
            sent = time.time()
            screen = control.command(f"capture-pane -p -t {SESSION}")
            taken = (sent + time.time()) / 2
            if previous_start is not None:
                run.intervals.append(sent - previous_start)
            previous_start = sent
            now = time.monotonic()
            if screen != last_screen:  # most captures are of an unchanged screen: not looked at again
                last_screen, found = screen, record_rows(screen, corpus)
            if is_first_screen(found, args.rows):
                if first_at is None:
                    first_at, run.rows = taken, found
                if newest_at is None and (row := newest_row(found, corpus)) is not None:
                    newest_at, run.newest_row = taken, row
                if newest_at is not None:
                    break
            if found != last_rows:
                last_rows, changed_at = found, now
            if now >= next_check:
                next_check = now + 0.1
                cpu_marks.append((now, cpu_seconds(pid)))
                while cpu_marks and cpu_marks[0][0] < now - args.settle:
                    cpu_marks.popleft()
                dead = control.command(f"display-message -p -t {SESSION} '#{{pane_dead}} #{{pane_dead_status}}'")[0].split()
                if dead and dead[0] == "1":
                    time.sleep(0.05)  # for tmux to have the status, and the last output
                    status = control.command(f"display-message -p -t {SESSION} '#{{pane_dead_status}}'")[0] or "?"
                    screen = control.command(f"capture-pane -p -t {SESSION}")
                    run.note += f"exited (status {status}): " + " | ".join(row.strip() for row in screen if row.strip())[-300:]
                    break
                if first_at is not None and now - changed_at >= args.settle and cpu_marks[0][0] <= now - args.settle + 0.15:
                    used = cpu_marks[-1][1] - cpu_marks[0][1]
                    if used < 0.05 * (cpu_marks[-1][0] - cpu_marks[0][0]):
                        run.note += f"newest record not shown (screen settled {now - begun:.1f} s after start)"
                        break
            if now - begun > args.timeout:
                what = "records" if first_at is None else "the newest record"
                run.note += f"timed out: no {what} on screen after {args.timeout:g} s"
                if first_at is None:
                    run.note += ": " + " | ".join(row.strip() for row in screen if row.strip())[:300]
                break
            time.sleep(args.poll_ms / 1000)
        run.note += pane_size_note(control, tmux)
        run.busy = time.monotonic() - begun
        run.poller_cpu, run.server_cpu = time.process_time() - poller_cpu, cpu_seconds(server) - server_cpu
    except (TimeoutError, EOFError, RuntimeError) as error:
        run.note += f"tmux failed: {error}"
    finally:
        tmux.stop(socket, control)
    launched = read_stamp(stamp_file)
    if launched is None:
        run.note += "; the wrapper wrote no launch time"
        return run
    run.tmux_start = launched - before
    run.first_screen = None if first_at is None else first_at - launched
    run.newest = None if newest_at is None else newest_at - launched
    return run


# --- measurements of the set-up itself ------------------------------------------------------------------------------


@contextlib.contextmanager
def pane(tmux: Tmux, command: Sequence[str]) -> Iterator[tuple[Path, Control]]:
    """A server running ``command`` through the wrapper: its launch-stamp file and its control client; then stopped."""
    socket, stamp, _ = tmux.start(command)
    control: Control | None = None
    try:
        control = Control(socket, tmux.env)
        yield stamp, control
    finally:
        tmux.stop(socket, control)


def wait_for_lines(control: Control, wanted: int, timeout: float = 5.0) -> list[str]:
    """The pane's non-blank rows once there are ``wanted`` of them (or what there is after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [row for row in control.command(f"capture-pane -p -t {SESSION}") if row.strip()]
        if len(lines) >= wanted or time.monotonic() > deadline:
            return lines
        time.sleep(0.005)


def environment_report(tmux: Tmux) -> str:
    script = 'echo "TERM=$TERM LANG=$LANG LC_ALL=${LC_ALL-} COLORTERM=${COLORTERM-}"; echo "stty size: $(stty size)"; exec sleep 5'
    with pane(tmux, ["sh", "-c", script]) as (_, control):
        lines = wait_for_lines(control, 2)
        # A spawned capture-pane, as a poller without a control client would run it, for comparison.
        spawned = []
        for _ in range(20):
            begin = time.perf_counter()
            subprocess.run(
                ["tmux", "-L", control.socket, "capture-pane", "-p", "-t", SESSION], env=tmux.env, capture_output=True, check=False
            )
            spawned.append(time.perf_counter() - begin)
        controlled = []
        for _ in range(200):
            begin = time.perf_counter()
            control.command(f"capture-pane -p -t {SESSION}")
            controlled.append(time.perf_counter() - begin)
    return (
        f"pane: {'; '.join(lines[:2])}\n"
        f"capture-pane round trip: {1000 * statistics.median(controlled):.2f} ms through the control client (used), "
        f"{1000 * statistics.median(spawned):.1f} ms as a spawned `tmux capture-pane -p` (not used)"
    )


def wrapper_gap(tmux: Tmux, runs: int = 5) -> float:
    """From the wrapper's stamp to a ``date`` run by the exec'd program: an upper bound of the stamp-to-exec gap.

    The exec'd program is ``sh -c 'date +%s.%N; exec sleep 5'``, not ``date`` itself: tmux may lose the output
    of a pane whose program exits at once. That ``sh``'s own start and fork are in the figure.
    """
    gaps = []
    for _ in range(runs):
        with pane(tmux, ["sh", "-c", "date +%s.%N; exec sleep 5"]) as (stamp_file, control):
            lines = wait_for_lines(control, 1)
            stamped = read_stamp(stamp_file)
        if stamped is not None and lines:
            with contextlib.suppress(ValueError):  # not a time: the pane's output was lost
                gaps.append(float(lines[0]) - stamped)
    return statistics.median(gaps) if gaps else float("nan")


def write_latency(tmux: Tmux, poll_ms: float, count: int = 10) -> float:
    """From a program's write into its pane (``date`` printing its own time) to the capture that shows it."""
    script = f"for i in $(seq {count}); do sleep 0.05; date +%s.%N; done; exec sleep 5"
    seen: dict[str, float] = {}
    with pane(tmux, ["sh", "-c", script]) as (_, control):
        deadline = time.monotonic() + 5
        while len(seen) < count and time.monotonic() < deadline:
            sent = time.time()
            rows = control.command(f"capture-pane -p -t {SESSION}")
            taken = (sent + time.time()) / 2
            for row in rows:
                if row.strip() and row not in seen:
                    seen[row] = taken
            time.sleep(poll_ms / 1000)
    latencies = []
    for row, taken in seen.items():
        with contextlib.suppress(ValueError):
            latencies.append(taken - float(row))
    return statistics.median(latencies) if latencies else float("nan")


# --- report ---------------------------------------------------------------------------------------------------------


def median(values: Sequence[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f} s"


def quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def show_rows(run: Run, corpus: Corpus, width: int) -> Iterator[str]:
    if not run.rows:
        return
    records = stamped(run.rows)
    stamps = [row_stamp(row) for row in records]
    where = []
    if any(corpus.oldest.startswith(stamp) or stamp == corpus.oldest for stamp in stamps):
        where.append("the oldest record")
    if newest_row(run.rows, corpus) is not None:
        where.append("the newest record")
    yield (
        f"  {run.tool}, run {run.number}: {len(run.rows)} rows of records ({len(stamps)} with a timestamp), {min(stamps)} to {max(stamps)}"
        + (f", with {' and '.join(where)}" if where else ", neither the oldest nor the newest record")
    )
    yield f"    first: {records[0].rstrip()[:width]}"
    yield f"    last:  {records[-1].rstrip()[:width]}"
    if run.newest_row is not None and run.newest_row not in (records[0], records[-1]):
        yield f"    newest record's row, at {seconds(run.newest)}: {run.newest_row.rstrip()[:width]}"


def tool_version(command: Sequence[str], option: str) -> str:
    try:
        result = subprocess.run([*command, option], capture_output=True, text=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        sys.exit(f"{shlex.join(command)}: {error}")
    return result.stdout.strip().splitlines()[0] if result.returncode == 0 and result.stdout.strip() else "no version given"


def logview_origin(command: Sequence[str]) -> str:
    if Path(command[0]).parent != Path(sys.executable).parent:
        return ""
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    changed = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "-uno"], capture_output=True, text=True, check=False)
    count = len(changed.stdout.splitlines())
    return f" (this repository, HEAD {head.stdout.strip()}" + (f", {count} files changed in the work tree)" if count else ")")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "corpora", nargs="*", metavar="CORPUS", help="a path or glob per corpus (default: sample_logs/* and /tmp/corpus/10m.log)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each tool per corpus (default 3)")
    parser.add_argument("--size", default="160x45", help="the terminal's WxH (default 160x45)")
    parser.add_argument("--timeout", type=float, default=60.0, help="give up on a run after this many seconds (default 60)")
    parser.add_argument("--rows", type=int, default=5, help="rows of records that make a first screen (default 5)")
    parser.add_argument("--settle", type=float, default=2.0, help="stop waiting for the newest record after this long idle (default 2 s)")
    parser.add_argument("--poll-ms", type=float, default=2.0, help="pause between captures (default 2 ms)")
    parser.add_argument("--term", default="tmux-256color", help="TERM inside tmux (default tmux-256color)")
    parser.add_argument(
        "--logview", default=str(Path(sys.executable).parent / "logview"), help="the logview command (default: next to this Python)"
    )
    parser.add_argument("--lnav", default="lnav", help="the lnav command (default lnav)")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="each logview run with an empty cache (a new XDG_CACHE_HOME): the formats it detects are not remembered from a run before",
    )
    args = parser.parse_args(argv)
    match = re.fullmatch(r"(\d+)x(\d+)", args.size)
    if not match:
        parser.error("--size is WxH, e.g. 80x24")
    args.width, args.height = int(match[1]), int(match[2])
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    for program in ("tmux", "date"):
        if shutil.which(program) is None:
            sys.exit(f"{program} is not installed")
    specs = args.corpora or ["sample_logs/*"] + (["/tmp/corpus/10m.log"] if Path("/tmp/corpus/10m.log").exists() else [])
    logview = shlex.split(args.logview)
    lnav = shlex.split(args.lnav)
    if shutil.which(logview[0]) is None or shutil.which(lnav[0]) is None:
        sys.exit(f"not found: {logview[0] if shutil.which(logview[0]) is None else lnav[0]}")
    corpora = [make_corpus(spec, expand(spec)) for spec in specs]
    commands = {"lnav": lnav, "logview": logview}

    with tempfile.TemporaryDirectory(prefix="bench-first-screen-") as workdir:
        tmux = Tmux(args.width, args.height, args.term, Path(workdir))
        try:
            float(subprocess.run(["date", "+%s.%N"], capture_output=True, text=True, check=True).stdout)
        except ValueError:
            sys.exit("date +%s.%N does not give nanoseconds here (GNU date is needed)")
        print(f"first screen of records, {args.width}x{args.height}, {args.runs} runs of each tool per corpus, alternating (lnav first)")
        print(f"  lnav:    {shlex.join(lnav)}  [{tool_version(lnav, '-V')}]")
        print(f"  logview: {shlex.join(logview)}  [{tool_version(logview, '--version')}]{logview_origin(logview)}")
        print(f"  {environment_report(tmux)}".replace("\n", "\n  "))
        gap = wrapper_gap(tmux)
        latency = write_latency(tmux, args.poll_ms)
        print(f"  launch: the wrapper's `date +%s.%N`; wrapper gap (its stamp to the exec'd program) <= {1000 * gap:.1f} ms, counted")
        print(f"  write-to-capture latency (a line written in a pane, to the capture that shows it): {1000 * latency:.1f} ms, median of 10")
        print(
            f"  records on screen: >= {args.rows} rows that show lines of records (a timestamp, then a word of the corpus's records;"
            " or a continuation line of the corpus), one at least with a timestamp"
        )
        all_runs: list[Run] = []
        for corpus in corpora:
            names = ", ".join(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path) for path in corpus.paths)
            print()
            print(
                f"{corpus.spec}: {len(corpus.paths)} files, {corpus.size / 1e6:,.2f} MB ({names if len(names) < 120 else names[:117] + '...'})"
            )
            print(f"  oldest record {corpus.oldest}, newest {corpus.newest}")
            print("  run  tool     first screen  newest record on screen")
            runs: dict[str, list[Run]] = {"lnav": [], "logview": []}
            for number in range(1, args.runs + 1):
                for tool in ("lnav", "logview"):
                    command = commands[tool]
                    if args.cold and tool == "logview":
                        command = ["env", f"XDG_CACHE_HOME={tempfile.mkdtemp(dir=workdir)}", *command]
                    run = run_once(tmux, tool, number, command, corpus, args)
                    runs[tool].append(run)
                    print(run.describe(), flush=True)
            all_runs += runs["lnav"] + runs["logview"]
            first = {tool: median([run.first_screen for run in runs[tool]]) for tool in runs}
            newest = {tool: median([run.newest for run in runs[tool]]) for tool in runs}
            for tool in runs:
                seen = sum(run.newest is not None for run in runs[tool])
                print(
                    f"  median {tool:<8} first screen {seconds(first[tool])}, newest record {seconds(newest[tool])}"
                    + (f" (seen in {seen} of {len(runs[tool])} runs)" if seen < len(runs[tool]) else "")
                )
            if first["lnav"] and first["logview"]:
                print(f"  ratio logview/lnav, first screen: x{first['logview'] / first['lnav']:.2f}", end="")
                if newest["lnav"] and newest["logview"]:
                    print(f"; newest record: x{newest['logview'] / newest['lnav']:.2f}", end="")
                print()
            print("  what the first screens showed:")
            for tool in runs:
                for line in show_rows(runs[tool][0], corpus, args.width):
                    print(line)
        print()
        for tool in ("lnav", "logview"):
            intervals = [value for run in all_runs if run.tool == tool for value in run.intervals]
            starts = [run.tmux_start for run in all_runs if run.tool == tool and run.tmux_start is not None]
            busy = sum(run.busy for run in all_runs if run.tool == tool)
            poller = sum(run.poller_cpu for run in all_runs if run.tool == tool)
            server = sum(run.server_cpu for run in all_runs if run.tool == tool)
            if intervals and busy:
                print(
                    f"polling while {tool} ran: {len(intervals):,} captures, every {1000 * statistics.median(intervals):.2f} ms "
                    f"(95th percentile {1000 * quantile(intervals, 0.95):.2f} ms, largest {1000 * max(intervals):.1f} ms); "
                    f"CPU: the poller {100 * poller / busy:.0f} %, the tmux server {100 * server / busy:.0f} % of a core; "
                    f"tmux start before launch {1000 * statistics.median(starts):.1f} ms (not counted)"
                )


if __name__ == "__main__":
    main()
