"""Textual's hooks for an unhandled exception, turned from printing a traceback to keeping the exception.

Textual would print the whole traceback over the user's shell once the app
has stopped; run_viewer_app (ui/run.py) reports it instead, in one line,
with the traceback in a file (logview.crash).
"""

from __future__ import annotations

from textual.app import App


class CrashHooks(App[int]):
    """An app that keeps the exception that stopped it in ``crash``, and prints none of it."""

    #: The exception that stopped the app: reported in one line, its traceback in a file (logview.crash).
    crash: BaseException | None = None

    def _handle_exception(self, error: Exception) -> None:
        if self.crash is None:
            self.crash = error
        super()._handle_exception(error)

    def _print_error_renderables(self) -> None:
        if self.crash is None:
            super()._print_error_renderables()
        else:
            self._exit_renderables.clear()
