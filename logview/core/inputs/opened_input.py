"""An opened input: newline-aligned chunks for the parser, and its bytes readable by offset afterwards.

A compressed input or standard input is inflated once, as a stream, into an
unlinked temporary file (a spool): the index refers to offsets in that file,
and the first chunks reach the parser long before the inflating ends. How an
input is opened (a path, a FIFO, a pipe, its compression) is opener.py's.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol

from logview.core.inputs.decompressors import DAMAGE
from logview.core.inputs.descriptors import REOPENED, ParkedFile, SpoolSegment
from logview.core.inputs.errors import InputError
from logview.core.inputs.pipe_stream import PipeStream
from logview.core.record import MAX_RECORD_BYTES

CHUNK_SIZE = 6 << 20
#: The first chunk of an input is small, so that its first records are indexed (and shown) at once.
FIRST_CHUNK_SIZE = 512 << 10


#: Seconds after its last write when a file's unfinished last line is taken as it is: the writer has left it
#: (a file that does not end with a newline), where a writer in the middle of a line finishes it in microseconds.
UNFINISHED_LINE_GRACE = 1.0


def written_a_while_ago(status: os.stat_result) -> bool:
    """The file was last written UNFINISHED_LINE_GRACE seconds ago or more: its last line, whole or not, is its last."""
    return time.time() - status.st_mtime >= UNFINISHED_LINE_GRACE


class ByteStore(Protocol):
    """Where an input's bytes are read back from, by the offsets the index keeps."""

    def read(self, offset: int, length: int) -> bytes: ...

    def close(self) -> None: ...


@dataclass(slots=True)
class Chunk:
    """A newline-aligned piece of an input: its bytes, or where to read them.

    A line longer than MAX_RECORD_BYTES is not loaded whole: its chunk loads
    its head, and ``rest`` says how many bytes of it come after, unread (its
    record still spans them, and they stay in the file or the spool).
    """

    offset: int
    length: int
    data: bytes | None
    #: Bytes at the chunk's end, within its last line, that are not loaded.
    rest: int = 0
    #: With ``rest``: the bytes not loaded end their line (with a newline); else the line goes on after the chunk.
    rest_ends_line: bool = False

    def load(self, source: OpenedInput) -> bytes:
        return self.data if self.data is not None else source.read(self.offset, self.length - self.rest)

    def take(self, source: OpenedInput) -> bytes:
        """The bytes, letting go of them here so that only the caller holds them."""
        data = self.load(source)
        self.data = None
        return data


@dataclass
class OpenedInput:
    """One input: its chunks while it is read, its bytes by offset afterwards."""

    name: str
    compression: str | None
    #: The bytes as they are read; None for a plain file, read by offset instead.
    _stream: BinaryIO | None
    #: The descriptor of a plain file being read (and of a followed one); -1 when the bytes are ``_kept`` elsewhere.
    _store_fd: int
    _spool: SpoolSegment | None
    #: The file under a decompressor, which closing the decompressor leaves open.
    _raw: BinaryIO | PipeStream | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    binary: bool = False
    #: (device, inode) of the file opened, to recognise it under another name after a rotation.
    identity: tuple[int, int] | None = None
    #: A file still being written (followed): only whole lines are read.
    growing: bool = False
    #: Where the bytes are read back from when not through ``_store_fd``: a shared spool's segment, or a parked file.
    _kept: SpoolSegment | ParkedFile | None = None
    #: The path opened, by which a plain file is opened again once parked (see :meth:`park`).
    _path: str | None = None
    #: Why bytes read back are missing: the file parked was deleted or replaced since (said once).
    lost: str | None = None

    def chunks(self, chunk_size: int = CHUNK_SIZE, first_chunk_size: int = FIRST_CHUNK_SIZE) -> Iterator[Chunk]:
        """Newline-aligned chunks in order; the last may lack a newline.

        A plain file's chunks after the first come as ranges that the parse
        threads read themselves: the reading thread then holds no bytes for
        the chunks queued behind the ones being parsed.
        """
        try:
            first_chunk_size = min(first_chunk_size, chunk_size)
            if self.compression is None and self._spool is None:
                yield from self._plain_chunks(chunk_size, first_chunk_size)
            else:
                yield from self._streamed_chunks(chunk_size, first_chunk_size)
        finally:
            self._close_readers()

    def _close_readers(self) -> None:
        """Once read, only the store's descriptor stays open: many inputs, few descriptors."""
        for closable in (self._stream, self._raw, self._spool):
            if closable is not None:
                with contextlib.suppress(OSError):
                    closable.close()

    def _plain_chunks(self, chunk_size: int, first_chunk_size: int) -> Iterator[Chunk]:
        status = os.fstat(self._store_fd)
        size = status.st_size
        if self.growing and not written_a_while_ago(status):
            # The last line may still be being written: it is read when it is whole, or when the writer has left it.
            size = self._whole_lines_end(size)
        offset = 0
        while offset < size:
            stop = min(size, offset + (first_chunk_size if offset == 0 else chunk_size))
            rest, rest_ends_line = 0, False
            if stop < size:
                whole = self._last_line_end(offset, stop)
                if whole is None:
                    # One line longer than a chunk: the chunk is that line, loaded up to MAX_RECORD_BYTES.
                    end = self.line_end_after(stop, size)
                    stop = size if end is None else end
                    rest, rest_ends_line = max(0, stop - offset - MAX_RECORD_BYTES), end is not None
                else:
                    stop = whole
            if offset == 0:
                data = os.pread(self._store_fd, stop - rest, 0)
                self._check_binary(0, data)
                yield Chunk(0, stop, data, rest, rest_ends_line)
            else:
                yield Chunk(offset, stop - offset, None, rest, rest_ends_line)
            offset = stop
        self._finished(offset)

    def _whole_lines_end(self, size: int) -> int:
        """Just past the last newline before ``size`` (0 when there is none)."""
        position = size
        while position > 0:
            start = max(0, position - (1 << 16))
            cut = os.pread(self._store_fd, position - start, start).rfind(b"\n")
            if cut >= 0:
                return start + cut + 1
            position = start
        return 0

    def _last_line_end(self, start: int, stop: int) -> int | None:
        """Just past the last newline in ``start:stop``; None when there is none (a line longer than that)."""
        window = min(stop - start, 1 << 16)
        tail = os.pread(self._store_fd, window, stop - window)
        cut = tail.rfind(b"\n")
        if cut >= 0 and stop - window + cut + 1 > start:
            return stop - window + cut + 1
        cut = os.pread(self._store_fd, stop - start, start).rfind(b"\n")
        return start + cut + 1 if cut >= 0 else None

    def line_end_after(self, start: int, size: int) -> int | None:
        """Just past the first newline at or after ``start`` (before ``size``); None when there is none yet."""
        position = start
        while position < size:
            found = os.pread(self._store_fd, min(1 << 20, size - position), position).find(b"\n")
            if found >= 0:
                return position + found + 1
            position += 1 << 20
        return None

    def _streamed_chunks(self, chunk_size: int, first_chunk_size: int) -> Iterator[Chunk]:
        """Chunks of whole lines as the stream's blocks come, holding a block and at most MAX_RECORD_BYTES more.

        A line longer than MAX_RECORD_BYTES goes out as its head, then as
        chunks that only say how far it goes on (``rest``), without its bytes:
        a stream without newlines (/dev/zero, a gzip bomb of NULs) is read in
        bounded memory, and each block is looked at once.
        """
        offset = 0  # where the bytes not yet given out start
        carry = b""  # the start of a line whose end has not come yet, shorter than MAX_RECORD_BYTES
        skipping = False  # the bytes at ``offset`` continue a line over MAX_RECORD_BYTES whose head went out
        damaged = False
        while not damaged:
            block, damaged = self._read_block(first_chunk_size if offset == 0 and not carry else chunk_size)
            if not block:
                break
            if self._spool is not None:
                self._keep(block)
            if skipping:
                newline = block.find(b"\n")
                skipped = len(block) if newline < 0 else newline + 1
                yield Chunk(offset, skipped, b"", skipped, rest_ends_line=newline >= 0)
                offset += skipped
                skipping = newline < 0
                block = block[skipped:]
                if not block:
                    continue
            data = carry + block if carry else block
            carry = block = b""  # only ``data`` holds them now
            cut = data.rfind(b"\n") + 1
            if cut:
                self._check_binary(offset, data)
                yield Chunk(offset, cut, data[:cut] if cut < len(data) else data)
                offset += cut
                data = data[cut:]
            if len(data) > MAX_RECORD_BYTES:
                self._check_binary(offset, data)
                yield Chunk(offset, len(data), data[:MAX_RECORD_BYTES], len(data) - MAX_RECORD_BYTES)
                offset += len(data)
                skipping = True
            else:
                carry = data
        if carry:
            self._check_binary(offset, carry)
            yield Chunk(offset, len(carry), carry)
            offset += len(carry)
        self._finished(offset)

    def _keep(self, block: bytes) -> None:
        """Append a block to the spool; a block of NULs as a hole, which takes no disk and reads back as NULs.

        /dev/zero or a gzip bomb of NULs would otherwise fill the disk as fast as it can be written, and take as long.
        """
        assert self._spool is not None
        if block[0] == 0 and block == bytes(len(block)):
            self._spool.skip(len(block))
        else:
            self._spool.write(block)
            self._spool.flush()

    def _finished(self, size: int) -> None:
        if size == 0 and not self.errors and not self.growing:
            self.warnings.append(f"{self.name}: empty file")

    def _check_binary(self, offset: int, data: bytes) -> None:
        if offset == 0 and b"\x00" in data[:65536]:
            self.binary = True
            self.warnings.append(f"{self.name}: binary data (NUL bytes), shown as text")

    def _read_block(self, size: int) -> tuple[bytes, bool]:
        """Up to ``size`` bytes, and whether the stream broke.

        A decompressor is read in small steps so that the bytes inflated
        before a damaged spot are kept rather than lost with the failed read.
        """
        assert self._stream is not None, "a plain file is read by offset"
        if self.compression is None:
            return self._stream.read(size), False
        parts: list[bytes] = []
        wanted = size
        while wanted > 0:
            try:
                part = self._stream.read(min(wanted, 64 << 10))
            except DAMAGE as error:
                self.errors.append(f"{self.name}: {_describe_damage(self.compression, error)}")
                return b"".join(parts), True
            if not part:
                break
            parts.append(part)
            wanted -= len(part)
        return b"".join(parts), False

    def read(self, offset: int, length: int) -> bytes:
        """The bytes at ``offset``; none, with ``lost`` saying why, from a parked file that was deleted or replaced."""
        kept = self._kept
        if kept is None:
            return os.pread(self._store_fd, length, offset)
        try:
            return kept.read(offset, length)
        except InputError as error:
            if self.lost is None:
                self.lost = str(error)
            return b""

    def park(self) -> bool:
        """Let go of a plain file's descriptor once it is indexed and not followed; whether it was let go.

        Its bytes are then read by opening its path again (see descriptors.py):
        thousands of inputs need no more descriptors than a few.
        """
        if self._kept is not None or self.streamed or self.growing or self._path is None or self.identity is None:
            return False
        self._kept = ParkedFile(REOPENED, self._path, self.identity, self._store_fd)
        self._store_fd = -1
        return True

    def writer_silent(self) -> bool:
        """A pipe with nothing to read at the moment: what was read of it is all there is for now."""
        return isinstance(self._raw, PipeStream) and not self._raw.ready()

    def stop_reading(self) -> None:
        """A read of a pipe waiting for its writer ends now, as at the end of the input (the viewer is closing)."""
        if isinstance(self._raw, PipeStream):
            self._raw.stopped.set()

    @property
    def streamed(self) -> bool:
        """Read as a stream into a spool (compressed, a pipe, standard input), not by offset in place."""
        return self._spool is not None or self._stream is not None

    @property
    def store_fd(self) -> int:
        """The descriptor of the bytes the index's offsets refer to (a streamed input's: of a spool that others share too).

        A parked file is opened again, and kept open from then on; raises
        InputError when it was deleted or replaced since it was read.
        """
        if isinstance(self._kept, ParkedFile):
            self._store_fd = self._kept.take()
            self._kept = None
        elif isinstance(self._kept, SpoolSegment):
            return self._kept.fileno()
        return self._store_fd

    def close(self) -> None:
        self._close_readers()
        if isinstance(self._kept, SpoolSegment):
            self._kept.release()
        elif self._kept is not None:
            self._kept.close()
        if self._store_fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self._store_fd)


def _describe_damage(compression: str | None, error: BaseException) -> str:
    text = str(error) or type(error).__name__
    if isinstance(error, EOFError):
        text = "truncated (ended before the end-of-stream marker)"
    kind = f"{compression} " if compression else ""
    return f"corrupt or truncated {kind}data: {text}; records before the damage are kept"
