"""A small compressed file's text, inflated whole in memory up to a bound, for the readers that take no spool.

The first frame (newest.py) and the small --print path (small_print.py) read
a small compressed input at once; the index inflates a stream into a spool
instead (opener.py). Both go through the same decompressors (decompressors.py), so that the
text is the same bytes and the same damage stops it.
"""

from __future__ import annotations

import io

from logview.core.inputs.decompressors import DAMAGE, decompressed
from logview.core.inputs.magic import MAGIC_BYTES, detect_compression

__all__ = ["inflated"]


def inflated(data: bytes, limit: int) -> bytes | None:
    """The text of a compressed file's bytes, up to ``limit`` + 1 bytes (never more, whatever they hold); None when damaged.

    A result longer than ``limit`` says the text is longer: the caller reads it another way.
    """
    try:
        with decompressed(detect_compression(data[:MAGIC_BYTES]), io.BytesIO(data)) as stream:
            return stream.read(limit + 1)
    except DAMAGE:
        return None  # damaged: the index reports it, and keeps what is before the damage
