"""A record's bytes as they are printed or shown: whole, or cut after MAX_RECORD_BYTES with a mark.

The index spans a record's whole text however long it is (its bytes stay in
the file or the spool); what is read back into memory is bounded, so that one
endless line cannot take the machine's memory when it is printed or drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from logview.core.record import MAX_RECORD_BYTES

__all__ = ["StoredRecord", "cut_mark", "record_bytes", "whole_characters"]

#: Reads ``length`` bytes at ``offset`` of one source (fewer only where they are gone): ``Pipeline.read_bytes`` of a source.
Read = Callable[[int, int], bytes]


def cut_mark(more: int) -> bytes:
    """What stands for the ``more`` bytes of a record left unread."""
    return f" \u2026 [line cut: {more:,} more bytes]".encode()


def record_bytes(read: Callable[[int, int], bytes], offset: int, length: int, limit: int = MAX_RECORD_BYTES) -> bytes:
    """The record at ``offset`` of ``length`` bytes, read by ``read(offset, length)``: its first ``limit`` bytes and a mark when longer.

    A cut record keeps its line end, so that the records after it still start lines of their own.
    """
    if length <= limit:
        return read(offset, length)
    head = read(offset, limit)
    if len(head) < limit:
        return head  # the store ends early (a file that shrank): nothing more to say about it
    head = whole_characters(head)
    line_end = b"\n" if read(offset + length - 1, 1) == b"\n" else b""
    return head + cut_mark(length - len(head) - len(line_end)) + line_end


def whole_characters(head: bytes) -> bytes:
    """``head`` without a UTF-8 character cut in two at its end, which would show as a replacement character."""
    for back in range(1, min(4, len(head)) + 1):
        byte = head[-back]
        if byte < 0x80:
            return head
        if byte >= 0xC0:  # the first byte of the last character: does the character end within the head?
            size = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return head if size <= back else head[:-back]
    return head


class StoredRecord:
    """One record's bytes where they stay (its file or its stream's spool), read a piece at a time.

    What the details view shows of a record over the cap beyond its head, and
    how it is saved whole: never more than a piece of it in memory, however
    long it is. Positions are counted from the record's first byte.
    """

    def __init__(self, read: Read, offset: int, length: int) -> None:
        self.read = read
        self.offset = offset
        #: The record's bytes in the store, its line end included.
        self.length = length
        #: Its bytes without the line end, as the cut mark counts them (record_bytes).
        self.text_length = length - 1 if length and read(offset + length - 1, 1) == b"\n" else length

    def head_end(self, limit: int = MAX_RECORD_BYTES) -> int:
        """Where the head that record_bytes shows ends: the text's end, or before the character the cap falls in."""
        if self.length <= limit:
            return self.text_length
        # Only the last bytes before the cap decide where a character is cut (whole_characters looks 4 back).
        tail = self.read(self.offset + limit - 4, 4)
        return limit - (len(tail) - len(whole_characters(tail)))

    def piece(self, start: int, limit: int = MAX_RECORD_BYTES) -> bytes:
        """Up to ``limit`` bytes of the text from ``start``; one that stops before the text's end stops between characters.

        Then the next piece, from where this one stops, starts with a whole
        character too. Fewer bytes, or none, when the store lost them (a file
        that shrank).
        """
        stop = min(start + limit, self.text_length)
        if stop <= start:
            return b""
        data = self.read(self.offset + start, stop - start)
        if stop < self.text_length and len(data) == stop - start:
            # Not to nothing: a piece shorter than a character (a tiny limit) still moves on.
            data = whole_characters(data) or data
        return data

    def write_to(self, out: BinaryIO, piece: int = MAX_RECORD_BYTES) -> int:
        """Write the whole record, its line end included, to ``out``, ``piece`` bytes at a time; returns the bytes written.

        Fewer than :attr:`length` when the store lost the rest.
        """
        written = 0
        while written < self.length:
            data = self.read(self.offset + written, min(piece, self.length - written))
            if not data:
                break
            out.write(data)
            written += len(data)
        return written
