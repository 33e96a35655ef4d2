"""Messages on standard error stay one whole line each when several threads write them at once."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.command import ROOT

#: Threads that report at once, and messages each: as the socket listener's and the follower's threads do, many more times.
THREADS, MESSAGES = 4, 300


def test_messages_from_threads_at_once_are_whole_lines() -> None:
    # Short lines, and lines longer than PIPE_BUF (4096), which even the kernel does not keep whole between writers.
    child = textwrap.dedent(
        f"""
        import threading
        from logview.core.say import say

        start = threading.Barrier({THREADS})

        def report(thread):
            start.wait()
            for number in range({MESSAGES}):
                say(f"thread {{thread}} message {{number}} " + str(thread) * (10 if number % 2 else 6000))

        threads = [threading.Thread(target=report, args=(thread,)) for thread in range({THREADS})]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        """
    )
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, timeout=60, cwd=ROOT, check=True)
    lines = done.stderr.decode().split("\n")
    assert lines.pop() == ""
    expected = {
        f"logview: thread {thread} message {number} " + str(thread) * (10 if number % 2 else 6000)
        for thread in range(THREADS)
        for number in range(MESSAGES)
    }
    assert len(lines) == len(expected)
    assert not [line[:80] for line in lines if line not in expected]
