"""What a program that embeds the viewer sees of the package: ``logview.view``'s real signature, and a cheap import."""

from __future__ import annotations

import inspect
import subprocess
import sys

import logview
from logview import api


def test_view_has_the_signature_of_the_viewer_it_opens() -> None:
    assert str(inspect.signature(logview.view)) == str(inspect.signature(api.view))  # the annotations, as written
    assert list(inspect.signature(logview.view).parameters) == ["log_queue", "paths", "filters"]


def test_importing_the_package_loads_no_engine_and_no_textual() -> None:
    """``import logview`` in a host program: the engine, the UI and their libraries load only when view() is called."""
    code = "import sys, logview; print(sorted(name for name in sys.modules if name.split('.')[0] in ('numpy', 'polars', 'textual') or name.startswith('logview.')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stdout
