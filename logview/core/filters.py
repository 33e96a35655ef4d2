"""What to show: one Filters object for the command line and the app's panes.

This module only says what the filters are, and reads them from the command
line; it imports no numpy, so that the command line and the first frame do not
wait for it. core/masks.py turns them into masks over the timeline's columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from logview.core.record import level_number
from logview.core.zones import shown_in_utc, wall_to_utc

if TYPE_CHECKING:
    import numpy as np


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


class FilterError(ValueError):
    """A filter value that cannot be understood (bad level, time or regex)."""


class TextFilter(NamedTuple):
    """A filter-in (``keep``) or filter-out regex, as lnav's; one switched off stays listed and filters nothing."""

    pattern: str
    keep: bool
    enabled: bool = True


class TextCriteria(NamedTuple):
    """What the text of a record must hold: every ``all_of``, one of ``any_of`` (when there are any), none of ``none_of``."""

    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.all_of or self.any_of or self.none_of)

    def mask(self, hits: Callable[[str], np.ndarray]) -> np.ndarray | None:
        """The rows these criteria keep, from ``hits(pattern)`` (each pattern's matching rows); None for "all"."""
        mask: np.ndarray | None = None
        for pattern in self.all_of:
            mask = and_masks(mask, hits(pattern))
        if self.any_of:
            anyone = hits(self.any_of[0]).copy()
            for pattern in self.any_of[1:]:
                anyone |= hits(pattern)
            mask = and_masks(mask, anyone)
        for pattern in self.none_of:
            mask = and_masks(mask, ~hits(pattern))
        return mask

    def keeps(self, text: str) -> bool:
        """Whether one record's ``text`` passes (the few records that arrive live)."""
        return (
            all(re.search(pattern, text) for pattern in self.all_of)
            and (not self.any_of or any(re.search(pattern, text) for pattern in self.any_of))
            and not any(re.search(pattern, text) for pattern in self.none_of)
        )


class Filters(NamedTuple):
    """What to show. Empty fields filter nothing."""

    min_level: int | None = None
    #: Level names to hide (the level pane's toggles).
    hidden_levels: frozenset[str] = frozenset()
    loggers: tuple[str, ...] = ()
    exclude_loggers: tuple[str, ...] = ()
    #: Loggers hidden by name alone, not their descendants (the logger pane's partial toggles).
    exclude_logger_names: frozenset[str] = frozenset()
    pids: tuple[int, ...] = ()
    #: Process codes to hide (the PID pane's toggles; a process may have a name and no pid).
    hidden_processes: frozenset[int] = frozenset()
    #: Hosts kept (``--host``): a record's host is its process's (symbols.ProcessTable).
    hosts: tuple[str, ...] = ()
    #: Hosts hidden (the Host pane's toggles); "" is the records of no host (files, a local queue).
    hidden_hosts: frozenset[str] = frozenset()
    grep: str | None = None
    since: int | None = None
    until: int | None = None
    #: The text filters of lnav's kind: a record matching any filter-in (when one is on) and no filter-out.
    text_filters: tuple[TextFilter, ...] = ()

    @property
    def text_criteria(self) -> TextCriteria:
        """What the records' text must hold: ``grep``, and the text filters that are on."""
        enabled = [text_filter for text_filter in self.text_filters if text_filter.enabled]
        return TextCriteria(
            all_of=(self.grep,) if self.grep else (),
            any_of=tuple(text_filter.pattern for text_filter in enabled if text_filter.keep),
            none_of=tuple(text_filter.pattern for text_filter in enabled if not text_filter.keep),
        )

    @property
    def by_facet_only(self) -> bool:
        """Whether these filters keep records by their facet alone (level, logger, process, host): no text, no time."""
        return not self.text_criteria and self.since is None and self.until is None


def and_masks(first: np.ndarray | None, second: np.ndarray | None) -> np.ndarray | None:
    """Both masks (None stands for "every row")."""
    if first is None:
        return second
    if second is None:
        return first
    return first & second


def logger_matches(name: str, wanted: str) -> bool:
    """Whether logger ``name`` is ``wanted`` or one of its descendants (``root`` is everyone's)."""
    return wanted == "root" or name == wanted or name.startswith(wanted + ".")


def parse_level(text: str) -> int:
    """A level name (standard, conventional or ``Level N``) or a number."""
    number = level_number(text)
    if number is None:
        raise FilterError(f"unknown level {text!r}: use a name like WARNING or a number like 30")
    return number


def parse_time(text: str) -> int:
    """An ISO 8601 time as UTC milliseconds (the index's unit): one without an offset is in the zone times are shown in.

    That is the local zone, or UTC with ``--utc``: a time copied from the
    screen means the record shown with it.
    """
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise FilterError(f"invalid time {text!r}: use ISO 8601, like 2024-03-01T12:00:00") from None
    if moment.tzinfo is not None:
        return (moment - _EPOCH) // _MILLISECOND
    wall = (moment.replace(tzinfo=UTC) - _EPOCH) // _MILLISECOND
    return wall if shown_in_utc() else wall_to_utc(wall)


def check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise FilterError(f"invalid regex {pattern!r}: {error}") from None
    return pattern
