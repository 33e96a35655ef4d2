"""The config file's [viewer] table applied to the app at mount: its theme and its sidebar, and the config's problems said."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logview.ui.app import LogViewApp


def apply_viewer_defaults(app: LogViewApp) -> None:
    """A theme the installed Textual does not have is named (``app.theme_problem``, said again at exit), and the default kept."""
    defaults = app.defaults
    theme = defaults.theme
    if theme is not None and theme in app.available_themes:
        app.theme = theme
    elif theme is not None:
        known = ", ".join(sorted(app.available_themes))
        app.theme_problem = f"{defaults.theme_at}: unknown theme {theme!r} (known: {known}); the default theme is used"
    if defaults.sidebar is not None:
        app.sidebar.show(defaults.sidebar, app.log_pane)
    for problem in [*app.config_problems, *filter(None, [app.theme_problem])]:
        app.notify(problem, title="config", severity="warning", timeout=15)
