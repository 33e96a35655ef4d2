"""SIGTERM (a service manager stopping logview) and SIGHUP (its terminal closed) quit the viewer as q does.

Textual leaves both signals to their default, which kills the process at
once: a SIGTERM left the user's terminal in the app's screen and modes. Here
they quit through the app's own exit, which gives the terminal back (when
the terminal is gone, what the exit writes goes to /dev/null); the exit
status is 128 + the signal's number, as a shell reports a command a signal
stopped (and as ``--print -f`` ends on them).
"""

from __future__ import annotations

import asyncio
import os
import signal
import termios
import threading
from collections.abc import Callable
from typing import Any

from textual.app import App

__all__ = ["QUIT_SIGNALS", "quit_on_signals"]

QUIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
#: Seconds the app has to quit after a signal before the process ends without it.
EXIT_SECONDS = 5.0


def quit_on_signals(app: App[Any]) -> Callable[[], None]:
    """Have ``QUIT_SIGNALS`` quit ``app``, from its event loop; returns what gives them their handlers back.

    Only the main thread may handle signals: the viewer opened from another
    thread (``logview.view``) leaves them as they are.
    """
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for number in QUIT_SIGNALS:
        try:
            loop.add_signal_handler(number, _quit, app, number)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals on this platform
            break
        installed.append(number)

    def undo() -> None:
        for number in installed:
            loop.remove_signal_handler(number)

    return undo


def _quit(app: App[Any], number: signal.Signals) -> None:
    status = 128 + number
    if not _terminal_alive():
        # Closed (the SIGHUP of a closed window): Textual's writer thread dies on the first write that fails,
        # and its exit then waits for it forever. What the app still writes on its way out goes nowhere instead.
        devnull = os.open(os.devnull, os.O_WRONLY)
        for descriptor in (1, 2):
            os.dup2(devnull, descriptor)
        os.close(devnull)
    # A backstop: the terminal may have failed a write before this handler ran, and the exit hang on it.
    backstop = threading.Timer(EXIT_SECONDS, os._exit, (status,))
    backstop.daemon = True
    backstop.start()
    app.exit(return_code=status)


def _terminal_alive() -> bool:
    """Whether the terminal the app draws on (Textual's is standard error) is still there: a hung-up one fails every request."""
    try:
        termios.tcgetattr(2)
    except (termios.error, OSError):
        return False
    return True
