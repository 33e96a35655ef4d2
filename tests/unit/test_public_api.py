"""What a program that embeds the viewer sees of the package: ``logview.view``'s real signature, a cheap import, its allocator left alone."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import logview
from logview import api
from tests.command import ROOT
from tests.terminal import run_in_terminal

#: A program that embeds the viewer: it logs through a queue, opens the viewer on it, and then has more threads
#: allocate at once than there are malloc arenas (malloc_info's heaps), and counts the arenas made for them. The
#: logview command limits glibc to one arena (core/memory.py), which makes none; a host left as it was gets some.
HOST_PROGRAM = """
import ctypes, logging, logging.handlers, queue, tempfile, threading
import logview

def malloc_arenas():
    libc = ctypes.CDLL(None)
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = (ctypes.c_char_p, ctypes.c_char_p)
    libc.malloc_info.argtypes = (ctypes.c_int, ctypes.c_void_p)
    libc.fclose.argtypes = (ctypes.c_void_p,)
    with tempfile.NamedTemporaryFile() as report:
        stream = libc.fopen(report.name.encode(), b"w")
        libc.malloc_info(0, stream)
        libc.fclose(stream)
        return open(report.name).read().count("<heap nr=")

log_queue = queue.Queue()
logging.getLogger("host").addHandler(logging.handlers.QueueHandler(log_queue))
logging.getLogger("host").warning("embedded record")
status = logview.view(log_queue)
before = malloc_arenas()
together = threading.Barrier(before + 2)  # each thread takes an arena that is free before one is made
kept = []
def allocate():
    kept.append(bytearray(100_000))  # over pymalloc's limit: from the thread's malloc arena
    together.wait()
threads = [threading.Thread(target=allocate) for _ in range(before + 2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("status", status, "new malloc arenas", malloc_arenas() - before)
"""


def test_view_has_the_signature_of_the_viewer_it_opens() -> None:
    assert str(inspect.signature(logview.view)) == str(inspect.signature(api.view))  # the annotations, as written
    assert list(inspect.signature(logview.view).parameters) == ["log_queue", "paths", "filters"]


def test_importing_the_package_loads_no_engine_and_no_textual() -> None:
    """``import logview`` in a host program: the engine, the UI and their libraries load only when view() is called."""
    code = "import sys, logview; print(sorted(name for name in sys.modules if name.split('.')[0] in ('numpy', 'polars', 'textual') or name.startswith('logview.')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc arenas")
def test_viewing_leaves_the_host_programs_allocator_alone(tmp_path: Path) -> None:
    """Allocator tuning is the logview command's (it changes the whole process): ``logview.view`` in a host program makes none."""
    program = tmp_path / "host.py"
    program.write_text(HOST_PROGRAM)
    output, status = run_in_terminal([sys.executable, str(program)], until=b"embedded record", keys=b"q", cwd=ROOT)
    assert status == 0, output[-1500:]
    reported = output.rpartition(b"status ")[2].split()
    assert reported[:4] == [b"0", b"new", b"malloc", b"arenas"], output[-1500:]
    assert int(reported[4]) > 0, "logview.view limited the host's malloc arenas"
