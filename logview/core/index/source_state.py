"""What the timeline knows of one input: its name, format, status, problems and how far it was read.

Apart from the column store (timeline.py): the printer, the status bar and
the sources read and change an input's state without the columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from logview.core.index.field_sets import FieldSets
from logview.core.index.status import Problem, Severity, Status
from logview.core.record import NO_TIME


@dataclass
class SourceState:
    """What the timeline knows of one input."""

    id: int
    name: str
    format_name: str = "plain text"
    #: Changed only by the source that reads the input (core/index/status.py).
    status: Status = Status.READING
    problems: list[Problem] = field(default_factory=list)
    invalid_utf8: bool = False
    records: int = 0
    bytes_indexed: int = 0
    last_batch: int = -1
    #: (byte offset, line number) at each chunk start, for the line of a record.
    line_marks: list[tuple[int, int]] = field(default_factory=lambda: [(0, 1)])
    #: The last line indexed has no newline yet (a file that was left that way): the next bytes continue it.
    open_line: bool = False
    #: When the text read so far was last written (the file's modification time), in the timeline's time scale:
    #: the time given to the records of a file that has no time at all, so that they sort where it was written.
    written_at: int = NO_TIME
    #: The rotation set the input belongs to (its name without a generation suffix): the generations are one history.
    rotation_set: str = ""
    #: A record's fields beyond those its text holds, by its offset: the journal's others, fetched when asked for.
    details: Callable[[int], dict[str, str]] | None = None
    #: The sets of the records' other fields, for search (field_sets.py): a journal's, in the order its records were indexed.
    field_sets: FieldSets | None = None

    @property
    def errors(self) -> list[str]:
        """The lines of the problems that leave the input incomplete: errors, and the waits for it."""
        return [problem.text for problem in self.problems if problem.severity in (Severity.WAITING, Severity.ERROR)]

    @property
    def warnings(self) -> list[str]:
        return [problem.text for problem in self.problems if problem.severity == Severity.WARNING]

    @property
    def waiting(self) -> list[str]:
        """The lines of the waits for the input (not there yet, a FIFO's writer): notices, not errors."""
        return [problem.text for problem in self.problems if problem.severity == Severity.WAITING]

    def report(self, text: str, severity: Severity = Severity.ERROR) -> None:
        """Note one problem of this input, in the line the user will read."""
        self.problems.append(Problem(self.name, text, severity))
