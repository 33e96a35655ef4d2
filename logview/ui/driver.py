"""Textual's terminal driver, taking over a terminal on which the first frame is already drawn.

It keeps the terminal in the first frame's raw mode while Textual sets its
own, and gives Textual the user's settings to restore at the end (it would
otherwise keep the raw ones it finds, and leave the shell in them). The
terminal never goes back to line mode in between: Linux reads the keys typed
meanwhile again when line mode is switched on and off, and a typed-ahead
Enter arrived twice. And it does not enter the alternate screen a second
time: on some terminals that clears it, and the first frame would flicker
out before Textual draws the same one.
"""

from __future__ import annotations

from typing import Any

from textual.drivers.linux_driver import LinuxDriver

from logview.ui.first_frame import FirstFrame

ALTERNATE_SCREEN = "\x1b[?1049h"


def driver_over(frame: FirstFrame) -> type[LinuxDriver]:
    """A driver class for an app that starts over ``frame``."""

    class OverFirstFrame(LinuxDriver):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._on_alternate_screen = False

        def start_application_mode(self) -> None:
            self._on_alternate_screen = True
            super().start_application_mode()
            self.attrs_before = frame.saved  # restored by stop_application_mode
            frame.handed_over = True

        def write(self, data: str) -> None:
            if self._on_alternate_screen and data == ALTERNATE_SCREEN:
                self._on_alternate_screen = False
                return
            super().write(data)

    return OverFirstFrame
