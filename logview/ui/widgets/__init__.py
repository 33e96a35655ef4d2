"""⑤ The views' widgets: the log pane, the sidebar's panes and filters, the histogram and the bars; one widget per module.

They show what the core's selections and counts give them and post what the
user asks for; the app (``logview.ui.app``) does the wiring. ``__all__``
names the modules used from outside the package; the others serve these.
"""

__all__ = [
    "histogram",
    "key_bar",
    "level_pane",
    "log_pane",
    "log_view",
    "logger_tree",
    "pid_pane",
    "prompt_bar",
    "record_body",
    "sidebar",
    "status_bar",
    "text_filters",
]
