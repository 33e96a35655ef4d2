"""The viewer's search, as a user runs it: from the Enter key to the cursor on the first match, and to the full count.

    python benchmarks/bench_search_latency.py /tmp/corpus/10m.log --search "connection reset"

The app is driven headless by its Pilot in this process, once the index is
complete. The search is typed into the prompt and Enter is sent as a key event;
the time runs until the first frame written to the terminal with the log
pane's cursor on a matching record, and until the count is known. From the top
(``g``) and from the newest record, where the viewer opens; medians of a few
runs, each with the selector's kept matches dropped first.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


async def measure(paths: list[str], search: str, runs: int, size: tuple[int, int] = (160, 50)) -> None:
    sys.path.insert(0, str(ROOT))
    from textual import events

    from logview.core.records import RecordReader
    from logview.ui.app import LogViewApp

    app = LogViewApp(paths)
    async with app.run_test(size=size) as pilot:
        while not app.is_settled:
            await asyncio.sleep(0.05)
        pane = app.log_pane
        reader = RecordReader(app.pipeline)
        pattern = re.compile(search if any(char.isupper() for char in search) else f"(?i){search}")

        def on_match() -> bool:
            if not len(pane.selection):
                return False
            row = pane.selection[pane.selection_cursor]
            return pattern.search(next(iter(reader.records([row], line_numbers=False))).message) is not None

        #: When the first frame showing the cursor on a match was written, once a run begins (``armed``).
        shown: list[float] = []
        #: The process's CPU time then: steadier than the wall clock on a loaded machine.
        shown_cpu: list[float] = []
        armed: list[bool] = []
        display = app._display

        def display_and_time(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if armed and not shown and app.session.search.text and on_match():
                shown.append(time.perf_counter())
                shown_cpu.append(time.process_time())

        app._display = display_and_time  # type: ignore[method-assign]
        # The floor: the frame that closes the bar without a search (Escape), which every search's first frame pays.
        floor_ms: list[float] = []
        floor_cpu_ms: list[float] = []
        frames: list[tuple[float, float]] = []
        armed_floor = display

        def display_any(screen: Any, renderable: Any) -> None:
            armed_floor(screen, renderable)
            frames.append((time.perf_counter(), time.process_time()))

        app._display = display_any  # type: ignore[method-assign]
        for _ in range(runs):
            await pilot.press("slash", *search)
            await pilot.pause()
            frames.clear()
            begin, begin_cpu = time.perf_counter(), time.process_time()
            app._driver.send_message(events.Key("escape", None))
            while not frames and time.perf_counter() - begin < 10:
                await asyncio.sleep(0.001)
            floor_ms.append((frames[0][0] - begin) * 1000 if frames else float("nan"))
            floor_cpu_ms.append((frames[0][1] - begin_cpu) * 1000 if frames else float("nan"))
        print(
            f"  the frame that closes the bar without a search: {statistics.median(floor_ms):.1f} ms, "
            f"{statistics.median(floor_cpu_ms):.1f} ms of CPU"
        )
        app._display = display_and_time  # type: ignore[method-assign]
        for start_key in ("g", "G"):
            shown_ms: list[float] = []
            shown_cpu_ms: list[float] = []
            counted_ms: list[float] = []
            for _ in range(runs):
                await pilot.press("escape", start_key)
                await pilot.press("slash", *search)
                app.session.search.start("", "")  # the last run's answer is not this one's
                app.session.selector._text.clear()  # nor are the matches the selector keeps per pattern
                shown.clear()
                shown_cpu.clear()
                armed[:] = [True]
                begin, begin_cpu = time.perf_counter(), time.process_time()
                app._driver.send_message(events.Key("enter", None))
                while time.perf_counter() - begin < 60 and not (shown and app.session.search.rows is not None):
                    await asyncio.sleep(0.001)
                counted_ms.append((time.perf_counter() - begin) * 1000)
                armed.clear()
                shown_ms.append((shown[0] - begin) * 1000 if shown else float("nan"))
                shown_cpu_ms.append((shown_cpu[0] - begin_cpu) * 1000 if shown_cpu else float("nan"))
            where = "top" if start_key == "g" else "newest record"
            count = len(app.session.search.rows) if app.session.search.rows is not None else 0
            print(
                f"  from the {where}: first frame with the cursor on a match {statistics.median(shown_ms):.1f} ms "
                f"(runs: {', '.join(f'{value:.0f}' for value in shown_ms)}), {statistics.median(shown_cpu_ms):.1f} ms of CPU; "
                f"all {count:,} matches counted {statistics.median(counted_ms):.1f} ms (medians of {runs})"
            )
        await pilot.press("q")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--search", default="connection reset")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="160x50", help="the terminal's COLUMNSxROWS")
    args = parser.parse_args()
    columns, rows = (int(part) for part in args.size.split("x"))
    print(f"search {args.search!r} in {' '.join(args.paths)}, at {columns}x{rows}")
    asyncio.run(measure(args.paths, args.search, args.runs, (columns, rows)))


if __name__ == "__main__":
    main()
