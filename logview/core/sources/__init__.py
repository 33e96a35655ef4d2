"""① Sources, the first stage of the data flow: bytes or records in, each kind of source one module.

Every source has the shape of source.py (a name, a kind, a status, its
problems, ``run(sink, stop)``) and adds to the index only through its sink.
Files (globs, rotation sets, compressed: read through
``logview.core.inputs``) are read by the pipeline and followed as they grow
(follow.py); a logging queue and the socket listener hand over records that
are already parsed, and the systemd journal is read through journalctl. Sources sit above the pipeline: Pipeline.start runs
them and hands each a sink, the only way the queue and the socket add to the
index; the files' source has the pipeline itself read and extend its files. ``__all__``
names the modules used from outside the package; the others serve these.
"""

__all__ = [
    "files",
    "follow",
    "journal",
    "journal_files",
    "queue",
    "socket",
    "socket_listener",
    "source",
]
