"""Write docs/screenshot.svg: the app on the bundled sample_logs/, as README shows it.

python scripts/make_screenshot.py
"""

from __future__ import annotations

import asyncio
import glob
import os
from pathlib import Path

from logview.ui.app import LogViewApp

ROOT = Path(__file__).resolve().parent.parent


async def main() -> None:
    os.chdir(ROOT)
    app = LogViewApp(sorted(glob.glob("sample_logs/*")))
    async with app.run_test(size=(150, 40)) as pilot:
        while not (app.is_settled and app.query_one("#histogram").histogram is not None):  # type: ignore[attr-defined]
            await pilot.pause(0.05)
        await pilot.press("slash", *"failed", "enter")
        while app.search.rows is None:
            await pilot.pause(0.05)
        await pilot.pause(0.2)
        app.save_screenshot("screenshot.svg", path=str(ROOT / "docs"))


if __name__ == "__main__":
    asyncio.run(main())
