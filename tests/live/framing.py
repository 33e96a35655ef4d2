"""Bytes as logging.handlers.SocketHandler sends a record: a 4-byte big-endian length, then the payload."""

from __future__ import annotations

import struct


def framed(payload: bytes) -> bytes:
    return struct.pack(">L", len(payload)) + payload
