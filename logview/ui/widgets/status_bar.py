"""The status bar: records shown of the total, the sources and their state, the cursor's time."""

from __future__ import annotations

import os

from textual.widgets import Static

from logview.core.index.timeline import SourceState


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    _text = ""

    def show(self, shown: int, total: int, sources: list[SourceState], cursor_time: str | None, note: str = "") -> None:
        states: dict[str, int] = {}
        for source in sources:
            states[source.state] = states.get(source.state, 0) + 1
        if len(sources) == 1:
            # One source: its name says more than a count (a file, or where records are listened for).
            described = f"{os.path.basename(sources[0].name) or sources[0].name} ({sources[0].state})"
        else:
            described = f"{len(sources)} sources: " + ", ".join(f"{count} {state}" for state, count in states.items())
        parts = [f"{shown:,} / {total:,} records", described]
        if cursor_time:
            parts.append(cursor_time)
        if note:
            parts.append(note)
        text = " │ ".join(parts)
        if text != self._text:
            # One line of a fixed height: no layout of the screen for a new text.
            self._text = text
            self.update(text, layout=False)
