"""Open an input (a path, a FIFO, standard input, a handle already open) as an OpenedInput (opened_input.py).

Compression is recognised by magic bytes, not by the name; a FIFO is read
once its writer writes or goes, without blocking the reader that waits.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import threading
from collections.abc import Callable
from typing import BinaryIO

from logview.core.inputs.decompressors import DAMAGE, decompressed
from logview.core.inputs.descriptors import REOPENED, SPOOLS
from logview.core.inputs.errors import InputError
from logview.core.inputs.magic import MAGIC_BYTES, detect_compression
from logview.core.inputs.opened_input import OpenedInput
from logview.core.inputs.pipe_stream import PipeStream


def open_input(
    name: str, growing: bool = False, stop: threading.Event | None = None, on_wait: Callable[[], None] | None = None
) -> OpenedInput:
    """Open ``name`` (a path, or ``-`` for standard input); raise InputError if it cannot be read.

    A file that is ``growing`` (followed while it is written) is opened in
    place even when it is still empty. A FIFO is opened without waiting for
    a writer: ``on_wait`` is called when it has none yet, and the first
    bytes are then waited for until ``stop`` is set (the input is then empty).
    """
    if name == "-":
        raw: BinaryIO = sys.stdin.buffer
        return _spooled(name, PipeStream(raw, owned=False, stopped=stop))
    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as error:
        raise InputError(f"{name}: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name}: is a directory")
    if stat.S_ISFIFO(info.st_mode):
        return _open_fifo(name, stop, on_wait)
    try:
        handle = _open_retrying(name)
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as error:
        raise InputError(f"{name}: {error.strerror or error}") from None
    return open_handle(name, handle, growing, path=name)


def _open_retrying(name: str) -> BinaryIO:
    """``name`` opened for reading; when the process is out of descriptors, after the parked files' are closed."""
    try:
        return open(name, "rb")  # noqa: SIM115 - owned by the caller
    except OSError as error:
        if error.errno != errno.EMFILE or not REOPENED.make_room():
            raise
    return open(name, "rb")  # noqa: SIM115 - owned by the caller


def _open_fifo(name: str, stop: threading.Event | None, on_wait: Callable[[], None] | None) -> OpenedInput:
    """A FIFO, opened at once: a blocking open would wait for a writer, with nothing else read, and no way to quit meanwhile.

    Opened without blocking, a FIFO without a writer reads as empty where
    select says it has nothing to read; select says it is readable once a
    writer wrote, or once the last writer closed it (the end). PipeStream
    reads through select, so it waits for the writer as for a pipe's bytes.
    """
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise InputError(f"{name}: {error.strerror or error}") from None
    handle = os.fdopen(fd, "rb", buffering=0)
    info = os.fstat(fd)
    opened = _spooled(name, PipeStream(handle, stopped=stop, on_wait=on_wait))  # type: ignore[arg-type]  # a raw FileIO
    opened.identity = (info.st_dev, info.st_ino)
    return opened


def open_handle(name: str, handle: BinaryIO, growing: bool = False, path: str | None = None) -> OpenedInput:
    """An input over a file already opened, which it owns from then on.

    What the descriptor points to is read, whatever ``name`` points to by
    now: a rotation may have renamed the file since it was opened. A
    ``path`` known to lead to that file lets a plain file be parked (see
    :meth:`OpenedInput.park`).
    """
    try:
        info = os.fstat(handle.fileno())
        identity = (info.st_dev, info.st_ino)
        if not stat.S_ISREG(info.st_mode) or (info.st_size == 0 and not growing):
            # A pipe, a device, or a file whose size says nothing (/proc): read it
            # as a stream, like standard input.
            opened = _spooled(name, PipeStream(handle))
        elif detect_compression(handle.read(MAGIC_BYTES)) is None:
            store_fd = os.dup(handle.fileno())
            handle.close()
            return OpenedInput(
                name=name,
                compression=None,
                _stream=None,
                _store_fd=store_fd,
                _spool=None,
                identity=identity,
                growing=growing,
                _path=path,
            )
        else:
            handle.seek(0)
            opened = _spooled(name, handle)
    except OSError as error:
        handle.close()
        raise InputError(f"{name}: {error.strerror or error}") from None
    opened.identity = identity
    return opened


def _spooled(name: str, raw: BinaryIO | PipeStream) -> OpenedInput:
    head = raw.peek()[:MAGIC_BYTES] if isinstance(raw, PipeStream) else raw.read(MAGIC_BYTES)
    if not isinstance(raw, PipeStream):
        raw.seek(0)
    kind = detect_compression(head)
    stream = decompressed(kind, raw)  # type: ignore[arg-type]  # a PipeStream reads as a file does
    # A segment of a spool file that other inputs share: one descriptor for many compressed files.
    spool = SPOOLS.segment()
    return OpenedInput(name=name, compression=kind, _stream=stream, _store_fd=-1, _spool=spool, _raw=raw, _kept=spool)


def text_stream(handle: BinaryIO) -> BinaryIO:
    """An open file's text from its start: through its decompressor when it is compressed."""
    handle.seek(0)
    kind = detect_compression(handle.read(MAGIC_BYTES))
    handle.seek(0)
    return decompressed(kind, handle)


def read_head(handle: BinaryIO, length: int) -> bytes:
    """The first ``length`` bytes of an open file's text, decompressed; what can be read when it is damaged.

    The handle is left at its start, for the file to be read as an input after.
    """
    try:
        stream = text_stream(handle)
        parts: list[bytes] = []
        wanted = length
        while wanted > 0:
            part = stream.read(wanted)
            if not part:
                break
            parts.append(part)
            wanted -= len(part)
        return b"".join(parts)
    except DAMAGE:
        return b""
    finally:
        with contextlib.suppress(OSError):
            handle.seek(0)
