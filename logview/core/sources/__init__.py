"""① Sources, the first stage of the data flow: bytes or records in, each kind of source one module.

Every source has the shape of source.py (a name, a kind, a status, its
problems, ``run(sink, stop)``) and adds to the index only through its sink.
Files (globs, rotation sets, compressed, followed as they grow) hand
newline-aligned chunks to parsing (``logview.core.parse``) and keep their
bytes readable by offset for the views and the printer; a logging queue and
the socket listener hand over records that are already parsed. ``__all__``
names the modules used from outside the package; the others serve these.
"""

__all__ = [
    "archive",
    "descriptor_limit",
    "errors",
    "file_end",
    "files",
    "inflate",
    "inputs",
    "magic",
    "opener",
    "queue",
    "rotation",
    "socket",
    "socket_listener",
    "source",
    "status",
]
