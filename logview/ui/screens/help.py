"""Every key, on one screen, from the key table."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from logview.ui.commands import COMMANDS

#: Where a command's keys work, when not everywhere.
WHERE = {"levels": "levels pane", "loggers": "logger pane", "filters": "text filters"}


class HelpScreen(ModalScreen[None]):
    # With priority, as the app's keys (commands.bindings): the Esc closes before the app reads the key after it.
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", priority=True)]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 80; max-width: 100%; height: auto; max-height: 90%; border: thick $accent; background: $surface; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for command in COMMANDS:
            where = WHERE.get(command.scope)
            table.add_row(command.shown, f"{command.title}: {command.help}" + (f" ({where})" if where else ""))
        table.add_row("Ctrl+P", "Command palette: every command by name, and saving the view")
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys (Esc closes)"
            yield Static(table)
