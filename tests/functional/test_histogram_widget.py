"""The histogram strip in a bare app: bar heights, colours by worst level, the cursor column, labels."""

from __future__ import annotations

import numpy as np
from textual.app import App, ComposeResult
from textual.strip import Strip

from logview.core.histogram import BANDS, DEBUG, ERROR, INFO, WARNING, Histogram
from logview.ui.colors import COLORS
from logview.ui.widgets.histogram import GUTTER, HistogramStrip

START = 1_709_251_200_000  # 2024-03-01 00:00:00
WIDTH = 80
BINS = WIDTH - 2 * GUTTER


class StripApp(App[None]):
    def compose(self) -> ComposeResult:
        yield HistogramStrip(id="histogram")


def made(columns: dict[int, dict[int, int]], bins: int = BINS, seconds_per_bin: int = 1) -> Histogram:
    """A histogram of ``bins`` bins, one second each, with ``{bin: {band: count}}`` filled in."""
    counts = np.zeros((BANDS, bins), dtype=np.int64)
    for column, bands in columns.items():
        for band, count in bands.items():
            counts[band, column] = count
    return Histogram(start=START, end=START + bins * seconds_per_bin * 1000, counts=counts)


def bars(line: Strip) -> list[tuple[str, str]]:
    """(character, style) of each bar column of a rendered line."""
    cells = [(segment.text[index], str(segment.style)) for segment in line for index in range(len(segment.text))]
    return cells[GUTTER : GUTTER + BINS]


async def test_bars_heights_and_colours() -> None:
    app = StripApp()
    async with app.run_test(size=(WIDTH, 5)) as pilot:
        strip = app.query_one(HistogramStrip)
        assert strip.size.height == 2
        assert strip.bins_wanted == BINS
        strip.show(
            made(
                {
                    0: {DEBUG: 3},
                    1: {INFO: 50, DEBUG: 50},
                    2: {INFO: 40, WARNING: 1},
                    3: {INFO: 10, ERROR: 1},
                    4: {DEBUG: 1},
                    BINS - 1: {INFO: 60},
                }
            )
        )
        await pilot.pause()
        top, bottom = strip.render_line(0), strip.render_line(1)
        assert top.cell_length == bottom.cell_length == WIDTH
        top_bars, bottom_bars = bars(top), bars(bottom)
        # The tallest column (100 records) is full on both lines.
        assert top_bars[1][0] == "█" and bottom_bars[1][0] == "█"
        # 41 of 100: 16 * 0.41 rounded up to 7 eighths, all on the bottom line.
        assert top_bars[2][0] == " " and bottom_bars[2][0] == "▇"
        # 60 of 100: 10 eighths, a full bottom and a quarter on top.
        assert top_bars[BINS - 1][0] == "▂" and bottom_bars[BINS - 1][0] == "█"
        # A lone record still shows; an empty bin is blank on both lines.
        assert bottom_bars[4][0] == "▁" and top_bars[4][0] == " "
        assert top_bars[10][0] == " " and bottom_bars[10][0] == " "
        # Coloured by the worst band present.
        error, warning, debug = COLORS["error"], COLORS["warning"], COLORS["debug"]
        assert error in bottom_bars[3][1]
        assert warning in bottom_bars[2][1]
        assert error not in bottom_bars[1][1] and warning not in bottom_bars[1][1] and debug not in bottom_bars[1][1]
        assert debug in bottom_bars[0][1] and debug in bottom_bars[4][1]
        assert not any("reverse" in style for _, style in bottom_bars)
        # The range's ends: date above time, in the gutters.
        assert top.text.startswith("Mar 01") and top.text.rstrip().endswith("Mar 01")
        assert bottom.text.startswith("00:00:00") and bottom.text.endswith("00:01:01")


async def test_cursor_column_is_reversed() -> None:
    app = StripApp()
    async with app.run_test(size=(WIDTH, 5)) as pilot:
        strip = app.query_one(HistogramStrip)
        strip.show(made({5: {INFO: 4}, 20: {ERROR: 2}}), cursor_time=START + 20_500)
        await pilot.pause()
        reversed_columns = [index for index, (_, style) in enumerate(bars(strip.render_line(1))) if "reverse" in style]
        assert reversed_columns == [20]
        strip.show(made({5: {INFO: 4}}), cursor_time=None)
        await pilot.pause()
        assert not any("reverse" in style for _, style in bars(strip.render_line(1)))


async def test_empty_state() -> None:
    app = StripApp()
    async with app.run_test(size=(WIDTH, 5)) as pilot:
        strip = app.query_one(HistogramStrip)
        strip.show(None)
        await pilot.pause()
        first = strip.render_line(0)
        assert first.text.strip() == "no timed records"
        assert all("dim" in str(segment.style) for segment in first if segment.text.strip())
        assert strip.render_line(1).text.strip() == ""


async def test_more_bins_than_columns_are_merged_and_days_are_dated() -> None:
    """A histogram counted for a wider strip still fits, until the app counts again."""
    app = StripApp()
    async with app.run_test(size=(WIDTH, 5)) as pilot:
        strip = app.query_one(HistogramStrip)
        wide = made({0: {ERROR: 1}, 2 * BINS - 1: {INFO: 9}}, bins=2 * BINS, seconds_per_bin=3600)
        strip.show(wide, cursor_time=wide.end - 1)
        await pilot.pause()
        top, bottom = strip.render_line(0), strip.render_line(1)
        assert top.cell_length == bottom.cell_length == WIDTH
        bottom_bars = bars(bottom)
        assert COLORS["error"] in bottom_bars[0][1]
        assert bottom_bars[BINS - 1][0] == "█" and "reverse" in bottom_bars[BINS - 1][1]
        # Over days: the time loses its seconds, the end date moves on.
        assert top.text.rstrip().endswith("Mar 06") and bottom.text.startswith("00:00 ")


async def test_resize_asks_for_a_new_count() -> None:
    seen: list[int] = []

    class Watching(StripApp):
        def on_histogram_strip_bins_changed(self, message: HistogramStrip.BinsChanged) -> None:
            seen.append(message.bins)

    app = Watching()
    async with app.run_test(size=(WIDTH, 5)) as pilot:
        await pilot.pause()
        assert seen[-1] == BINS
        await pilot.resize_terminal(100, 5)
        await pilot.pause()
        assert seen[-1] == 100 - 2 * GUTTER == app.query_one(HistogramStrip).bins_wanted
