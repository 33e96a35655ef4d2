"""logview: a terminal viewer for Python logging output.

The package root stays free of UI imports so that ``import logview`` is cheap.
"""

from __future__ import annotations

import os

__all__ = ["__version__", "view"]
__version__ = "0.1.0"

# polars allocates through its own jemalloc, which keeps one arena per thread
# and holds freed pages for ten seconds: with two parse threads that is tens
# of megabytes of working memory kept per thread. One shared arena and a short
# decay keep the peak closer to the index's own size (10M records: 334 -> 311
# MiB, same speed; see BENCHMARKS.md). Read once, when polars is first
# imported; a setting of the user's own wins.
os.environ.setdefault("_RJEM_MALLOC_CONF", "narenas:1,dirty_decay_ms:300,muzzy_decay_ms:0")

# The same for glibc's malloc (numpy's arrays), before any thread exists.
from logview.core.memory import limit_malloc_arenas  # noqa: E402

limit_malloc_arenas()


def view(*args: object, **kwargs: object) -> int:
    """Open the viewer on a logging queue and files in this process: see :func:`logview.api.view`."""
    from logview.api import view as open_viewer

    return open_viewer(*args, **kwargs)  # type: ignore[arg-type]
