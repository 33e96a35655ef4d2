"""Run the cookbook's socket receiver and sender together: ``python -m tests.cookbook.network_run DIRECTORY``.

Both use the fixed port 9020 (DEFAULT_TCP_LOGGING_PORT), as the cookbook
writes them: the test runs this in a network namespace of its own where it
can (its own loopback, no other program's port 9020). The receiver is
started, the sender run once the receiver accepts connections, and the
receiver stopped once it has written the sender's five records.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

from tests.cookbook.running import STDERR, observed, start
from tests.waiting import wait_until

RECORDS = 5


def _accepting() -> bool:
    try:
        socket.create_connection(("localhost", 9020), timeout=1).close()
    except OSError:
        return False
    return True


def main(directory: Path) -> None:
    receiver = start("network_receiver.txt", directory, "receiver.py")
    try:
        wait_until(lambda: _accepting() or receiver.poll() is not None, "the receiver listening on port 9020")
        assert receiver.poll() is None, (directory / "receiver.py.stderr").read_text()
        sender = start("network_sender.txt", directory, "sender.py")
        assert sender.wait(60) == 0
        wait_until(lambda: len(observed(directory).get(STDERR, [])) >= RECORDS, "the receiver writing the sender's records")
    finally:
        receiver.terminate()
        receiver.wait(60)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
