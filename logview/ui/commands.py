"""Every key of the viewer, in one table: the bindings, the help screen, the key bar and the palette are made from it.

A key kept in four lists (the app's bindings, a widget's, the help screen's
table and the palette's) drifts: one of them forgets a key, or tells an old
one. Here each command is written once, with the widget that answers it.
No Textual import at the top: the first frame, drawn before Textual is
loaded, draws the key bar from this table too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from textual.binding import BindingType


class Command(NamedTuple):
    """One thing the user can do, and the keys that do it."""

    #: Textual's key names, comma-separated ("up,k").
    keys: str
    #: The action, as Textual's bindings name it ("cursor(-1)").
    action: str
    #: Its name in the command palette and on the help screen.
    title: str
    #: What it does, in a few words.
    help: str
    #: The keys as people write them ("↑ k").
    shown: str
    #: Who answers it: "app", "log" (the focused log pane), "levels", "loggers", "processes", "filters", "search".
    scope: str = "app"
    #: Its label in the key bar, for the few commands shown there.
    bar: str = ""
    #: Offered in the command palette (keys that only make sense as keys are not).
    palette: bool = True


COMMANDS: tuple[Command, ...] = (
    # The log pane.
    Command("up,k", "cursor(-1)", "Previous record", "move up one record", "↑ k", "log", palette=False),
    Command("down,j", "cursor(1)", "Next record", "move down one record", "↓ j", "log", palette=False),
    Command("pageup,b", "page(-1)", "Page up", "one screen up", "PgUp b", "log", palette=False),
    Command("pagedown,space", "page(1)", "Page down", "one screen down", "PgDn space", "log", palette=False),
    Command("home,g", "top", "First record", "go to the oldest record", "g Home", "log"),
    Command("end,G", "bottom", "Last record", "go to the newest record, following", "G End", "log"),
    Command("left", "sideways(-1)", "Scroll left", "scroll sideways", "←", "log", palette=False),
    Command("right", "sideways(1)", "Scroll right", "scroll sideways", "→", "log", palette=False),
    # Ctrl+J too: an Enter typed before the terminal left line mode (while logview starts) arrives as a newline.
    Command(
        "enter,ctrl+j",
        "open_record",
        "Record details",
        "every field, the whole message and traceback (c copies, s saves, m: more of a cut one)",
        "Enter",
        "log",
    ),
    Command("z", "toggle_fold", "Fold multi-line records", "tracebacks folded to one line, or whole", "z", "log"),
    # Finding things.
    Command("slash", "search", "Search", "a regex or text; lower case matches any case", "/", bar="search"),
    Command("n", "next_match(1)", "Next match", "the next match of the search", "n", bar="next"),
    Command("N", "next_match(-1)", "Previous match", "the previous match of the search", "N"),
    Command("e", "next_at_level(40, 1)", "Next error", "the next record at ERROR or above", "e"),
    Command("E", "next_at_level(40, -1)", "Previous error", "the previous record at ERROR or above", "E"),
    Command("w", "next_at_level(30, 1)", "Next warning", "the next record at WARNING or above", "w"),
    Command("W", "next_at_level(30, -1)", "Previous warning", "the previous record at WARNING or above", "W"),
    Command("t", "jump_to_time", "Jump to time", "ISO time, time of day, or -5m / +1h from the cursor", "t", bar="time"),
    # Filters.
    Command(
        "plus", "add_text_filter(True)", "Show only records matching…", "a filter-in regex; any filter-in keeps a record", "+", bar="filter"
    ),
    Command("minus", "add_text_filter(False)", "Hide records matching…", "a filter-out regex", "-"),
    Command("l", "focus_pane('levels')", "Levels pane", "toggle levels (space); a: this level and above", "l"),
    Command("o", "focus_pane('loggers')", "Loggers pane", "toggle a logger and its subtree (space)", "o"),
    Command("h", "focus_pane('hosts')", "Hosts pane", "toggle hosts (space)", "h"),
    Command("p", "focus_pane('processes')", "Processes pane", "toggle processes (space)", "p"),
    # Where these work, the help screen says from their scope (help.WHERE): their help says what they do.
    Command("a", "and_above", "This level and above", "keep the highlighted level and those above it", "a", "levels", palette=False),
    Command("space", "toggle_logger", "Toggle logger", "the highlighted logger and its subtree", "space", "loggers", palette=False),
    Command("space", "toggle_filter", "Switch filter", "the highlighted filter off, or on again", "space", "filters", palette=False),
    Command("delete,backspace,x", "remove", "Remove filter", "the highlighted filter", "Delete", "filters", palette=False),
    # The view.
    Command("f", "toggle_follow", "Follow", "stay on the newest record as records arrive", "f", bar="follow"),
    Command("ctrl+w", "toggle_wrap", "Wrap long lines", "fold long lines to the pane's width", "Ctrl+W"),
    Command("s", "split", "Split", "a second log pane with its own filters (again to close)", "s"),
    Command("backslash,f9", "toggle_sidebar", "Sidebar", "show or hide the level, logger and process panes", "\\ F9", bar="sidebar"),
    Command("escape", "focus_pane('log')", "Back to the log", "close a bar, leave a pane", "Esc", palette=False),
    Command("question_mark", "help", "Keys", "every key", "?", bar="keys"),
    Command("q", "quit", "Quit", "leave logview", "q", bar="quit"),
    # From anywhere, a prompt included, as in less and lnav: Textual's own Ctrl+C only says to press Ctrl+Q.
    Command("ctrl+c", "interrupt", "Quit", "leave logview, from anywhere", "Ctrl+C", palette=False),
)


def bindings(scope: str) -> list[BindingType]:
    """The Textual bindings of ``scope``'s commands (shown nowhere by Textual: the key bar shows them).

    Every one with priority: Textual resolves other bindings only once the key
    has bubbled up from the focused widget, by which time the keys typed after
    it have gone to that widget too. ``g/job`` typed at once would lose the g,
    and the "job" would reach the log pane (a split, a jump) instead of the
    search bar. A priority binding acts as its key is read, so each key
    finds the focus that the keys before it left. The app's commands are
    switched off where a text input or another screen has the keys
    (LogViewApp.check_action).
    """
    from textual.binding import Binding

    return [
        Binding(command.keys, command.action, command.title, show=False, priority=True) for command in COMMANDS if command.scope == scope
    ]


#: The app's actions that give way to a text input and to other screens (all but Ctrl+C's).
YIELDING_ACTIONS = frozenset(
    command.action.partition("(")[0] for command in COMMANDS if command.scope == "app" and command.keys != "ctrl+c"
)


def key_bar_items() -> list[tuple[str, str]]:
    """(keys, label) of the commands the key bar shows, in the table's order."""
    return [(command.shown.split()[0], command.bar) for command in COMMANDS if command.bar]
