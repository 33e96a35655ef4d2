"""The one-line bar at the bottom for what the viewer asks: a search, a filter, a time, a file to save to.

It is always there, hidden, and takes the focus the moment it is asked to,
not after a refresh: keys typed right after ``/`` or ``+`` (a fast typist, a
paste) are already queued when the bar opens, and must reach it rather than
the log pane. A modal screen would be mounted only after them. An answer is
checked in place (a bad regex, a bad time) and the bar stays open to mend it.

Every key is applied as the app hands it over, not queued (see
PromptBar._forward_event): a key's place is decided by the keys before it.
``g/job 9⏎nn`` typed at once searches "job 9", then goes to the next match
twice; ``+queue⏎-lib1⏎`` makes two filters.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from textual import events
from textual.actions import parse
from textual.binding import BindingsMap
from textual.widget import Widget
from textual.widgets import Input
from textual.widgets.input import Selection

#: Returns an error message for a bad answer, or None when the answer is fine.
Check = Callable[[str], str | None]
#: Called with the accepted answer.
Answered = Callable[[str], None]

#: Input's editing keys (← Home Backspace Ctrl+U…) and the names and arguments of the actions they run.
EDITING_KEYS: dict[str, tuple[str, tuple[Any, ...]]] = {
    key: parse(bindings[0].action)[1:] for key, bindings in BindingsMap(Input.BINDINGS).key_to_bindings.items() if key != "enter"
}
#: Keys that answer. Ctrl+J too: an Enter typed ahead, before the terminal left line mode (while logview starts), is a newline.
ANSWER_KEYS = frozenset({"enter", "ctrl+j"})


class PromptBar(Input):
    """Enter answers (once the check accepts it); Escape closes; either way the focus goes to ``home()``, the log pane."""

    # On a layer of its own, over the bottom rows: opening and closing it resizes nothing, so the frame that closes it
    # (the first of every search's answer) repaints three rows instead of laying out and drawing the whole screen.
    DEFAULT_CSS = """
    PromptBar { dock: bottom; layer: prompt; display: none; border: tall $accent; }
    PromptBar.-error { border: tall $error; border-subtitle-color: $error; }
    """

    def __init__(self, home: Callable[[], Widget], *, id: str | None = None) -> None:
        # Not Input's select-all on focus: it comes with the Focus event, after the keys typed ahead were
        # applied, and the next key would replace them ("/ab", then "c", searched "c"). ask() selects instead.
        super().__init__(id=id, select_on_focus=False)
        #: Where the focus goes when the bar closes. Not where it was when the bar opened: after ``l`` (the
        #: levels pane), ``/`` and Esc, the space meant to page down the log hid DEBUG.
        self._home = home
        self._answered: Answered | None = None
        self._check: Check | None = None

    @property
    def is_open(self) -> bool:
        return self._answered is not None

    def ask(self, title: str, answered: Answered, placeholder: str = "", value: str = "", check: Check | None = None) -> None:
        """Open the bar with ``title``; ``answered`` gets the answer as typed (never blank: Enter on nothing closes)."""
        self._answered, self._check = answered, check
        self.border_title = title
        self.border_subtitle = None
        self.remove_class("-error")
        self.placeholder = placeholder
        self.value = value
        # A proposed answer (the file to save to) is selected: Enter takes it, a name typed replaces it.
        self.selection = Selection(0, len(value))
        self.display = True
        # At once: a Widget.focus() is applied after the keys already queued, which would go to the log pane.
        self.screen.set_focus(self)

    def ask_path(self, title: str, proposed: str, chosen: Callable[[str], object], declined: Callable[[], object]) -> None:
        """Ask for a file to write to, ``proposed`` selected; ``chosen`` gets the path (``~`` expanded), once a y says to overwrite one that exists."""

        def answered(path: str) -> None:
            target = os.path.expanduser(path.strip())
            if not os.path.exists(target):
                chosen(target)
                return

            def confirmed(answer: str) -> None:
                if answer.lower() in ("y", "yes"):
                    chosen(target)
                else:
                    declined()

            # The path in the placeholder, not the title: the title is cut to the bar's width, the path can be long.
            self.ask("File exists: y overwrites it, Esc keeps it", confirmed, placeholder=path)

        self.ask(title, answered, value=proposed)

    def _forward_event(self, event: events.Event) -> None:
        # The app hands the focused widget each key here, on its own task and in the order the keys came, once
        # its priority bindings (Ctrl+C) have let the key pass. Textual would queue the key for the bar, and
        # run the bar's Enter, ← and Ctrl+U only after the key came back up to the app, by which time the
        # keys typed after them were in the bar's queue: "/abc←x⏎" searched "abcx", "/job⏎n" "jobn". Applied
        # here, a key is done before the app reads the next one, which finds the focus this key left.
        if self.is_open and isinstance(event, events.Key):
            self.type_key(event)
        elif self.is_open and isinstance(event, events.Paste):
            self._insert(event.text.splitlines()[0] if event.text else "")  # one line, as Input takes a paste
        else:
            super()._forward_event(event)

    def type_key(self, event: events.Key) -> None:
        """Apply one key: answer, close, edit, or type a character."""
        self._restart_blink()
        if event.key in ANSWER_KEYS:
            self.answer()
        elif event.key == "escape":
            self.close()
        elif event.key in EDITING_KEYS:
            name, arguments = EDITING_KEYS[event.key]
            getattr(self, f"action_{name}")(*arguments)
        elif event.is_printable and event.character is not None:
            self._insert(event.character)

    def _insert(self, text: str) -> None:
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)

    def answer(self) -> None:
        """The value typed, to the asker, once the check accepts it; a blank one only closes the bar."""
        # Not stripped: a search for "job " is not one for "job".
        answer = self.value if self.value.strip() else ""
        error = self._check(answer) if self._check is not None and answer else None
        if error is not None:
            self.border_subtitle = error
            self.add_class("-error")
            return
        answered = self._answered
        self.close()
        if answer and answered is not None:
            answered(answer)

    def close(self) -> None:
        """Hide the bar and give the focus to the log pane, at once: the next key typed is the pane's."""
        self._answered = self._check = None
        self.display = False
        self.screen.set_focus(self._home())


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
