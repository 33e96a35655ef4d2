"""Every key, on one screen."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, str], ...] = (
    ("↑ ↓ j k", "previous / next record"),
    ("PgUp PgDn b space", "page up / down"),
    ("g G Home End", "first / last record"),
    ("← →", "scroll sideways"),
    ("/", "search (regex or text)"),
    ("n N", "next / previous match"),
    ("+ -", "show only / hide records matching a regex (listed in the sidebar; Delete removes)"),
    ("t", "jump to a time"),
    ("w", "wrap long lines"),
    ("Enter", "details of the record (c copies it)"),
    ("z", "fold multi-line records to one line"),
    ("f", "follow: stay at the bottom as records arrive"),
    ("l o p", "focus the level, logger, PID pane"),
    ("s", "split: a second log pane with its own filters (again to close)"),
    ("space", "toggle the highlighted level, logger subtree or process"),
    ("a", "in the level pane: this level and above"),
    ("Tab", "next pane"),
    ("Ctrl+P", "command palette: every action"),
    ("?", "this help"),
    ("q", "quit"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 70; height: auto; max-height: 90%; border: thick $accent; background: $surface; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan")
        table.add_column()
        for key, meaning in KEYS:
            table.add_row(key, meaning)
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys (Esc closes)"
            yield Static(table)
