"""The last bytes of a plain file, which format detection samples beside its first ones (parse/detect.py).

A program upgraded, or a handler whose formatter was swapped, writes the end
of a file in another format than its start; a sample of the start alone
would read every later record as the continuation of one.
"""

from __future__ import annotations

import os

#: Bytes read from a plain file's end: about a hundred lines of a log.
TAIL_BYTES = 32 * 1024


def file_end(fd: int) -> tuple[bytes, int]:
    """The last TAIL_BYTES of the plain file open as ``fd``, and their offset."""
    offset = max(os.fstat(fd).st_size - TAIL_BYTES, 0)
    return os.pread(fd, TAIL_BYTES, offset), offset
