"""When logview itself fails: the full traceback goes to a file, the terminal gets one line naming it.

A viewer that dies must not leave a screenful of traceback over the user's
shell, nor exit 0 as if all went well; the traceback is still needed by
whoever reports the bug, so it is kept where the line says.
"""

from __future__ import annotations

import os
import sys
import time

from logview.core.say import write_line
from logview.core.version import __version__

#: The exit status after an internal error (sysexits.h's EX_SOFTWARE).
EXIT_INTERNAL_ERROR = 70


def crash_directory() -> str:
    """Where crash reports go: ``$XDG_STATE_HOME/logview`` (``~/.local/state/logview``)."""
    state_home = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return os.path.join(state_home, "logview")


def write_crash_report(error: BaseException, context: str = "") -> str | None:
    """Write ``error``'s traceback (and ``context``) to a new file; its path, or None when nothing could be written."""
    import traceback

    text = "".join(traceback.format_exception(error))
    header = f"logview {__version__} on Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M:%S')}\n"
    header += f"command: {' '.join(sys.argv)}\n" + (f"{context}\n" if context else "") + "\n"
    name = f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
    import tempfile  # only when logview has failed: it costs the first frame 15 ms

    for directory in (crash_directory(), tempfile.gettempdir()):
        path = os.path.join(directory, name)
        try:
            os.makedirs(directory, exist_ok=True)
            with open(path, "w", encoding="utf-8") as report:
                report.write(header + text)
        except OSError:
            continue
        return path
    return None


def crash_line(error: BaseException, path: str | None) -> str:
    """The one line logview prints when it stops on an internal error."""
    cause = f"{type(error).__name__}: {error}".splitlines()[0] if str(error) else type(error).__name__
    if len(cause) > 200:
        cause = cause[:199] + "…"
    where = f"the full traceback is in {path}" if path else "the traceback could not be written to a file"
    return f"logview: stopped on an internal error ({cause}); {where}"


def report_crash(error: BaseException, context: str = "") -> int:
    """Keep the traceback, say so in one line on stderr, and return the exit status to end with."""
    write_line(crash_line(error, write_crash_report(error, context)))
    return EXIT_INTERNAL_ERROR
