"""The decompressor of each kind of compressed input, and what a damaged stream raises: one choice for every reader.

The index (opener.py) inflates a stream into a spool; the first frame and
the small --print path (inflate.py) inflate a small file in memory. Through
the same decompressors, they read the same text and stop at the same damage.
Kept apart from opener.py, which loads threading, tempfile and dataclasses:
the small --print path does without them.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import zlib
from types import ModuleType
from typing import BinaryIO

__all__ = ["DAMAGE", "decompressed"]

_gzip_module: ModuleType = gzip
_damage: list[type[BaseException]] = [OSError, EOFError, zlib.error, lzma.LZMAError, ValueError]
try:
    # ISA-L's gzip inflates about three times faster than zlib's (see BENCHMARKS.md).
    from isal import igzip, isal_zlib

    _gzip_module = igzip
    _damage.append(isal_zlib.error)  # type: ignore[arg-type]  # the stub calls it an instance
except ImportError:  # pragma: no cover - a platform without an isal wheel
    pass

#: What a damaged stream raises while it is inflated.
DAMAGE = tuple(_damage)


def decompressed(kind: str | None, raw: BinaryIO) -> BinaryIO:
    """``raw`` read through the decompressor of ``kind`` ("gzip", "bzip2", "xz"; itself when None)."""
    if kind == "gzip":
        return _gzip_module.GzipFile(fileobj=raw)  # type: ignore[no-any-return]  # noqa: SIM115 - owned by the caller
    if kind == "bzip2":
        return bz2.BZ2File(raw)  # type: ignore[return-value]  # noqa: SIM115 - owned by the caller
    if kind == "xz":
        return lzma.LZMAFile(raw)  # type: ignore[return-value]  # noqa: SIM115 - owned by the caller
    return raw
