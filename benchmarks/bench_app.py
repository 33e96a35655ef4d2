"""Measure the viewer on a corpus, driven headless by its Pilot, in a fresh process.

    python benchmarks/bench_app.py /tmp/corpus/10m.log

    python benchmarks/bench_app.py /tmp/logview-bench/small.log /tmp/corpus/1m.log --search "connection reset"

Prints, for each file in a fresh process: time to the first screen (records
drawn) from process start, time until indexing is done, peak RSS, and the
latency of a level toggle, a search jump (n) and a page down once the index
is complete, each from the key event to the first frame written to the
terminal that shows its effect (best of a few). Pilot's press() is not used
for these: it also waits for the whole process to go idle, 70-80 ms here for
a key bound to nothing. The search is typed in the ``/`` bar from the newest
record, where the viewer opens, and timed from its Enter to the first frame
with the cursor on a match, and to the end of its pass over the text; once
per process, as a search repeated would find its matches kept. Where lnav is
installed its peak RSS on the same file is printed beside ours. The small file
is the one benchmarks/bench_print.py writes.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent


def probe(path: str, search: str) -> dict[str, float]:
    import asyncio
    import faulthandler

    # A wait that never ends shows where it stands instead of hanging the run.
    faulthandler.dump_traceback_later(600, exit=True)

    sys.path.insert(0, str(ROOT))
    from textual import events

    from logview.core.memory import tune_allocators

    tune_allocators()  # as the logview command does
    from logview.ui.app import LogViewApp
    from logview.ui.widgets.prompt_bar import smart_case

    figures: dict[str, float] = {"import_seconds": time.perf_counter() - STARTED}

    async def drive() -> None:
        app = LogViewApp([path])
        async with app.run_test(size=(160, 50)) as pilot:
            pane = app.log_pane
            # The newest records read from the file's end (the preview), or the index's: whichever is drawn first.
            while not (pane.record_count and pane.render_line(0).text.strip()):
                await asyncio.sleep(0.005)
            figures["first_screen_seconds"] = time.perf_counter() - STARTED
            while not app.is_settled:
                # A plain sleep: Pilot's pause waits for the app to go idle, which takes the GIL from the loader.
                await asyncio.sleep(0.05)
            figures["indexed_seconds"] = time.perf_counter() - STARTED
            figures["records"] = len(app.pipeline.timeline)
            figures["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

            # Key latency: from the key event to the first frame written to the terminal that shows its effect.
            # Pilot's press() also waits for the whole process to go idle, which would be counted too.
            shown_at: list[float] = []
            effect: list[Callable[[], bool]] = []
            display = app._display

            def display_and_time(screen: Any, renderable: Any) -> None:
                display(screen, renderable)
                if effect and effect[0]():
                    shown_at.append(time.perf_counter())
                    effect.clear()

            app._display = display_and_time  # type: ignore[method-assign]

            key_sent = [0.0]  # when shown_ms sent its last key

            async def shown_ms(key: str, shown: Callable[[], bool], deadline: float = 10) -> float:
                """From the event of ``key`` to the first frame on the terminal for which ``shown`` holds."""
                await pilot.pause()
                shown_at.clear()
                effect[:] = [shown]
                begin = key_sent[0] = time.perf_counter()
                driver = app._driver
                assert driver is not None
                driver.send_message(events.Key(key, {"space": " ", "enter": "\r"}.get(key, key)))
                while not shown_at and time.perf_counter() - begin < deadline:
                    await asyncio.sleep(0.0005)
                return ((shown_at[0] if shown_at else float("inf")) - begin) * 1000

            async def best_ms(key: str, runs: int, effect_of: Callable[[], Callable[[], bool]]) -> float:
                """The best of ``runs`` presses of ``key``: from the key event to the frame that shows its effect."""
                return min([await shown_ms(key, effect_of()) for _ in range(runs)])

            def cursor_moves() -> Callable[[], bool]:
                before = pane.cursor
                return lambda: pane.cursor != before

            def view_changes() -> Callable[[], bool]:
                view = app.session.views[app.session.active]
                before = view.requested
                return lambda: view.shown > before and view.settled

            await pilot.press("g")  # the viewer opens at the newest record, following: page down from the top
            figures["page_down_ms"] = await best_ms("pagedown", 5, cursor_moves)
            # Level toggle: from the key to the new rows and counts on screen.
            await pilot.press("l")
            figures["level_toggle_ms"] = await best_ms("space", 4, view_changes)
            await pilot.press("escape")
            pane.focus()
            # Search as a user does: from the newest record (where the viewer opens), on a record that does not match.
            matches = re.compile(smart_case(search)).search

            def on_a_match() -> bool:
                record = pane.current_record
                return record is not None and matches(record.text) is not None

            await pilot.press("G")
            for _ in range(1000):
                if not on_a_match():
                    break
                await pilot.press("up")
            await pilot.press("/", *search)
            figures["search_enter_ms"] = await shown_ms("enter", on_a_match, deadline=300)
            # The first pass over the text: the count of matches is complete (it may come after the first match).
            while not app.session.search.ready:
                await asyncio.sleep(0.005)
            figures["search_scan_seconds"] = time.perf_counter() - key_sent[0]
            figures["search_jump_ms"] = await best_ms("n", 5, cursor_moves)
            figures["peak_rss_after_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            await pilot.press("q")

    asyncio.run(drive())
    return figures


def lnav_rss(path: str) -> int | None:
    import shutil

    if shutil.which("lnav") is None:
        return None
    begin = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(["lnav", "-n", "-c", ";SELECT count(*) FROM all_logs", path], capture_output=True, check=False)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak * 1024 if peak > begin else None


def report(path: str, search: str) -> None:
    """Run the probe on ``path`` in a fresh process and print its figures."""
    result = subprocess.run([sys.executable, __file__, "--probe", "--search", search, path], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"the probe failed on {path}:\n{result.stderr[-4000:]}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"viewer on {path} ({int(figures['records']):,} records)")
    print(f"  imports: {figures['import_seconds']:.2f} s; first screen: {figures['first_screen_seconds']:.2f} s after start")
    print(f"  indexing done: {figures['indexed_seconds']:.2f} s after start")
    print("  keys, from the key event to the first frame on the terminal that shows the change:")
    print(f"  page down: {figures['page_down_ms']:.1f} ms; level toggle: {figures['level_toggle_ms']:.1f} ms")
    print(
        f"  search /{search}: Enter to the first match on screen {figures['search_enter_ms']:.1f} ms, "
        f"to the end of the first pass {figures['search_scan_seconds']:.2f} s; then a jump (n) {figures['search_jump_ms']:.1f} ms"
    )
    rss, after = figures["peak_rss_bytes"], figures["peak_rss_after_bytes"]
    print(f"  peak RSS: {rss / 2**20:.0f} MiB after indexing, {after / 2**20:.0f} MiB after the interactions")
    lnav = lnav_rss(path)
    if lnav:
        print(
            f"  lnav peak RSS on the same file: {lnav / 2**20:.0f} MiB; ratio x{rss / lnav:.2f} after indexing, x{after / lnav:.2f} after the interactions"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", metavar="path", help="log files, each measured in a process of its own")
    parser.add_argument("--search", default="Traceback", help="the text searched for the search figures")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.paths[0], args.search)))
        return
    for path in args.paths:
        report(path, args.search)


if __name__ == "__main__":
    main()
