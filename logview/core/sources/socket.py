"""Records that SocketHandler and DatagramHandler send, as a source (core/sources/source.py).

The listener (socket_listener.py) receives and decodes on its own threads
and puts each record, as a LogRecord, on its ``records`` queue; this source
drains that queue as a logging queue is drained (queue.py). Closing the
listener puts the sentinel after the last record it received, so a stop
loses none of them.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from logview.core.index.status import Problem, Severity, Status
from logview.core.sources.queue import QueueSource
from logview.core.sources.socket_listener import SocketListener

if TYPE_CHECKING:
    from logview.core.sources.source import Sink


class SocketSource:
    """The records received by a listener bound already (a port taken is the user's error before anything starts)."""

    kind = "socket"

    def __init__(self, listener: SocketListener) -> None:
        self.listener = listener
        self.name = f"listening on {listener.address}"
        self._records = QueueSource(listener.records, self.name, stop_writers=listener.close, with_hosts=True)

    @property
    def status(self) -> Status:
        return self._records.status

    @property
    def problems(self) -> list[Problem]:
        return self._records.problems

    def run(self, sink: Sink, stop: threading.Event) -> None:
        # A sender's trouble is told when it happens, from the listener's thread, not with the next records.
        self.listener.on_problem = lambda line: sink.tell(Problem(self.name, line, Severity.WARNING))
        sink.tell(Problem(self.name, f"listening on {self.listener.address} (tcp and udp)", Severity.NOTICE))
        self._records.run(sink, stop)

    def close(self) -> None:
        self.listener.close()
        self._records.close()
