"""Plain data from a pickle sent by anyone: bounded before the C unpickler sees it.

The C unpickler is fast and iterative, but three things in a few bytes make
it take the machine: a memo index (``LONG_BINPUT``, ``PUT``) makes it
allocate and clear a table that size (6 bytes, 2 GB), each byte may make an
object of up to ~200 bytes (16 MiB of ``EMPTY_SET APPEND`` is 1.7 GB), and a
dict key of nested tuples is hashed recursively in C (1 MB of ``TUPLE1``
overflows the thread's stack: a segfault, not an exception). So the opcodes
are walked first, without loading anything, and a pickle over those bounds is
refused; what passes is loaded by the C unpickler, which refuses every global.
"""

from __future__ import annotations

import io
import pickle
import struct
from typing import Any

__all__ = ["MAX_MEMO", "MAX_TUPLES", "MAX_VALUES", "FrameError", "load_plain"]

#: Opcodes (each makes at most one value) in one pickle: a SocketHandler record has ~70.
MAX_VALUES = 100_000
#: The highest memo index: the C unpickler sizes its memo table to twice the highest index put.
MAX_MEMO = MAX_VALUES
#: Tuples and frozensets built: a bound on how deep one can nest, so that hashing one as a key stays well within a thread's stack.
MAX_TUPLES = 2_000


class FrameError(ValueError):
    """Bytes that are not a record of the logging socket protocol."""


# How each opcode's argument is laid out (pickletools.opcodes, protocols 0 to 5): bytes that follow it, or one of these.
_LINE, _TWO_LINES, _LEN1, _LEN4, _LEN8 = -1, -2, -3, -4, -5
_ARGUMENTS: list[int | None] = [None] * 256
for _opcodes, _layout in (
    (b"(.012N])}\x8f\x88\x89aelt\x85\x86\x87dsu\x90\x91\x94\x93RbQ\x81\x92\x97\x98o", 0),
    (b"Khq\x82\x80", 1),
    (b"M\x83", 2),
    (b"Jjr\x84", 4),
    (b"G\x95", 8),
    (b"ILSVFgpP", _LINE),
    (b"ci", _TWO_LINES),
    (b"UC\x8c\x8a", _LEN1),
    (b"XTB\x8b", _LEN4),
    (b"\x8d\x8e\x96", _LEN8),
):
    for _opcode in _opcodes:
        _ARGUMENTS[_opcode] = _layout
_TUPLE_OPCODES = frozenset(b"t\x85\x86\x87\x91")
_STOP, _PUT, _BINPUT, _LONG_BINPUT, _BINUNICODE = b".pqrX"
_u32 = struct.Struct("<I").unpack_from
_u64 = struct.Struct("<Q").unpack_from


class _PlainDataUnpickler(pickle.Unpickler):
    """An unpickler that refuses every global: no class, no function, only plain data."""

    def find_class(self, module: str, name: str) -> Any:
        raise FrameError(f"refused a pickled global ({module}.{name})")


def load_plain(payload: bytes) -> Any:
    """The plain data pickled in ``payload`` (dicts, lists, tuples, sets, strings, numbers, None); raises FrameError."""
    check_opcodes(payload)
    try:
        # Buffered: from a plain BytesIO (no peek) the C unpickler reads each opcode with a call of its own, 5 times slower.
        return _PlainDataUnpickler(io.BufferedReader(io.BytesIO(payload))).load()
    except FrameError:
        raise
    except Exception as error:  # noqa: BLE001 - any garbage must become one message
        raise FrameError(f"not a pickled record: {type(error).__name__}: {error}") from None


def check_opcodes(payload: bytes) -> None:
    """Raise FrameError if loading ``payload`` could take more than its bounds; nothing is loaded.

    One pass over the opcodes, skipping their arguments, up to the first STOP
    as the unpickler reads. A Python loop, kept to a look-up and an add per
    opcode; a string and the BINPUT that memoizes it are one step, as a
    SocketHandler record is little else (~35 steps).
    """
    try:
        _check_opcodes(payload)
    except FrameError:
        raise
    except (IndexError, ValueError, struct.error):
        # An argument runs past the end. Not given to the unpickler: BYTEARRAY8 allocates the size it is told first.
        raise FrameError("not a pickled record: it ends in the middle of an opcode") from None


def _check_opcodes(payload: bytes) -> None:
    arguments = _ARGUMENTS
    end = len(payload)
    at = values = tuples = 0
    while at < end and values <= MAX_VALUES:
        values += 1
        opcode = payload[at]
        if opcode == _BINUNICODE:
            at += 5 + _u32(payload, at + 1)[0]
            if at < end and payload[at] == _BINPUT:
                at += 2
            continue
        layout = arguments[opcode]
        at += 1
        if layout is None:
            raise FrameError(f"not a pickled record: no opcode {opcode:#04x} (at byte {at - 1:,})")
        if layout == 0:
            if opcode == _STOP:
                return
            if opcode in _TUPLE_OPCODES:
                tuples += 1
                if tuples > MAX_TUPLES:
                    raise FrameError(f"a pickle of over {MAX_TUPLES:,} tuples")
        elif layout > 0:
            if opcode == _LONG_BINPUT and _u32(payload, at)[0] > MAX_MEMO:
                raise FrameError(f"a pickle that puts a value at memo index {_u32(payload, at)[0]:,}")
            at += layout
        elif layout == _LEN4:
            at += 4 + _u32(payload, at)[0]
        elif layout == _LEN1:
            at += 1 + payload[at]
        elif layout == _LEN8:
            at += 8 + _u64(payload, at)[0]
        else:
            line_end = payload.index(b"\n", at)
            if layout == _TWO_LINES:
                line_end = payload.index(b"\n", line_end + 1)
            if opcode == _PUT:
                index = payload[at:line_end]
                if not (index.isdigit() and len(index) <= 7 and int(index) <= MAX_MEMO):
                    raise FrameError(f"a pickle that puts a value at memo index {index[:20].decode(errors='replace')}")
            at = line_end + 1
    if at < end:
        raise FrameError(f"a pickle of over {MAX_VALUES:,} values")
    raise FrameError("not a pickled record: it ends before its STOP opcode")
