"""The viewer's entries in Textual's command palette: every action, by name, for those who do not know the keys."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand

if TYPE_CHECKING:
    from logview.ui.app import LogViewApp


def viewer_commands(app: LogViewApp) -> Iterator[SystemCommand]:
    """The palette commands of the viewer's main screen, each naming its key."""
    commands = (
        ("Save view as text", "write the records of the focused pane, as they were logged", partial(app.action_save_view, "text")),
        ("Save view as JSON lines", "one JSON object per record of the focused pane", partial(app.action_save_view, "jsonl")),
        ("Search", "find a regex or text (/)", app.action_search),
        ("Show only records matching…", "add a filter-in regex (+)", partial(app.action_add_text_filter, True)),
        ("Hide records matching…", "add a filter-out regex (-)", partial(app.action_add_text_filter, False)),
        ("Jump to time", "go to the first record at or after a time (t)", app.action_jump_to_time),
        ("Toggle follow", "stay at the bottom as records arrive (f)", app.action_toggle_follow),
        ("Toggle wrap", "wrap long lines (w)", app.action_toggle_wrap),
        ("Fold multi-line records", "show tracebacks folded to one line, or whole (z)", app.log_pane.action_toggle_fold),
        ("Split", "a second log pane with its own filters (s)", app.action_split),
        ("Levels pane", "focus the level pane (l)", partial(app.action_focus_pane, "levels")),
        ("Loggers pane", "focus the logger tree (o)", partial(app.action_focus_pane, "loggers")),
        ("Processes pane", "focus the PID pane (p)", partial(app.action_focus_pane, "processes")),
        ("Keys", "every key (?)", app.action_help),
    )
    for title, help_text, callback in commands:
        yield SystemCommand(title, help_text, callback)
