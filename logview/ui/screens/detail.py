"""The detail view of one record: every parsed field, its source and line, the whole message."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from logview.core.record import Record, format_time


class DetailScreen(ModalScreen[None]):
    BINDINGS = [
        # With priority, as the app's keys (commands.bindings): the Esc closes before the app reads the key after it.
        Binding("escape,q,enter", "dismiss", "Close", priority=True),
        Binding("c", "copy", "Copy record"),
    ]

    DEFAULT_CSS = """
    DetailScreen { align: center middle; }
    DetailScreen > VerticalScroll { width: 90%; height: 90%; border: thick $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, record: Record) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        record = self.record
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan")
        table.add_column()
        table.add_row("time", format_time(record.time) or "-")
        table.add_row("level", f"{record.level or '-'}" + (f" ({record.levelno})" if record.levelno is not None else ""))
        table.add_row("logger", record.logger or "-")
        table.add_row("pid", str(record.pid) if record.pid is not None else "-")
        # A record read from an input's end before the index had it has no line number yet.
        table.add_row("source", f"{record.source}:{record.line}" if record.line else record.source)
        for key, value in record.fields.items():
            if key != "message":
                table.add_row(key, Text(value))
        with VerticalScroll() as scroll:
            scroll.border_title = "Record (c copies, Esc closes)"
            yield Static(table)
            yield Static(Text("\nmessage", style="bold cyan"))
            yield Static(Text(record.message))
        yield Footer()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.record.text)
        self.notify("Record copied to the clipboard")
