"""The status bar: records shown of the total, follow, the search, the sources and their state, the cursor's time."""

from __future__ import annotations

import os

from rich.text import Text
from textual.widget import Widget

from logview.core.index.source_state import SourceState
from logview.core.index.status import Status
from logview.core.inputs.rotation import parse_rotation_name
from logview.ui.status_line import StatusParts, status_text

#: A rotation set's state is its liveliest file's: one file followed makes the set followed.
_STATUS_RANK = {Status.READING: 0, Status.FOLLOWING: 1, Status.RECEIVING: 1, Status.WAITING: 2, Status.ERROR: 3, Status.DONE: 4}
#: Statuses as the status bar says them: a file logview keeps reading is "watched", which is not the view's follow.
_STATUS_WORDS = {Status.FOLLOWING: "watched", Status.DONE: "read", Status.WAITING: "waited for"}


class StatusBar(Widget):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts = StatusParts(0, 0)

    def show(self, parts: StatusParts) -> None:
        if parts != self.parts:
            # One line of a fixed height: a new text needs no layout of the screen.
            self.parts = parts
            self.refresh(layout=False)

    def render(self) -> Text:
        return status_text(self.parts, self.content_region.width)


def describe_sources(sources: list[SourceState]) -> str:
    """The sources and their states, a rotation set counted once.

    A followed file that rotates 250 times leaves 250 done generations
    behind it, and the copies read from its rotated files: that is still
    one source to the user, ``app.log: 251 files (watched)``.
    """
    if not sources:
        return ""
    sets: dict[str, list[SourceState]] = {}
    for source in sources:
        sets.setdefault(parse_rotation_name(source.name).base, []).append(source)
    states = {
        base: _STATUS_WORDS.get(status, status.word)
        for base, status in (
            (base, min((member.status for member in members), key=_STATUS_RANK.__getitem__)) for base, members in sets.items()
        )
    }
    if len(sets) == 1:
        # One source: its name says more than a count (a file, or where records are listened for).
        (base, members), state = next(iter(sets.items())), next(iter(states.values()))
        name = "standard input" if base == "-" else os.path.basename(base) or base
        return f"{name}: {len(members)} files ({state})" if len(members) > 1 else f"{name} ({state})"
    counts: dict[str, int] = {}
    for state in states.values():
        counts[state] = counts.get(state, 0) + 1
    return f"{len(sets)} sources: " + ", ".join(f"{count} {state}" for state, count in counts.items())
