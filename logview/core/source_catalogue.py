"""What the code that reads records back asks of whatever holds the sources: bytes, format and state by source id.

The printer, the record reader, the text search and the selection need no
more of the pipeline than this; depending on this protocol instead keeps
them below the pipeline (which provides it as it is) and lets any other
holder of sources serve them. It sits above parse/ because a source's
format is a parse type, and parse/ sits above the index.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from logview.core.index.timeline import SourceState, Timeline
from logview.core.parse.detect import Format

__all__ = ["SourceCatalogue"]


class SourceCatalogue(Protocol):
    """The sources loaded so far, by id (a source's id is its place in the timeline), and their merged index."""

    @property
    def timeline(self) -> Timeline:
        """The index of every source's records."""
        ...

    @property
    def shrunk(self) -> Mapping[int, int]:
        """Source id → where its bytes end now, for the sources found to have shrunk since they were indexed."""
        ...

    def read_bytes(self, source_id: int, offset: int, length: int) -> bytes:
        """A source's bytes at ``offset``: all ``length`` of them, fewer only when they are gone (noted in ``shrunk``)."""
        ...

    def format_of(self, source_id: int) -> Format | None:
        """The format a source is read in; None for plain text, or while it is not known yet."""
        ...

    def source_states(self) -> Sequence[SourceState]:
        """The sources loaded so far, in id order."""
        ...

    def text_lost(self, source_id: int) -> bool:
        """A source's text cannot be read back any more (deleted or replaced since it was read): its error says so."""
        ...
