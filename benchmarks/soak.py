"""Soak logview with senders and a rotating writer at full speed: what was sent, received, reported lost, and peak memory.

    python benchmarks/soak.py                      # 60 s each part, the logview on PATH
    python benchmarks/soak.py --seconds 5 --logview .venv/bin/logview

Part 1, the network: ``logview --print --listen 127.0.0.1:0`` and 8 processes
logging through ``SocketHandler`` and 4 through ``DatagramHandler``, each as
fast as it can for ``--seconds``. Part 2, a file: one process logging through
``RotatingFileHandler`` (maxBytes 100 kB, backupCount 3) as fast as it can,
followed by ``logview --print -f``. Every record carries its sender and a
sequence number, so each can be found in logview's output.

After the senders stop, logview is given time to drain (until its output has
not grown for a few seconds), its peak RSS is read (VmHWM), and it is stopped
with Ctrl+C (SIGINT). The figures: records sent per protocol, those the
handlers failed to send (SocketHandler drops a record silently when it cannot
connect), received (distinct sequence numbers in the output), duplicates,
missing, the losses logview reported on stderr (lines that say "N ...
dropped/lost/missed/skipped", printed verbatim), the kernel's own count of
datagrams dropped at logview's UDP socket (/proc/net/udp), and logview's exit
status. Printed as a markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import logging
import logging.handlers
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TCP_SENDERS = 8
UDP_SENDERS = 4
MAX_BYTES = 100_000
BACKUP_COUNT = 3
FILE_FORMAT = "%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"
#: logview has drained once its output has not grown for this long.
QUIET_SECONDS = 3.0
#: The longest wait for logview to drain after the senders stopped, and to exit after SIGINT.
DRAIN_DEADLINE = 120.0
#: Every record's message: "soak PROTOCOL SENDER SEQUENCE".
RECORD = re.compile(rb"soak (tcp|udp|file) (\d+) (\d+)\r?$", re.MULTILINE)
#: A line of logview's stderr that reports records it lost ("udp: N datagrams dropped by the kernel", and the like).
LOSS = re.compile(r"(\d[\d,]*) .*\b(dropped|lost|missed|skipped)\b")


# ---------------------------------------------------------------------------------------------------------------------
# The senders, each in a process of its own (this script run with --send).


class CountingSocketHandler(logging.handlers.SocketHandler):
    """SocketHandler, counting the records it drops without a word, and why (it cannot connect, or a send failed)."""

    failed = 0
    causes: collections.Counter[str]

    def makeSocket(self, timeout: float = 1) -> socket.socket:
        try:
            return super().makeSocket(timeout)
        except OSError as error:
            self.causes[f"connect: {error}"] += 1
            raise

    def send(self, s: bytes) -> None:  # type: ignore[override]  # typeshed says Buffer, which 3.11 cannot name
        # The stdlib's send, with the failures counted.
        if self.sock is None:
            self.createSocket()
        if self.sock is None:
            self.failed += 1
            return
        try:
            self.sock.sendall(s)
        except OSError as error:
            self.causes[f"send: {error}"] += 1
            self.sock.close()
            self.sock = None
            self.failed += 1


class CountingDatagramHandler(logging.handlers.DatagramHandler):
    """DatagramHandler, counting the datagrams the kernel refused to send (errors the stdlib hands to handleError)."""

    failed = 0
    causes: collections.Counter[str]

    def send(self, s: bytes) -> None:  # type: ignore[override]
        try:
            if self.sock is None:
                self.createSocket()
            self.sock.sendto(s, self.address)  # type: ignore[union-attr]
        except OSError as error:
            self.causes[f"sendto: {error}"] += 1
            self.failed += 1


def send(protocol: str, sender: int, seconds: float, target: str) -> None:
    """Log numbered records as fast as possible for ``seconds``; print what was sent and what failed as JSON."""
    if protocol == "file":
        handler: logging.Handler = logging.handlers.RotatingFileHandler(target, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT)
        handler.setFormatter(logging.Formatter(FILE_FORMAT))
    else:
        host, port = target.rsplit(":", 1)
        handler = (CountingSocketHandler if protocol == "tcp" else CountingDatagramHandler)(host, int(port))
        handler.causes = collections.Counter()
    logger = logging.getLogger(f"soak.{protocol}.{sender}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    deadline = time.monotonic() + seconds
    sent = 0
    while time.monotonic() < deadline:
        for _ in range(256):  # the clock read once per 256 records: the loop is the handler's speed, not the clock's
            logger.info("soak %s %d %d", protocol, sender, sent)
            sent += 1
    handler.close()
    print(json.dumps({"sent": sent, "failed": getattr(handler, "failed", 0), "causes": getattr(handler, "causes", {})}))


# ---------------------------------------------------------------------------------------------------------------------
# The measure.


@dataclass
class Figures:
    """One part's figures, per protocol."""

    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    received: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    duplicates: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    #: Why the handlers failed to send, as the senders' OSErrors said.
    causes: collections.Counter[str] = field(default_factory=collections.Counter)
    loss_lines: list[str] = field(default_factory=list)
    other_stderr: list[str] = field(default_factory=list)
    kernel_udp_drops: int | None = None
    peak_rss: int | None = None
    status: int | None = None
    drained_seconds: float = 0.0


def logview_command(path: str | None) -> list[str]:
    if path:
        return [os.path.abspath(path) if os.sep in path else path]  # logview runs in the soak's directory
    found = shutil.which("logview")
    return [found] if found else [sys.executable, "-m", "logview"]


def start_senders(protocol: str, count: int, seconds: float, target: str) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen([sys.executable, __file__, "--send", protocol, str(number), str(seconds), target], stdout=subprocess.PIPE)
        for number in range(count)
    ]


def collect_senders(protocol: str, senders: list[subprocess.Popen[bytes]], figures: Figures) -> None:
    for sender in senders:
        out, _ = sender.communicate()
        report = json.loads(out)
        figures.sent[protocol] += report["sent"]
        figures.failed[protocol] += report["failed"]
        figures.causes.update({f"{protocol} {cause}": count for cause, count in report["causes"].items()})


def wait_for_quiet_output(logview: subprocess.Popen[bytes], output: Path) -> float:
    """Seconds until logview's output stopped growing for QUIET_SECONDS (DRAIN_DEADLINE at most), or logview exited."""
    started = time.monotonic()
    size, since = -1, started
    while time.monotonic() - started < DRAIN_DEADLINE and logview.poll() is None:
        now_size = output.stat().st_size
        if now_size != size:
            size, since = now_size, time.monotonic()
        elif time.monotonic() - since >= QUIET_SECONDS:
            return since - started
        time.sleep(0.2)
    return time.monotonic() - started


def peak_rss(pid: int) -> int | None:
    """The process' peak resident set (VmHWM), in bytes, while it still runs."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def kernel_udp_drops(pid: int, port: int) -> int | None:
    """The kernel's count of datagrams dropped at ``pid``'s UDP socket on ``port`` (the last column of /proc/net/udp)."""
    try:
        table = Path(f"/proc/{pid}/net/udp").read_text().splitlines()[1:]
    except OSError:
        return None
    for row in table:
        columns = row.split()
        if int(columns[1].rsplit(":", 1)[1], 16) == port:
            return int(columns[-1])
    return None


def stop(logview: subprocess.Popen[bytes], figures: Figures) -> None:
    figures.peak_rss = peak_rss(logview.pid)
    if logview.poll() is None:
        logview.send_signal(signal.SIGINT)
    try:
        figures.status = logview.wait(DRAIN_DEADLINE)
    except subprocess.TimeoutExpired:
        logview.kill()
        figures.status = logview.wait()


def count_received(output: Path, figures: Figures) -> None:
    """Distinct sequence numbers per sender in logview's output, read in pieces with one regex pass each."""
    numbers: dict[tuple[bytes, int], list[np.ndarray]] = defaultdict(list)
    with open(output, "rb") as handle:
        rest = b""
        while True:
            block = handle.read(16 << 20)
            data = rest + block
            cut = len(data) if not block else data.rfind(b"\n") + 1
            data, rest = data[:cut], data[cut:]
            found: dict[tuple[bytes, int], list[int]] = defaultdict(list)
            for protocol, sender, sequence in RECORD.findall(data):
                found[protocol, int(sender)].append(int(sequence))
            for key, values in found.items():
                numbers[key].append(np.array(values, dtype=np.int64))
            if not block:
                break
    for (protocol, _sender), parts in numbers.items():
        every = np.concatenate(parts)
        distinct = len(np.unique(every))
        figures.received[protocol.decode()] += distinct
        figures.duplicates[protocol.decode()] += len(every) - distinct


def read_stderr(stderr: Path, figures: Figures) -> None:
    for line in stderr.read_text(errors="replace").splitlines():
        (figures.loss_lines if LOSS.search(line) else figures.other_stderr).append(line)


def reported_lost(lines: list[str], protocol: str) -> int:
    """The losses logview reported for ``protocol``: the lines that name it, or every line for a file (one source)."""
    return sum(
        int(match.group(1).replace(",", ""))
        for line in lines
        if (match := LOSS.search(line)) and (protocol == "file" or protocol in line.lower())
    )


def soak_network(command: list[str], seconds: float, directory: Path) -> tuple[Figures, list[str]]:
    figures = Figures()
    output, errors = directory / "listen.out", directory / "listen.err"
    arguments = [*command, "--print", "--listen", "127.0.0.1:0"]
    with open(output, "wb") as out, open(errors, "wb") as err:
        logview = subprocess.Popen(arguments, stdout=out, stderr=err, cwd=directory)
    port = _wait_for_port(logview, errors)
    target = f"127.0.0.1:{port}"
    senders = {"tcp": start_senders("tcp", TCP_SENDERS, seconds, target), "udp": start_senders("udp", UDP_SENDERS, seconds, target)}
    for protocol, processes in senders.items():
        collect_senders(protocol, processes, figures)
    figures.drained_seconds = wait_for_quiet_output(logview, output)
    figures.kernel_udp_drops = kernel_udp_drops(logview.pid, port)
    stop(logview, figures)
    count_received(output, figures)
    read_stderr(errors, figures)
    return figures, arguments


def soak_file(command: list[str], seconds: float, directory: Path) -> tuple[Figures, list[str]]:
    figures = Figures()
    log = directory / "rotating.log"
    log.touch()
    output, errors = directory / "follow.out", directory / "follow.err"
    arguments = [*command, "--print", "-f", str(log)]
    with open(output, "wb") as out, open(errors, "wb") as err:
        logview = subprocess.Popen(arguments, stdout=out, stderr=err, cwd=directory)
    _wait_for_watch(logview, log)
    collect_senders("file", start_senders("file", 1, seconds, str(log)), figures)
    figures.drained_seconds = wait_for_quiet_output(logview, output)
    stop(logview, figures)
    count_received(output, figures)
    read_stderr(errors, figures)
    return figures, arguments


def _wait_for_port(logview: subprocess.Popen[bytes], errors: Path) -> int:
    """The port logview listens on, from its "listening on HOST:PORT" line."""
    deadline = time.monotonic() + DRAIN_DEADLINE
    while time.monotonic() < deadline and logview.poll() is None:
        found = re.search(r"listening on \S+:(\d+)", errors.read_text(errors="replace"))
        if found:
            return int(found.group(1))
        time.sleep(0.05)
    raise SystemExit(f"logview did not start listening (exit status {logview.poll()}): {errors.read_text(errors='replace')}")


def _wait_for_watch(logview: subprocess.Popen[bytes], log: Path) -> None:
    """Until logview holds the file open and has its notifier: from then on, whatever is written is followed."""
    deadline = time.monotonic() + DRAIN_DEADLINE
    while time.monotonic() < deadline and logview.poll() is None:
        held = set()
        for fd in os.listdir(f"/proc/{logview.pid}/fd"):
            try:
                held.add(os.readlink(f"/proc/{logview.pid}/fd/{fd}"))
            except OSError:
                continue
        if str(log.resolve()) in held and "anon_inode:inotify" in held:
            return
        time.sleep(0.05)
    raise SystemExit(f"logview -f did not start following {log} (exit status {logview.poll()})")


# ---------------------------------------------------------------------------------------------------------------------
# The report.


def table(parts: list[tuple[str, Figures]], seconds: float) -> str:
    rows = [
        "| part | protocol | sent | handler failed | received | duplicates | missing | reported lost | kernel UDP drops | received/s | peak RSS | drained in | exit |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, figures in parts:
        for protocol in sorted(figures.sent):
            lost = reported_lost(figures.loss_lines, protocol)
            sent, failed, received = figures.sent[protocol], figures.failed[protocol], figures.received[protocol]
            rows.append(
                f"| {name} | {protocol} | {sent:,} | {failed:,} | {received:,} | {figures.duplicates[protocol]:,} "
                f"| {sent - failed - received:,} | {lost:,} "
                f"| {'' if protocol != 'udp' or figures.kernel_udp_drops is None else f'{figures.kernel_udp_drops:,}'} "
                f"| {received / seconds:,.0f} | {_mib(figures.peak_rss)} | {figures.drained_seconds:.1f} s | {figures.status} |"
            )
    return "\n".join(rows)


def _mib(size: int | None) -> str:
    return "?" if size is None else f"{size / 2**20:.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the senders and the writer run (default 60)")
    parser.add_argument("--logview", help="the logview command (default: the logview on PATH, else python -m logview)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logview's output and stderr)")
    parser.add_argument("--send", nargs=4, metavar=("PROTOCOL", "SENDER", "SECONDS", "TARGET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.send:
        protocol, sender, seconds, target = args.send
        send(protocol, int(sender), float(seconds), target)
        return
    command = logview_command(args.logview)
    directory = Path(tempfile.mkdtemp(prefix="logview-soak-"))
    try:
        parts: list[tuple[str, Figures]] = []
        commands: list[list[str]] = []
        for name, run in (("listen", soak_network), ("follow", soak_file)):
            print(f"{name}: {args.seconds:g} s ...", file=sys.stderr, flush=True)
            figures, arguments = run(command, args.seconds, directory)
            parts.append((name, figures))
            commands.append(arguments)
        print(f"## Soak, {args.seconds:g} s per part ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores)\n")
        print(f"    python benchmarks/soak.py {shlex.join(sys.argv[1:])}")
        for arguments in commands:
            print(f"    # ran: {shlex.join(arguments)}")
        print(
            f"\n{TCP_SENDERS} SocketHandler and {UDP_SENDERS} DatagramHandler senders into --listen; one RotatingFileHandler "
            f"(maxBytes {MAX_BYTES:,}, backupCount {BACKUP_COUNT}) followed by -f. Missing = sent - handler failed - received.\n"
        )
        print(table(parts, args.seconds))
        for name, figures in parts:
            if figures.causes:
                print(f"\n{name}, why the handlers failed to send:")
                for cause, count in figures.causes.most_common():
                    print(f"    {count:,} x {cause}")
            for title, lines in (("reported losses", figures.loss_lines), ("other stderr", figures.other_stderr)):
                if lines:
                    print(f"\n{name}, logview's {title} ({len(lines)} lines{', the first 20' if len(lines) > 20 else ''}):")
                    for line in lines[:20]:
                        print(f"    {line}")
    finally:
        if args.keep:
            print(f"\nlogview's output and stderr: {directory}", file=sys.stderr)
        else:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
