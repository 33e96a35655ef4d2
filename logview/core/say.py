"""Messages on standard error: one whole line each, whichever thread writes it.

``print(message, file=sys.stderr)`` writes the text and its newline as two
writes, so two threads reporting at once (the socket listener's and the
follower's) ran their messages into each other. Here each line is encoded
first and goes out in one ``os.write`` (looping only if the descriptor takes
part of it), under a lock: whole between logview's threads, and, when shorter
than PIPE_BUF, whole between processes writing to the same pipe.
"""

from __future__ import annotations

import os
import sys
import threading

__all__ = ["say", "write_line"]

_lock = threading.Lock()


def say(message: str) -> None:
    """``logview: message`` as one line on standard error."""
    write_line(f"logview: {message}")


def write_line(line: str) -> None:
    """``line`` and its newline, written at once to standard error; nothing happens when standard error is gone."""
    stream = sys.stderr
    if stream is None:  # pythonw, or a closed descriptor 2 at start
        return
    # As Python's own stderr does: what the encoding cannot say is spelled out, never an error.
    data = (line + "\n").encode(getattr(stream, "encoding", None) or "utf-8", "backslashreplace")
    with _lock:
        try:
            stream.flush()  # what Python itself wrote to sys.stderr before comes first
            descriptor = stream.fileno()
        except (AttributeError, OSError, ValueError):  # a stream without a descriptor (a test's StringIO)
            _write_to_stream(stream, line)
            return
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(descriptor, view) :]
        except OSError:
            pass  # standard error closed or full: there is nowhere left to say it


def _write_to_stream(stream: object, line: str) -> None:
    try:
        stream.write(line + "\n")  # type: ignore[attr-defined]
        stream.flush()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        pass
