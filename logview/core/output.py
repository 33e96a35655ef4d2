"""Writing the printer's bytes to its output: all of them, or an error that says why.

A write may take fewer bytes than it is given, and a caller that does not
look at the count loses the rest: one ``write`` on Linux moves at most
0x7ffff000 bytes, so ``--print`` of a batch over 2 GiB to a raw stdout
(``PYTHONUNBUFFERED``) was cut there and still exited 0; an output left
non-blocking by another program takes what fits in the pipe, or raises
BlockingIOError. Here the bytes go in bounded pieces until all are taken,
waiting for a non-blocking output to drain. A failed write (a full disk, an
I/O error) becomes :class:`OutputError`, which the command line reports in
one line; a closed pipe stays BrokenPipeError (``| head`` is no error).
"""

from __future__ import annotations

import select
from typing import BinaryIO

__all__ = ["WRITE_PIECE", "OutputError", "flush_all", "write_all"]

#: Bytes handed to one write: under the kernel's limit for one write, so the count taken is never cut by it.
WRITE_PIECE = 1 << 30


class OutputError(OSError):
    """The output refused the bytes (not a closed pipe): ``errno`` and ``strerror`` say why."""


def write_all(out: BinaryIO, data: bytes | memoryview) -> None:
    """Write every byte of ``data`` to ``out``; OutputError when it cannot be written."""
    view = memoryview(data).cast("B")
    while view:
        try:
            written = out.write(view[:WRITE_PIECE])
        except BlockingIOError as error:  # a buffered, non-blocking output: part of the piece was taken
            written = error.characters_written
            _wait_writable(out)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(error.errno, error.strerror or str(error)) from error
        if written is None:  # a raw, non-blocking output that took nothing
            _wait_writable(out)
            continue
        view = view[written:]


def flush_all(out: BinaryIO) -> None:
    """Flush ``out``, waiting for a non-blocking output to take it all; OutputError when it cannot be written."""
    while True:
        try:
            out.flush()
            return
        except BlockingIOError:
            _wait_writable(out)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(error.errno, error.strerror or str(error)) from error


def _wait_writable(out: BinaryIO) -> None:
    """Until a non-blocking output can take bytes again (its reader has read some), as a blocking write would wait."""
    select.select([], [out.fileno()], [])
