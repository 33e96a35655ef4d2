"""How many DatagramHandler records logview's listener receives, against a bare receive loop on the same senders.

    python benchmarks/bench_udp.py [--senders 4] [--records 20000] [--rounds 3]

Sender processes log through ``logging.handlers.DatagramHandler`` as fast as
they can, all started at once. Each round, one after the other:

1. a bare loop: one thread calling ``recvfrom(65536)`` and counting, on a
   socket with the system's default receive buffer (what a program that does
   nothing with the datagrams gets);
2. logview's ``SocketListener``: the records that reach its queue, and the
   drops it reports (``udp: N datagrams dropped by the kernel``).

A round ends when no datagram has come for ``--quiet`` seconds after the
last sender exited. UDP loses what the receiver is too slow for, so the
figures are counts, not rates: logview should receive at least what the bare
loop does, and what it did not receive should be what it reported dropped
(the last column says whether received + reported == sent).
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import multiprocessing
import queue
import socket
import sys
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from logview.core.sources.socket_listener import SocketListener  # noqa: E402


def flood(port: int, sender: int, count: int, start: Any) -> None:
    logger = logging.getLogger("bench.udp")
    logger.addHandler(logging.handlers.DatagramHandler("127.0.0.1", port))
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    start.wait()
    for number in range(count):
        logger.info("sender %d record %d with some words to make a usual line", sender, number)


def run_senders(port: int, senders: int, records: int) -> None:
    start = multiprocessing.Event()
    processes = [multiprocessing.Process(target=flood, args=(port, number, records, start)) for number in range(senders)]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join()


def bare_loop(senders: int, records: int, quiet: float) -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(quiet)
    count = 0
    done = threading.Event()

    def receive() -> None:
        nonlocal count
        while True:
            try:
                sock.recvfrom(65536)
            except TimeoutError:
                if done.is_set():
                    return
                continue
            count += 1

    thread = threading.Thread(target=receive)
    thread.start()
    run_senders(sock.getsockname()[1], senders, records)
    done.set()
    thread.join()
    sock.close()
    return count


def logview_listener(senders: int, records: int, quiet: float) -> tuple[int, int]:
    listener = SocketListener()
    count = 0
    done = threading.Event()

    def drain() -> None:
        nonlocal count
        while True:
            try:
                listener.records.get(timeout=quiet)
            except queue.Empty:
                if done.is_set():
                    return
                continue
            count += 1

    thread = threading.Thread(target=drain)
    thread.start()
    run_senders(listener.port, senders, records)
    done.set()
    thread.join()
    listener.close()
    dropped = sum(int(problem.split()[1].replace(",", "")) for problem in listener.problems if "dropped by the kernel" in problem)
    return count, dropped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--records", type=int, default=20_000, help="records per sender")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quiet", type=float, default=1.5, help="seconds without a datagram that end a round")
    args = parser.parse_args()
    sent = args.senders * args.records
    print(f"{args.senders} DatagramHandler senders, {sent:,} records per round, {args.rounds} rounds")
    print(f"{'round':>5} {'bare loop':>10} {'logview':>10} {'reported':>10}  accounted")
    for number in range(1, args.rounds + 1):
        bare = bare_loop(args.senders, args.records, args.quiet)
        received, dropped = logview_listener(args.senders, args.records, args.quiet)
        accounted = "yes" if received + dropped == sent else f"no ({sent - received - dropped:,} unaccounted)"
        print(f"{number:>5} {bare:>10,} {received:>10,} {dropped:>10,}  {accounted}")


if __name__ == "__main__":
    main()
