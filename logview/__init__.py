"""logview: a terminal viewer for Python logging output.

The package root stays free of UI imports so that ``import logview`` is cheap,
and nothing here changes the program that imports it: the allocator settings
that the engine wants are made by the logview command only, not by :func:`view`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the annotations' types only: importing them would load the engine with the package
    from collections.abc import Sequence

    from logview.core.filters import Filters
    from logview.core.sources.queue import LogQueue

__all__ = ["__version__", "view"]


def __getattr__(name: str) -> str:
    """``logview.__version__``, read from logview/core/version.py (where the core reads it too) only when asked for:
    ``import logview`` loads no other module."""
    if name == "__version__":
        from logview.core.version import __version__

        return __version__
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def view(log_queue: LogQueue | None = None, paths: Sequence[str] = (), filters: Filters | None = None) -> int:
    """Open the viewer on ``log_queue`` (a ``queue.Queue`` or ``multiprocessing.Queue``) and ``paths``: see :func:`logview.api.view`.

    Its own signature, so that help(), an editor and a type checker show the
    arguments; the viewer itself is imported only when it is called.
    """
    from logview.api import view as open_viewer

    return open_viewer(log_queue, paths, filters)
