"""Allocator settings that keep the engine's peak memory near the index's own size.

glibc gives each thread that allocates under contention an arena of its own,
and an arena keeps the pages its thread freed. The two parse threads free a
chunk's numpy temporaries every few milliseconds, so with per-thread arenas
each thread holds on to its high-water mark: 25 MB more peak RSS on the 10M
corpus (see BENCHMARKS.md). One arena costs no measurable speed there, since
numpy allocates a few arrays per chunk, not per record. polars has its own
allocator (jemalloc), configured by tune_allocators below.

glibc gives a thread its arena at its first allocation, so this runs before
logview starts any thread: first thing in the logview command, never in a
program that embeds the viewer (``import logview``, logview.view): a host
program's own allocator is its business.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable

#: mallopt's parameter number for the arena limit (malloc.h).
M_ARENA_MAX = -8

_done = False


def tune_allocators() -> None:
    """polars' jemalloc and glibc's malloc set to keep the engine's peak near the index's own size.

    polars allocates through its own jemalloc, which keeps one arena per
    thread and holds freed pages for ten seconds: with two parse threads that
    is tens of megabytes of working memory kept per thread. One shared arena
    and a short decay keep the peak closer to the index's own size (10M
    records: 334 -> 311 MiB, same speed; see BENCHMARKS.md). Read once, when
    polars is first imported; a setting of the user's own wins.
    """
    os.environ.setdefault("_RJEM_MALLOC_CONF", "narenas:1,dirty_decay_ms:300,muzzy_decay_ms:0")
    limit_malloc_arenas()


def limit_malloc_arenas() -> None:
    """Ask glibc for a single malloc arena; a no-op elsewhere (musl, macOS) or when the user set one."""
    import ctypes

    global _done
    if _done or not sys.platform.startswith("linux"):
        return
    _done = True
    if "MALLOC_ARENA_MAX" in os.environ or "glibc.malloc.arena_max" in os.environ.get("GLIBC_TUNABLES", ""):
        return
    try:
        # The interpreter's own symbols include the C library's.
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt(M_ARENA_MAX, 1)


def release_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc's malloc_trim): once the index is built, and after large passes.

    The parse threads' chunks, a filter's masks and a search's chunks leave
    freed pages in the heap that glibc keeps for later allocations, while
    polars allocates from its own: kept, they add to the next peak (9 MiB on
    the 10M corpus after indexing). A trim costs a fraction of a millisecond.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = (ctypes.c_size_t,)
    return trim  # type: ignore[no-any-return]
