"""Which compression an input's first bytes announce.

A text file may begin with the letters of a magic number ("BZh…" is a
word), so each kind is recognised by as much of its header as is fixed:
bzip2's "BZh", a block size digit and a block's or the end's own magic.
"""

from __future__ import annotations

import re

#: Bytes of an input's start that tell its compression.
MAGIC_BYTES = 10
_KINDS = (
    (re.compile(rb"\x1f\x8b\x08"), "gzip"),
    (re.compile(rb"BZh[1-9](?:1AY&SY|\x17rE8P\x90)"), "bzip2"),
    (re.compile(rb"\xfd7zXZ\x00"), "xz"),
)


def detect_compression(head: bytes) -> str | None:
    """ "gzip", "bzip2", "xz", or None for text: ``head`` is an input's first MAGIC_BYTES bytes (or all of a shorter one)."""
    for magic, kind in _KINDS:
        if magic.match(head):
            return kind
    return None
