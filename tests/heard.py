"""Source events that keep what the sources tell, for tests that check what a user would be told."""

from __future__ import annotations

from logview.core.index.status import Problem
from logview.core.running_sources import NoEvents

__all__ = ["Heard"]


class Heard(NoEvents):
    """What the sources told (their problems and notices), in order."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def tell(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def lines(self) -> list[str]:
        return [problem.text for problem in self.problems]
