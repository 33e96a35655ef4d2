"""The inputs that could not be read or are waited for, and how the status bar says them in one line."""

from __future__ import annotations

import os
from collections.abc import Sequence

from logview.core.index.status import Severity, Status
from logview.core.pipeline import Pipeline, waiting_for_writer_line
from logview.core.sources.source import Source


class InputProblems:
    """The problems of a viewer's inputs: errors, and the files, globs and FIFOs waited for (said as notices)."""

    def __init__(self, pipeline: Pipeline, sources: Sequence[Source]) -> None:
        self.pipeline = pipeline
        self.sources = sources

    @property
    def problems(self) -> list[str]:
        """A line for each input that could not be read, or is waited for (a file or a glob not there yet)."""
        return [problem.text for source in self.sources for problem in source.problems] + self.fifos_waiting() + self.pipeline.errors

    def waiting_notes(self) -> set[str]:
        """The lines of the inputs waited for (a file or a glob not there yet): said as notices, not as errors."""
        files = {line for item in self.pipeline.loaded if item.state.status == Status.WAITING for line in item.state.waiting}
        arguments = {problem.text for source in self.sources for problem in source.problems if problem.severity == Severity.WAITING}
        return files | arguments | set(self.fifos_waiting())

    def fifos_waiting(self) -> list[str]:
        """The lines of the FIFOs that nothing was written to yet, whose writers the index waits for."""
        sources = list(self.pipeline.timeline.sources)
        return [waiting_for_writer_line(source.name) for source in sources if waiting_for_writer_line(source.name) in source.errors]


def errors_note(errors: list[str], waiting: set[str]) -> str:
    """The inputs' errors in the status bar's one line: one error whole, several by the names of their inputs.

    Inputs that are only ``waiting`` (not there yet) are not called errors.
    """
    named = [error.partition(": ") for error in errors]
    if len(errors) == 1:
        name, separator, cause = named[0]
        return f"{os.path.basename(name)}{separator}{cause}" if separator else errors[0]
    what = "inputs waited for" if waiting.issuperset(errors) else "input errors"
    return f"{len(errors)} {what}: " + ", ".join(os.path.basename(name) for name, _, _ in named)
