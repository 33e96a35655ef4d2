"""The last bytes of a plain file, which format detection samples beside its first ones (parse/detect.py).

A program upgraded, or a handler whose formatter was swapped, writes the end
of a file in another format than its start; a sample of the start alone
would read every later record as the continuation of one.
"""

from __future__ import annotations

import os

#: Bytes read from a plain file's end: about a hundred lines of a log.
TAIL_BYTES = 32 * 1024


def tail_start(size: int) -> int:
    """Where the bytes sampled at the end of a text of ``size`` bytes start: every reader of a file's end must agree."""
    return max(size - TAIL_BYTES, 0)


def file_end(fd: int) -> tuple[bytes, int]:
    """The last TAIL_BYTES of the plain file open as ``fd``, and their offset."""
    offset = tail_start(os.fstat(fd).st_size)
    return os.pread(fd, TAIL_BYTES, offset), offset
