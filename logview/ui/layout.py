"""Where each part of the viewer's screen goes, for a terminal size: the sidebar's panes, the histogram, the log, the bars.

Written out in cells rather than left to CSS fractions: the first frame,
drawn before Textual is loaded, places the same parts in the same cells as
Textual then does (the app sets these sizes on its widgets), so that the
one replaces the other without a cell moving.
"""

from __future__ import annotations

from typing import NamedTuple

#: Narrower terminals open with the sidebar hidden: the records need the columns more.
SIDEBAR_MIN_WIDTH = 140
SIDEBAR_WIDTH = 34
#: The levels pane holds the five standard levels; the text filters' pane three filters (more scroll).
LEVELS_HEIGHT = 7
TEXT_FILTERS_HEIGHT = 5
#: Two lines of bars and the line under them.
HISTOGRAM_HEIGHT = 3
#: The status bar and the key bar, one line each, at the bottom.
BARS_HEIGHT = 2

#: The sidebar's panes, top to bottom: (widget id, border title).
SIDEBAR_PANES: tuple[tuple[str, str], ...] = (
    ("levels", "Levels (l)"),
    ("loggers", "Loggers (o)"),
    # No rows until records name their host (the journal, a sender): see sidebar_heights.
    ("hosts", "Hosts (h)"),
    ("processes", "Processes (p)"),
    ("text-filters", "Text filters (+ −)"),
)


class Box(NamedTuple):
    """A rectangle of cells: left column, top row, width, height."""

    x: int
    y: int
    width: int
    height: int


class ScreenLayout(NamedTuple):
    """Every part's box on a screen of ``width`` × ``height``; no sidebar boxes when it is hidden."""

    width: int
    height: int
    sidebar: tuple[Box, ...]
    histogram: Box
    log: Box
    status: Box
    keys: Box


def screen_layout(width: int, height: int, sidebar: bool) -> ScreenLayout:
    body = max(height - BARS_HEIGHT, 0)
    left = SIDEBAR_WIDTH if sidebar else 0
    panes: tuple[Box, ...] = ()
    if sidebar:
        heights = sidebar_heights(body)
        tops = [sum(heights[:index]) for index in range(len(heights))]
        panes = tuple(Box(0, top, SIDEBAR_WIDTH, pane) for top, pane in zip(tops, heights, strict=True))
    main = max(width - left, 0)
    histogram = Box(left, 0, main, min(HISTOGRAM_HEIGHT, body))
    log = Box(left, histogram.height, main, max(body - histogram.height, 0))
    return ScreenLayout(width, height, panes, histogram, log, Box(0, body, width, 1), Box(0, body + 1, width, 1))


def sidebar_heights(body: int, hosts: int = 0) -> tuple[int, int, int, int, int]:
    """Heights of the levels, loggers, hosts, processes and text filters panes in a sidebar ``body`` rows tall.

    The levels and text filters panes keep their height; the hosts pane
    takes a row per host (and its border), at most a quarter of the rest,
    and none while no record names a host; the loggers and processes panes
    share the rest, the loggers taking the odd row.
    """
    rest = max(body - LEVELS_HEIGHT - TEXT_FILTERS_HEIGHT, 0)
    hosts_height = min(hosts + 2, max(rest // 4, 3)) if hosts else 0
    rest -= hosts_height
    processes = rest // 2
    return LEVELS_HEIGHT, rest - processes, hosts_height, processes, TEXT_FILTERS_HEIGHT


def sidebar_shown(width: int) -> bool:
    """Whether a terminal this wide opens with the sidebar."""
    return width >= SIDEBAR_MIN_WIDTH
