"""logview: a terminal viewer for Python logging output.

The package root stays free of UI imports so that ``import logview`` is cheap.
"""

from __future__ import annotations

__all__ = ["__version__"]
__version__ = "0.1.0"
