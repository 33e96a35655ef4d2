"""The kinds of source the command line can ask for: adding one is one module in core/sources/ and one line here.

Both modes build their sources here, on the pipeline they read: the printer
(print_command.py) and the viewer (viewer_command.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from logview.settings import Settings, UsageError

if TYPE_CHECKING:
    from logview.core.pipeline import Pipeline
    from logview.core.sources.socket import SocketSource
    from logview.core.sources.source import Source

__all__ = ["sources_for"]


def sources_for(settings: Settings, pipeline: Pipeline, follow: bool) -> list[Source]:
    """The sources the command line asks for, the files first: each kind of source is one line here.

    Raises UsageError when a listener cannot listen where asked.
    """
    from logview.core.sources.files import FileSource

    sources: list[Source] = [FileSource(pipeline, settings.paths, follow=follow)]
    if settings.journal is not None:
        sources += _journal_sources(settings, follow)
    if settings.listen:
        sources.append(_socket_source(settings.listen))
    return sources


def _journal_sources(settings: Settings, follow: bool) -> list[Source]:
    """One journalctl per directory (it follows the files a collector adds to it), one for the files, or the local journal."""
    import os

    from logview.core.sources.journal import JournalQuery, JournalSource, JournalTarget
    from logview.core.sources.journal_files import JOURNAL_SUFFIXES

    filters = settings.filters
    query = JournalQuery(
        min_level=filters.min_level,
        since=filters.since,
        units=settings.units,
        identifiers=settings.identifiers,
        hosts=filters.hosts,
        pids=filters.pids,
    )
    paths = settings.journal or ()
    # A path not there yet that does not name a journal file is a directory a collector will make: followed, it is waited for.
    directories = [path for path in paths if os.path.isdir(path) or not (os.path.exists(path) or path.endswith(JOURNAL_SUFFIXES))]
    files = tuple(path for path in paths if path not in directories)
    targets = [JournalTarget(directory=path) for path in directories] + ([JournalTarget(files=files)] if files else [])
    return [JournalSource(target, query, follow=follow) for target in targets or [JournalTarget()]]


def _socket_source(address: tuple[str, int]) -> SocketSource:
    from logview.core.sources.socket import SocketSource
    from logview.core.sources.socket_listener import SocketListener

    try:
        return SocketSource(SocketListener(*address))
    except OSError as error:
        raise UsageError(f"cannot listen on {address[0]}:{address[1]}: {error.strerror or error}") from None
