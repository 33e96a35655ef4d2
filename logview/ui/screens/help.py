"""Every key, on one screen, from the key table."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from logview.ui.commands import COMMANDS

#: Where a command's keys work, when not everywhere; the command's help says what it does, not where.
WHERE = {"levels": "in the levels pane", "loggers": "in the logger pane", "filters": "in the text filters"}


def help_rows() -> list[tuple[str, str]]:
    """The table's rows: the keys as written, and what they do (and where, for the sidebar's keys)."""
    rows = []
    for command in COMMANDS:
        where = WHERE.get(command.scope)
        rows.append((command.shown, f"{command.title}: {command.help}" + (f" ({where})" if where else "")))
    rows.append(("Ctrl+P", "Command palette: every command by name, and saving the view"))
    return rows


class HelpScreen(ModalScreen[None]):
    """The key table; it scrolls with the log pane's keys, as the table is taller than a 24-line terminal."""

    # With priority, as the app's keys (commands.bindings): each acts before the app reads the key after it,
    # so the Esc closes before a key typed after it, which is the log pane's. And the scroll's own bindings
    # would need it to have the focus, which nothing on this screen has (the app's AUTO_FOCUS is the log).
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", priority=True),
        Binding("up,k", "scroll_by(-1)", "Up", show=False, priority=True),
        Binding("down,j", "scroll_by(1)", "Down", show=False, priority=True),
        Binding("pageup,b", "page_by(-1)", "Page up", show=False, priority=True),
        Binding("pagedown,space", "page_by(1)", "Page down", show=False, priority=True),
        Binding("home,g", "to_end(False)", "Top", show=False, priority=True),
        Binding("end,G", "to_end(True)", "Bottom", show=False, priority=True),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 80; max-width: 100%; height: auto; max-height: 90%; border: thick $accent; background: $surface; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for keys, text in help_rows():
            table.add_row(keys, text)
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys (↑↓ PgUp PgDn g G scroll, Esc closes)"
            yield Static(table)

    def _show_from(self, y: float) -> None:
        # At once, not after the next refresh (Textual's default): "jj" typed at once scrolls two lines, not one.
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_to(y=y, animate=False, immediate=True)

    def action_scroll_by(self, lines: int) -> None:
        self._show_from(self.query_one(VerticalScroll).scroll_y + lines)

    def action_page_by(self, pages: int) -> None:
        scroll = self.query_one(VerticalScroll)
        self._show_from(scroll.scroll_y + pages * scroll.scrollable_content_region.height)

    def action_to_end(self, bottom: bool) -> None:
        scroll = self.query_one(VerticalScroll)
        self._show_from(scroll.max_scroll_y if bottom else 0)
