"""What the follower says when records were lost to a rotation: how many files, how much, and when they were written.

Nothing is left of those records but the times and sizes of the files
around them, so these lines are estimates, worded as such; they are kept
apart from the polls so that their wording can be read and tested alone.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

__all__ = ["emptied_report", "gap_report", "no_copy_report", "text_gone_report"]


def gap_report(
    path: str,
    ends: Sequence[tuple[int, int]],
    oldest_time: int,
    seen: int = 0,
    copy_times: Sequence[int] = (),
    counted: int | None = None,
) -> str | None:
    """That files were deleted before they could be read, between the last file read and the file last written at ``oldest_time`` (ns).

    How many is ``counted`` when the grabber could count them (from when
    the file before them was deleted: grabber.py). Else the files in between
    were never seen: their number is estimated from the modification times
    (each file's last write, just before its rotation; ``ends`` holds the
    (time, size) of the last files read) of the two files around the gap,
    of the files read before and of the copies found after
    (``copy_times``), unless the grabber saw more of them go by (``seen``).
    None when nothing lies between them.
    """
    if counted is not None:
        files = max(counted, seen)
        if files < 1:
            return None
        if not ends:
            which = f"{files:,} rotated files were" if files > 1 else "1 rotated file was"
            return f"{path}: {which} deleted before logview could read {'them' if files > 1 else 'it'}: their records are lost"
        return _gap_line(path, ends, oldest_time, files, "")
    if not ends:
        return f"{path}: rotated files were deleted before logview could read them: their records are lost"
    last_time, _last_size = ends[-1]
    span = f"between {_clock(last_time)} and {_clock(oldest_time)}"
    times = sorted([end for end, _size in ends] + list(copy_times))
    if len(times) < 3 and not seen:
        return f"{path}: rotated files were deleted before logview could read them: the records written {span} are lost"
    steps = sorted(later - earlier for earlier, later in zip(times, times[1:], strict=False)) or [oldest_time - last_time]
    period = max(steps[len(steps) // 2], 1)
    files = max(round((oldest_time - last_time) / period) - 1, seen)
    if files < 1:
        return None  # the file after the last one read, its copy moved to the oldest number: nothing between them
    return _gap_line(path, ends, oldest_time, files, "about ")


def _gap_line(path: str, ends: Sequence[tuple[int, int]], oldest_time: int, files: int, about: str) -> str:
    """The line of gap_report for ``files`` deleted (counted, or ``about`` so many), their size estimated from the files read."""
    span = f"between {_clock(ends[-1][0])} and {_clock(oldest_time)}"
    size = sorted(size for _end, size in ends)[len(ends) // 2]
    return (
        f"{path}: {about}{files:,} rotated file{'s' if files > 1 else ''} (about {_size_text(files * size)}) deleted "
        f"before logview could read {'them' if files > 1 else 'it'}: the records written {span} are lost"
    )


def emptied_report(path: str, times: int, copied_at: int, emptied_at: int, lost: int) -> str:
    """That records written between a copy and the emptying of the file (logrotate's copytruncate) may be lost.

    Nothing shows whether the writer wrote in that window; what is
    known is when it opened (the copy's last write) and when it closed at the
    latest (the file's last change when the emptying was seen), and the
    bytes seen in the file and found in no copy.
    """
    what = "emptied after a copy was made" if times == 1 else f"emptied {times} times, each after a copy was made"
    certain = f"{_size_text(lost)} seen in it and in no copy are lost, and " if lost > 0 else ""
    return (
        f"{path}: {what} (copytruncate): {certain}records written between {_clock(copied_at)} and "
        f"{_clock(max(emptied_at, copied_at))}, after the copy and before the emptying, are lost if there were any"
    )


def no_copy_report(path: str, looked_at: int) -> str:
    """That a file was emptied in place and no copy of it was found: what was written after the last look is lost, if anything."""
    return f"{path}: truncated, and no copy of it found: records written to it after {_clock(looked_at)} and before it was emptied, if any, are lost"


def text_gone_report(path: str, records: int) -> str:
    """That a file was emptied in place before its text could be kept: its records stay indexed, their text cannot be shown."""
    return f"{path}: truncated; the text of the {records:,} records read before is no longer in it"


def _clock(time_ns: int) -> str:
    """A local time of day to the millisecond, as a log's timestamps show it."""
    return time.strftime("%H:%M:%S", time.localtime(time_ns // 1_000_000_000)) + f".{time_ns // 1_000_000 % 1000:03d}"


def _size_text(size: int) -> str:
    return f"{size:,} bytes" if size < 10_000 else f"{size / 1000:,.0f} kB" if size < 10_000_000 else f"{size / 1e6:,.0f} MB"
