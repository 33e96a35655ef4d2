"""The viewer's entries in Textual's command palette: every command of the key table, by name, for those who do not know the keys."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

from logview.ui.commands import COMMANDS

if TYPE_CHECKING:
    from logview.ui.app import LogViewApp


def viewer_commands(app: LogViewApp) -> Iterator[SystemCommand]:
    """The palette commands of the viewer's main screen, each naming its key."""
    yield SystemCommand(
        "Save view as text", "write the records of the focused pane, as they were logged", partial(app.action_save_view, "text")
    )
    yield SystemCommand("Save view as JSON lines", "one JSON object per record of the focused pane", partial(app.action_save_view, "jsonl"))
    seen: set[str] = set()
    for command in COMMANDS:
        if not command.palette or command.title in seen:
            continue
        seen.add(command.title)
        # A log pane's command acts on the pane the sidebar edits, as its key would.
        target = app.log_pane if command.scope == "log" else app
        yield SystemCommand(command.title, f"{command.help} ({command.shown})", partial(app.run_action, command.action, target))


def system_commands(app: LogViewApp, screen: Screen, textual_commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """The palette of ``screen``: Textual's own commands, then the viewer's (on the main screen only: they act on its panes).

    Textual's commands the viewer has one of its own for (Quit, Keys) are left out: each is offered once.
    """
    ours = list(viewer_commands(app)) if screen is app.screen_stack[0] else []
    titles = {command.title for command in ours}
    yield from (command for command in textual_commands if command.title not in titles)
    yield from ours
