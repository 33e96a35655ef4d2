"""How the session runs its work: on threads, with results handed back to one owner's thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class Runner(Protocol):
    """Threads for the session's passes over the timeline, and the way back to the thread that owns its state.

    The app runs them as Textual workers and hands results back through its
    message queue; a plain test runs threads and hands results back on its
    own thread. The session's state is only changed on that thread.
    """

    def run_in_thread(self, work: Callable[[], None], group: str, exclusive: bool = False) -> None:
        """Start ``work`` on a thread; ``exclusive`` cancels the group's earlier work (see ``Session.find_matches``)."""

    def deliver(self, callback: Callable[..., None], *args: Any) -> None:
        """Have the owner's thread call ``callback(*args)``; called from a worker's thread, returns at once."""
