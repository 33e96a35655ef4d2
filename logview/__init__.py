"""logview: a terminal viewer for Python logging output.

The package root stays free of UI imports so that ``import logview`` is cheap,
and changes nothing in the program that imports it (the allocator settings
that the engine wants are made by the logview command and by :func:`view`).
"""

from __future__ import annotations

__all__ = ["__version__", "view"]
__version__ = "0.1.0"


def view(*args: object, **kwargs: object) -> int:
    """Open the viewer on a logging queue and files in this process: see :func:`logview.api.view`."""
    from logview.api import view as open_viewer

    return open_viewer(*args, **kwargs)  # type: ignore[arg-type]
