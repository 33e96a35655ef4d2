"""The status bar: records shown of the total, the sources and their state, the cursor's time."""

from __future__ import annotations

import os

from textual.widgets import Static

from logview.core.index.timeline import SourceState
from logview.core.sources.rotation import parse_rotation_name

#: A rotation set's state is its liveliest file's: one file followed makes the set followed.
_STATE_RANK = {"reading": 0, "following": 1, "receiving": 1, "error": 2, "done": 3}


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    _text = ""

    def show(self, shown: int, total: int, sources: list[SourceState], cursor_time: str | None, note: str = "") -> None:
        parts = [f"{shown:,} / {total:,} records", describe_sources(sources)]
        if cursor_time:
            parts.append(cursor_time)
        if note:
            parts.append(note)
        text = " │ ".join(parts)
        if text != self._text:
            # One line of a fixed height: no layout of the screen for a new text.
            self._text = text
            self.update(text, layout=False)


def describe_sources(sources: list[SourceState]) -> str:
    """The sources and their states, a rotation set counted once.

    A followed file that rotates 250 times leaves 250 done generations
    behind it, and the copies read from its rotated files: that is still
    one source to the user, ``app.log: 251 files (following)``.
    """
    sets: dict[str, list[SourceState]] = {}
    for source in sources:
        sets.setdefault(parse_rotation_name(source.name).base, []).append(source)
    states = {
        base: min((member.state for member in members), key=lambda state: _STATE_RANK.get(state, 0)) for base, members in sets.items()
    }
    if len(sets) == 1:
        # One source: its name says more than a count (a file, or where records are listened for).
        (base, members), state = next(iter(sets.items())), next(iter(states.values()))
        name = os.path.basename(base) or base
        return f"{name}: {len(members)} files ({state})" if len(members) > 1 else f"{name} ({state})"
    counts: dict[str, int] = {}
    for state in states.values():
        counts[state] = counts.get(state, 0) + 1
    return f"{len(sets)} sources: " + ", ".join(f"{count} {state}" for state, count in counts.items())
