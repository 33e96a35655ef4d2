"""A record's bytes as they are printed or shown: whole, or cut after MAX_RECORD_BYTES with a mark.

The index spans a record's whole text however long it is (its bytes stay in
the file or the spool); what is read back into memory is bounded, so that one
endless line cannot take the machine's memory when it is printed or drawn.
"""

from __future__ import annotations

from collections.abc import Callable

from logview.core.record import MAX_RECORD_BYTES

__all__ = ["cut_mark", "record_bytes", "whole_characters"]


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
