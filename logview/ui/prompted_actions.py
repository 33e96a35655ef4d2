"""The keys that ask for a line in the prompt bar before they act: a text filter (+ and -), a time to jump to (t), a file to save the view to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from logview.core.filters import FilterError, TextFilter
from logview.core.printer import save_view
from logview.core.seek import first_at_or_after
from logview.core.user_time import parse_moment
from logview.core.view_rows import ViewRows
from logview.ui.widgets.prompt_bar import regex_error

if TYPE_CHECKING:
    from logview.ui.app import LogViewApp


class PromptedActions:
    """Asks the prompt bar for what an action needs, checks it as it is typed, and acts on the active log pane."""

    def __init__(self, app: LogViewApp) -> None:
        self.app = app

    def add_text_filter(self, keep: bool) -> None:
        app = self.app

        def added(pattern: str) -> None:
            filters = app.session.filters
            app.set_filters(filters._replace(text_filters=(*filters.text_filters, TextFilter(pattern, keep))))
            app.sidebar.show_text_filters(app.session.filters.text_filters)

        title = "Keep records matching (regex; any filter-in keeps)" if keep else "Hide records matching (regex)"
        app.prompt.ask(title, added, check=regex_error)

    def jump_to_time(self) -> None:
        app = self.app
        pane = app.log_pane
        reference = pane.cursor_time()

        def check(text: str) -> str | None:
            try:
                parse_moment(text, reference)
            except FilterError as error:
                return str(error)
            return None

        def jump(text: str) -> None:
            index = first_at_or_after(app.pipeline.timeline, pane.selection, parse_moment(text, reference))
            app.search_keys.move_cursor(pane, min(index, len(pane.selection) - 1))

        # The forms in the placeholder, not the title: the title is cut to the bar's width (80 columns).
        app.prompt.ask(
            "Jump to time", jump, placeholder="2024-03-01T12:00, 12:00 on the cursor's day, -5m or +1h from the cursor", check=check
        )

    def save_view(self, output: str) -> None:
        """Write the focused pane's records to a file, as text (the original lines) or JSONL; asks before overwriting."""
        app = self.app
        rows = app.log_pane.selection
        suffix = "jsonl" if output == "jsonl" else "log"
        app.prompt.ask_path(
            f"Save {len(rows):,} records as {output} to",
            f"logview-view.{suffix}",
            lambda target: app.run_worker(lambda: self._save_rows(rows, target, output), thread=True, group="save"),
            lambda: app.update_status("not saved"),
        )

    def _save_rows(self, rows: ViewRows, path: str, output: str) -> None:
        """On a thread: a view of millions of records takes seconds to write."""
        app = self.app
        try:
            written = save_view(app.pipeline, rows, path, output)
        except OSError as error:
            app.call_from_thread(app.notify, f"cannot save to {path}: {error.strerror or error}", severity="error")
            return
        app.call_from_thread(app.notify, f"saved {written:,} records to {path}")
