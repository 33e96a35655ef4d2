"""A one-line prompt (text filter, time to jump to, file to save to) that checks its answer in place."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

#: Returns an error message for a bad answer, or None when the answer is fine.
Check = Callable[[str], str | None]


class PromptScreen(ModalScreen[str | None]):
    """Asks for one value; Enter returns it (once ``check`` accepts it), Escape returns None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    PromptScreen { align: center middle; }
    PromptScreen > Vertical { width: 80; height: auto; border: thick $accent; background: $surface; padding: 0 1; }
    PromptScreen #error { color: $error; height: auto; }
    """

    def __init__(self, title: str, placeholder: str = "", value: str = "", check: Check | None = None) -> None:
        super().__init__()
        self.prompt_title = title
        self.placeholder = placeholder
        self.initial = value
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.prompt_title
            yield Input(value=self.initial, placeholder=self.placeholder, id="answer")
            yield Label("", id="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        answer = event.value.strip()
        error = self.check(answer) if self.check is not None and answer else None
        if error is not None:
            self.query_one("#error", Label).update(error)
            return
        self.dismiss(answer or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
