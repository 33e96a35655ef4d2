"""Where the keys go: the app's keys give way to a prompt and to other screens, Ctrl+C quits from anywhere, and a closed dialog gives the focus back.

Textual's hooks, overridden in a base class of the app: they decide which
widget reads the next key, and must decide it at once, before the keys
already typed are read (see commands.bindings).
"""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.widget import Widget
from textual.widgets import Input

from logview.ui.commands import YIELDING_ACTIONS


class KeyFocus(App[int]):
    """The app's keys, and the focus after a dialog; ``focus_after_dialog`` names the widget that has it then."""

    def focus_after_dialog(self) -> Widget | None:
        """The widget the main screen's focus goes to when a dialog closes onto it; None leaves it where it was."""
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The app's keys are priority bindings (see commands.bindings): they give way where the user types
        # text (a prompt) and on other screens (details, help, the palette), whose keys are their own.
        elsewhere = self.screen is not self.screen_stack[0] or isinstance(self.focused, Input)
        return not (action in YIELDING_ACTIONS and elsewhere)

    async def on_event(self, event: events.Event) -> None:
        """Esc and the key typed right after it, read as the two keys they were, not as one Alt key.

        A terminal sends Esc as the byte that also begins Alt+key, so Textual
        reads Esc and a ``q`` that arrive together (typed fast, or over SSH)
        as Alt+Q: the details stayed open, and nothing quit. logview binds no
        Alt key, so each is taken apart again.
        """
        if isinstance(event, events.Key) and event.key.startswith("alt+") and event.character and len(event.character) == 1:
            self.post_message(events.Key("escape", "\x1b"))
            self.post_message(events.Key(event.character, event.character))
            return
        await super().on_event(event)

    def action_interrupt(self) -> None:
        """Ctrl+C: quit from anywhere, as less and lnav do."""
        self.exit()

    def pop_screen(self) -> AwaitComplete:
        """Close a dialog (keys, details, the palette) onto the log pane, whatever had the focus before it opened.

        Here, as the dialog leaves the stack, not when the main screen resumes: the key typed after the
        Esc that closed it is read before then, and must find the log pane (a space pages down the log,
        where the levels pane would hide DEBUG). A bar still open (Ctrl+P from a search) has it back.
        """
        popped = super().pop_screen()
        if self.screen is self.screen_stack[0] and (widget := self.focus_after_dialog()) is not None:
            self.screen.set_focus(widget)
        return popped
