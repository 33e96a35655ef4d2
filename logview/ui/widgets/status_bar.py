"""The status bar: records shown of the total, the sources and their state, the cursor's time."""

from __future__ import annotations

from textual.widgets import Static

from logview.core.index.timeline import SourceState


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def show(self, shown: int, total: int, sources: list[SourceState], cursor_time: str | None, note: str = "") -> None:
        states: dict[str, int] = {}
        for source in sources:
            states[source.state] = states.get(source.state, 0) + 1
        files = ", ".join(f"{count} {state}" for state, count in states.items())
        parts = [f"{shown:,} / {total:,} records", f"{len(sources)} source{'s' if len(sources) != 1 else ''}: {files}"]
        if cursor_time:
            parts.append(cursor_time)
        if note:
            parts.append(note)
        self.update(" │ ".join(parts))
