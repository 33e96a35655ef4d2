"""logview's version, in a module of its own: the core reads it (remembered formats, crash reports) without importing
the package root, whose ``view`` imports the viewer."""

__version__ = "0.1.0"
