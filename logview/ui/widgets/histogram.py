"""The histogram strip: records over time as a two-line bar chart, coloured by the worst level in each column.

It sits above the log so that a burst of errors is seen before it is read:
one column per time bin, 16 heights over two lines of block characters, red
where any ERROR or worse fell, yellow for WARNING. The counting is done by
:func:`logview.core.histogram.level_histogram`, which the app calls with
:attr:`HistogramStrip.bins_wanted` bins; this widget only draws.
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.events import Resize
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from logview.core.histogram import DEBUG, ERROR, INFO, WARNING, Histogram
from logview.core.zones import shown_moment
from logview.ui.colors import COLORS

#: Eighths of a line, from empty to full.
BLOCKS = " ▁▂▃▄▅▆▇█"
#: Heights a column can show over the strip's two lines.
LEVELS = 2 * (len(BLOCKS) - 1)
#: Characters of a time label, and of a gutter (label and a space) on each side of the bars.
LABEL_WIDTH = 8
GUTTER = LABEL_WIDTH + 1
#: Below this many bars the labels give their room to the bars.
MIN_BARS_WITH_LABELS = 16
DAY_MS = 86_400_000

BAND_STYLES: dict[int, Style] = {
    ERROR: Style(color=COLORS["error"]),
    WARNING: Style(color=COLORS["warning"]),
    INFO: Style(),
    DEBUG: Style(color=COLORS["debug"]),
}
CURSOR_STYLE = Style(reverse=True)
LABEL_STYLE = Style(dim=True)
EMPTY_TEXT = "no timed records"


class HistogramStrip(Widget):
    """Two lines: the date and time of each end in the gutters, the bars between them."""

    DEFAULT_CSS = """
    HistogramStrip { height: 2; }
    """

    class BinsChanged(Message):
        """The strip was resized and now has room for ``bins`` bars: the app should count again."""

        def __init__(self, bins: int) -> None:
            super().__init__()
            self.bins = bins

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._histogram: Histogram | None = None
        self._cursor_time: int | None = None
        self._last_bins = 0
        #: A count has been shown: until then the strip is blank (the records are being read), not "no timed records".
        self._counted = False

    @property
    def histogram(self) -> Histogram | None:
        return self._histogram

    @property
    def gutters(self) -> bool:
        """Whether the width leaves room for the time labels beside the bars."""
        return self.size.width - 2 * GUTTER >= MIN_BARS_WITH_LABELS

    @property
    def bins_wanted(self) -> int:
        """Bars that fit: the bins to ask of ``level_histogram`` so that one bin is one column."""
        return max(1, self.size.width - 2 * GUTTER if self.gutters else self.size.width)

    def show(self, histogram: Histogram | None, cursor_time: int | None = None) -> None:
        """Draw ``histogram`` (None: nothing timed is shown), highlighting the column of ``cursor_time``."""
        if (
            self._counted
            and histogram is self._histogram
            and (histogram is None or histogram.bin_of(cursor_time) == histogram.bin_of(self._cursor_time))
        ):
            self._cursor_time = cursor_time
            return  # the same bars: the cursor moved within its column (it does at each live refresh)
        self._histogram = histogram
        self._cursor_time = cursor_time
        self._counted = True
        self.refresh()

    def move_cursor(self, cursor_time: int | None) -> None:
        """Highlight the column of ``cursor_time`` (the record under the log's cursor), the bars as they are."""
        if self._counted:
            self.show(self._histogram, cursor_time)
        else:
            self._cursor_time = cursor_time

    def on_resize(self, event: Resize) -> None:
        bins = self.bins_wanted
        if bins != self._last_bins:
            self._last_bins = bins
            self.post_message(self.BinsChanged(bins))

    # -- drawing ------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        histogram = self._histogram
        if histogram is None:
            text = EMPTY_TEXT if y == 0 and self._counted else ""
            return Strip([Segment(text, base + LABEL_STYLE)]).crop_extend(0, width, base)
        bars = self._bars(histogram, y, base)
        if not self.gutters:
            return Strip(bars).crop_extend(0, width, base).simplify()
        start_label, end_label = _labels(histogram.start, histogram.end - 1)[y]
        # The right gutter sits at the screen's edge even when the bars fall short of it.
        padding = max(0, width - 2 * GUTTER - len(bars))
        segments = [
            Segment(start_label.ljust(GUTTER)[:GUTTER], base + LABEL_STYLE),
            *bars,
            Segment(" " * padding, base),
            Segment(end_label.rjust(GUTTER)[-GUTTER:], base + LABEL_STYLE),
        ]
        return Strip(segments).crop_extend(0, width, base).simplify()

    def _bars(self, histogram: Histogram, y: int, base: Style) -> list[Segment]:
        """Line ``y`` (0 the top) of the bars, one segment per column."""
        counts, cursor = _columns(histogram, self.bins_wanted, self._cursor_time)
        totals = counts.sum(axis=0)
        # Rounded up, so that a single record among thousands still shows.
        heights = -(-totals * LEVELS // max(int(totals.max()), 1))
        eighths = np.clip(heights - 8, 0, 8) if y == 0 else np.minimum(heights, 8)
        present = counts > 0
        segments = []
        for column, eighth in enumerate(eighths.tolist()):
            band = next((band for band in (ERROR, WARNING, INFO) if present[band, column]), DEBUG)
            style = base + BAND_STYLES[band]
            if column == cursor:
                style += CURSOR_STYLE
            segments.append(Segment(BLOCKS[eighth], style))
        return segments


def _columns(histogram: Histogram, columns: int, cursor_time: int | None) -> tuple[np.ndarray, int | None]:
    """The counts per column and the cursor's column, merging bins when there are more bins than columns.

    A histogram counted for a wider strip is shown whole until the app counts
    again for the new width; one counted for a narrower strip is drawn as is,
    leaving the columns after it empty.
    """
    counts = histogram.counts
    cursor = histogram.bin_of(cursor_time)
    if histogram.bins <= columns:
        return counts, cursor
    starts = np.arange(columns, dtype=np.int64) * histogram.bins // columns
    merged = np.add.reduceat(counts, starts, axis=1)
    column = None if cursor is None else int(np.searchsorted(starts, cursor, side="right")) - 1
    return merged, column


def _labels(first: int, last: int) -> tuple[tuple[str, str], tuple[str, str]]:
    """((start date, end date), (start time, end time)): dates above times, in the gutters.

    In the zone times are shown in, like the log pane's time column.
    The year is shown only when the range crosses one, seconds only when it is
    short enough for them to tell columns apart.
    """
    start, end = (shown_moment(millis)[0] for millis in (first, last))
    date_format = "%b %d" if start.year == end.year else "%y-%m-%d"
    time_format = "%H:%M:%S" if last - first < DAY_MS else "%H:%M"
    return (start.strftime(date_format), end.strftime(date_format)), (start.strftime(time_format), end.strftime(time_format))
