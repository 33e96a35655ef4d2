"""The Python API: open the viewer, in this process, on a logging queue and files.

    import logging.handlers, multiprocessing
    import logview

    log_queue = multiprocessing.Queue()
    # ... worker processes log through logging.handlers.QueueHandler(log_queue) ...
    logview.view(log_queue)                   # blocks until the viewer is closed (q)
    logview.view(log_queue, ["app.log*"])     # the queue's records and the files', in one timeline

The viewer drains the queue the way ``logging.handlers.QueueListener`` does,
in batches, off the UI thread, until it is closed or the queue carries
QueueListener's stop sentinel (``None``). Put records on it through a
``QueueHandler`` without a formatter of its own (the logging cookbook's way):
``QueueHandler.prepare`` then puts the message, traceback included, into
``msg``, and the viewer shows the record's own time, level, logger, process
and thread. Only one consumer should take from a queue: the viewer replaces
the QueueListener, it does not run beside one.
"""

from __future__ import annotations

from collections.abc import Sequence

from logview.core.filters import Filters
from logview.core.sources.queue import LogQueue

__all__ = ["view"]


def view(log_queue: LogQueue | None = None, paths: Sequence[str] = (), filters: Filters | None = None) -> int:
    """Open the viewer on ``log_queue`` (a ``queue.Queue`` or ``multiprocessing.Queue``) and ``paths``.

    Blocks until the viewer is closed; returns 1 if an input could not be read,
    70 if the viewer failed (one line on stderr says where its traceback was written), else 0.
    The host's allocators are left as they are: tuning them (core/memory.py)
    changes the whole process, which is the logview command's to do, not a
    library's.
    """
    from logview.ui.app import LogViewApp
    from logview.ui.run import run_viewer_app

    return run_viewer_app(LogViewApp(paths, filters, queues=[log_queue] if log_queue is not None else []))
