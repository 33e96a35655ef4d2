"""What a source is doing, and what went wrong with it, as values rather than free strings.

The status bar, the printer and the app each used to compare a source's
state with their own spelling of "following" or "waiting", and to tell a
waiting FIFO from a broken file by the words of its message. A status is
one of the members below, and a problem says what kind it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Status(IntEnum):
    """Where a source is in its life; only the source itself changes it."""

    #: Its text so far is being read and indexed.
    READING = 0
    #: Read to its current end and followed: lines written later may continue its last record.
    FOLLOWING = 1
    #: Records arrive whole (a logging queue, a socket): none is continued by a later line.
    RECEIVING = 2
    #: Not there yet: a path or a glob not created, a FIFO nothing was written to yet.
    WAITING = 3
    #: Read to its end: nothing more will come.
    DONE = 4
    #: Could not be read, or stopped on an error: its problems say why.
    ERROR = 5

    @property
    def may_grow(self) -> bool:
        """More lines may still come and continue the source's last record (a line left without its newline)."""
        return self in (Status.READING, Status.FOLLOWING)

    @property
    def word(self) -> str:
        """The status as the user reads it ("following")."""
        return self.name.lower()


class Severity(IntEnum):
    """How bad a problem is: it decides how it is shown (a notice, a warning, an error) and the exit status."""

    #: Not a problem: what a source says once ("listening on 127.0.0.1:9020"): the printer says it, the viewer's
    #: status bar shows it already.
    NOTICE = 0
    #: Not an error: the input is waited for (tail -F's wait for a file, a FIFO's writer).
    WAITING = 1
    #: The input was read, but not all as it was written (invalid UTF-8 replaced, a record cut, a file rotated away
    #: before it was read, a sender's bad record).
    WARNING = 2
    #: Some or all of the input could not be read: the exit status says so.
    ERROR = 3


@dataclass(frozen=True)
class Problem:
    """One problem of one input, in the one line the user reads (which names the input)."""

    #: The source's name: the path, ``-``, "logging queue", "listening on 127.0.0.1:9020".
    source: str
    #: The whole line: "app.log.gz: compressed data ends early (truncated?)".
    text: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return self.text
