"""When a file was written, in the timeline's time scale: the place of the records of a file that has no time.

Kept apart from sort_keys.py (numpy): the first frame (newest.py) places
such records too, before numpy is loaded.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["written_time"]


def written_time(seconds: float) -> int:
    """A modification time (seconds since the epoch) in the timeline's time scale (ms), for SourceState.written_at.

    Logged times are read as the wall clock they show, kept as if it were
    UTC: the local wall clock at that moment, likewise, sorts among them.
    """
    return int(datetime.fromtimestamp(seconds).replace(tzinfo=UTC).timestamp() * 1000)
