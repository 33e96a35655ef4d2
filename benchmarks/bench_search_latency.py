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


async def measure(paths: list[str], search: str, runs: int) -> None:
    sys.path.insert(0, str(ROOT))
    from textual import events

    from logview.core.records import RecordReader
    from logview.ui.app import LogViewApp

    app = LogViewApp(paths)
    async with app.run_test(size=(160, 50)) as pilot:
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
        armed: list[bool] = []
        display = app._display

        def display_and_time(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if armed and not shown and app.search.text and on_match():
                shown.append(time.perf_counter())

        app._display = display_and_time  # type: ignore[method-assign]
        # The floor: the frame that closes the bar without a search (Escape), which every search's first frame pays.
        floor_ms: list[float] = []
        frames: list[float] = []
        armed_floor = display

        def display_any(screen: Any, renderable: Any) -> None:
            armed_floor(screen, renderable)
            frames.append(time.perf_counter())

        app._display = display_any  # type: ignore[method-assign]
        for _ in range(runs):
            await pilot.press("slash", *search)
            await pilot.pause()
            frames.clear()
            begin = time.perf_counter()
            app._driver.send_message(events.Key("escape", None))
            while not frames and time.perf_counter() - begin < 10:
                await asyncio.sleep(0.001)
            floor_ms.append((frames[0] - begin) * 1000 if frames else float("nan"))
        print(f"  the frame that closes the bar without a search: {statistics.median(floor_ms):.1f} ms")
        app._display = display_and_time  # type: ignore[method-assign]
        for start_key in ("g", "G"):
            shown_ms: list[float] = []
            counted_ms: list[float] = []
            for _ in range(runs):
                await pilot.press("escape", start_key)
                await pilot.press("slash", *search)
                app.search.start("", "")  # the last run's answer is not this one's
                app.selector._text.clear()  # nor are the matches the selector keeps per pattern
                shown.clear()
                armed[:] = [True]
                begin = time.perf_counter()
                app._driver.send_message(events.Key("enter", None))
                while time.perf_counter() - begin < 60 and not (shown and app.search.rows is not None):
                    await asyncio.sleep(0.001)
                counted_ms.append((time.perf_counter() - begin) * 1000)
                armed.clear()
                shown_ms.append((shown[0] - begin) * 1000 if shown else float("nan"))
            where = "top" if start_key == "g" else "newest record"
            count = len(app.search.rows) if app.search.rows is not None else 0
            print(
                f"  from the {where}: first frame with the cursor on a match {statistics.median(shown_ms):.1f} ms "
                f"(runs: {', '.join(f'{value:.0f}' for value in shown_ms)}); "
                f"all {count:,} matches counted {statistics.median(counted_ms):.1f} ms (medians of {runs})"
            )
        await pilot.press("q")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--search", default="connection reset")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"search {args.search!r} in {' '.join(args.paths)}")
    asyncio.run(measure(args.paths, args.search, args.runs))


if __name__ == "__main__":
    main()
