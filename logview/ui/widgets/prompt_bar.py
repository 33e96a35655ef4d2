"""The one-line bar at the bottom for what the viewer asks: a search, a filter, a time, a file to save to.

It is always there, hidden, and takes the focus the moment it is asked to,
not after a refresh: keys typed right after ``/`` or ``+`` (a fast typist, a
paste) are already queued when the bar opens, and must reach it rather than
the log pane. A modal screen would be mounted only after them. An answer is
checked in place (a bad regex, a bad time) and the bar stays open to mend it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input

#: Returns an error message for a bad answer, or None when the answer is fine.
Check = Callable[[str], str | None]
#: Called with the accepted answer.
Answered = Callable[[str], None]


class PromptBar(Input):
    """Enter answers (once the check accepts it); Escape closes; either way the focus goes back where it was."""

    # Ctrl+J submits too: an Enter typed ahead, before the terminal left line mode (while logview starts), is a newline.
    BINDINGS = [Binding("escape", "close", "Close", show=False), Binding("ctrl+j", "submit", "Submit", show=False)]

    DEFAULT_CSS = """
    PromptBar { dock: bottom; display: none; border: tall $accent; }
    PromptBar.-error { border: tall $error; border-subtitle-color: $error; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._answered: Answered | None = None
        self._check: Check | None = None
        self._return_to: Widget | None = None

    @property
    def is_open(self) -> bool:
        return self._answered is not None

    def ask(self, title: str, answered: Answered, placeholder: str = "", value: str = "", check: Check | None = None) -> None:
        """Open the bar with ``title``; ``answered`` gets the answer as typed (never blank: Enter on nothing closes)."""
        self._return_to = self.screen.focused if self.screen.focused is not self else self._return_to
        self._answered, self._check = answered, check
        self.border_title = title
        self.border_subtitle = None
        self.remove_class("-error")
        self.placeholder = placeholder
        self.value = value
        self.cursor_position = len(value)
        self.display = True
        # At once: a Widget.focus() is applied after the keys already queued, which would go to the log pane.
        self.screen.set_focus(self)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        # Not stripped: a search for "job " is not one for "job".
        answer = event.value if event.value.strip() else ""
        error = self._check(answer) if self._check is not None and answer else None
        if error is not None:
            self.border_subtitle = error
            self.add_class("-error")
            return
        answered = self._answered
        self.action_close()
        if answer and answered is not None:
            answered(answer)

    def action_close(self) -> None:
        self._answered = self._check = None
        self.display = False
        self.screen.set_focus(self._return_to if self._return_to is not None and self._return_to.is_attached else None)


def smart_case(pattern: str) -> str:
    """``pattern`` matching any case when it holds no capital letter, as less -i and lnav search.

    Capitals in escapes (``\\S``, ``\\W``) do not count: they are syntax, not text.
    """
    if any(char.isupper() for char in re.sub(r"\\.", "", pattern)):
        return pattern
    return f"(?i){pattern}"


def regex_error(text: str) -> str | None:
    """Why ``text`` is not a regex, or None."""
    try:
        re.compile(text)
    except re.error as error:
        return f"invalid regex {text!r}: {error}"
    return None
