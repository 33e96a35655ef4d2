"""SIGTERM (a service manager stopping logview) and SIGHUP (its terminal closed) quit the viewer as q does.

Textual leaves both signals to their default, which kills the process at
once: a SIGTERM left the user's terminal in the app's screen and modes. Here
they quit through the app's own exit, which gives the terminal back; the
exit status is 128 + the signal's number, as a shell reports a command a
signal stopped (and as ``--print -f`` ends on them).
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from typing import Any

from textual.app import App

__all__ = ["QUIT_SIGNALS", "quit_on_signals"]

QUIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


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
    app.exit(return_code=128 + number)
