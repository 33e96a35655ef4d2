"""The viewer's start: keys read from the terminal when records are piped, the first frame, then the app.

Textual is imported here only, once the arguments are understood, and after
the first frame is drawn: the first screen shows before the app is loaded.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from logview.settings import Settings, UsageError, is_terminal
from logview.source_kinds import sources_for

if TYPE_CHECKING:
    from logview.ui.first_frame import FirstFrame

__all__ = ["run_viewer"]


def run_viewer(settings: Settings) -> int:
    """Open the Textual app (imported here: ``--print`` never pays for loading Textual) on the sources the command line asks for."""
    if not is_terminal(sys.stdin):
        _keys_from_terminal()
    frame = None if settings.top or settings.listen else _first_frame(settings)
    from logview.core.memory import tune_allocators

    tune_allocators()  # before the app's threads, after the first frame (which starts none)
    try:
        from logview.core.pipeline import VIEWER_CHUNK_SIZE, Pipeline
        from logview.ui.run import run_app

        pipeline = Pipeline(user_formats=settings.formats, named_formats=settings.named_formats, growing=True, chunk_size=VIEWER_CHUNK_SIZE)
        sources = sources_for(settings, pipeline, follow=True)
        return run_app(
            settings.paths,
            settings.filters,
            pipeline,
            sources,
            top=settings.top,
            frame=frame,
            defaults=settings.viewer,
            config_problems=settings.config_problems,
        )
    finally:
        if frame is not None:
            frame.undo()


def _first_frame(settings: Settings) -> FirstFrame | None:
    """The app's first screen, drawn at once from the inputs' newest records, before Textual is loaded (ui/first_frame.py).

    Only when nothing would hide them: with filters the first screen is the
    filtered records', which the index finds.
    """
    from logview.core.filters import Filters
    from logview.ui.first_frame import draw_first_frame

    if settings.filters != Filters():
        return None
    sidebar = settings.viewer.sidebar if settings.viewer is not None else None
    return draw_first_frame(settings.paths, tuple(settings.formats), settings.named_formats, sidebar)


def _keys_from_terminal() -> None:
    """Read piped records from another descriptor, and keys from the terminal, as less and lnav do.

    Textual reads keys from descriptor 0: what was standard input moves to a
    descriptor of its own (``sys.stdin``, which ``-`` is read from) and 0
    becomes the terminal.
    """
    try:
        terminal = os.open("/dev/tty", os.O_RDWR)
    except OSError as error:
        raise UsageError(f"standard input is piped and no terminal can be opened for the keys ({error.strerror})") from None
    piped = os.dup(0)
    os.dup2(terminal, 0)
    os.close(terminal)
    sys.stdin = open(piped, encoding="utf-8", errors="replace", closefd=True)  # noqa: SIM115 - standard input for the process' life
