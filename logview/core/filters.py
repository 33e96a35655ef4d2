"""Filters compile to boolean masks over the timeline's columns.

One object for the command line and the app's panes: the level, logger and
PID criteria become one table over the facets (the distinct level, logger,
process triples), looked up by the facet column, so a filter over 10 million
records is one numpy pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from logview.core.index.symbols import SymbolTable
from logview.core.index.timeline import Timeline
from logview.core.record import level_number


class FilterError(ValueError):
    """A filter value that cannot be understood (bad level, time or regex)."""


@dataclass(frozen=True)
class TextFilter:
    """A filter-in (``keep``) or filter-out regex, as lnav's; one switched off stays listed and filters nothing."""

    pattern: str
    keep: bool
    enabled: bool = True


@dataclass(frozen=True)
class TextCriteria:
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


@dataclass(frozen=True)
class Filters:
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
        """Whether these filters keep records by their facet alone (level, logger, process): no text, no time."""
        return not self.text_criteria and self.since is None and self.until is None

    def column_mask(self, timeline: Timeline) -> np.ndarray | None:
        """The mask of the column criteria (everything but text), or None for "all"."""
        # The column before the facet table: codes appended in between are then all in the table.
        facets = timeline.facet.values
        return and_masks(self.facet_mask(timeline, facets), self.time_mask(timeline, len(facets)))

    def facet_mask(self, timeline: Timeline, facets: np.ndarray) -> np.ndarray | None:
        """The level, logger and PID criteria over ``facets`` (a snapshot of the facet column), or None for "all"."""
        allowed = self.allowed_facets(timeline)
        return None if allowed is None else code_mask(facets, allowed)

    def time_mask(self, timeline: Timeline, rows: int) -> np.ndarray | None:
        """The ``since``/``until`` criteria over the first ``rows`` rows, or None for "all"."""
        if self.since is None and self.until is None:
            return None
        keys = timeline.sort_keys()[:rows]
        mask: np.ndarray | None = None
        if self.since is not None:
            mask = keys >= self.since
        if self.until is not None:
            mask = and_masks(mask, keys <= self.until)
        return mask

    def allowed_facets(self, timeline: Timeline) -> np.ndarray | None:
        """Which facets (level, logger, process triples) the level, logger and PID criteria keep.

        Computed over the few hundred facets rather than the records; None
        when these criteria keep everything.
        """
        symbols = timeline.symbols
        level_of, logger_of, process_of = symbols.facets.arrays()
        allowed: np.ndarray | None = None

        def narrow(by_code: np.ndarray, facet_codes: np.ndarray) -> None:
            nonlocal allowed
            kept = by_code[facet_codes]
            allowed = kept if allowed is None else allowed & kept

        if self.min_level is not None or self.hidden_levels:
            levels = np.ones(len(symbols.levels), dtype=bool)
            for code, name in enumerate(symbols.levels.values):
                number = symbols.levels.numbers[code]
                if self.min_level is not None and (number is None or number < self.min_level):
                    levels[code] = False
                if name is not None and name in self.hidden_levels:
                    levels[code] = False
            narrow(levels, level_of)
        if self.loggers:
            narrow(_logger_table(symbols.loggers, self.loggers), logger_of)
        if self.exclude_loggers:
            narrow(~_logger_table(symbols.loggers, self.exclude_loggers), logger_of)
        if self.exclude_logger_names:
            names = np.ones(len(symbols.loggers), dtype=bool)
            codes = [symbols.loggers.lookup(name) for name in self.exclude_logger_names]
            names[[code for code in codes if code is not None]] = False
            narrow(names, logger_of)
        if self.pids:
            processes = np.zeros(len(symbols.processes), dtype=bool)
            processes[symbols.processes.codes_for_pids(self.pids)] = True
            narrow(processes, process_of)
        if self.hidden_processes:
            processes = np.ones(len(symbols.processes), dtype=bool)
            processes[[code for code in self.hidden_processes if code < len(processes)]] = False
            narrow(processes, process_of)
        return allowed


#: Up to this many codes, a mask is built from comparisons rather than a table lookup.
FEW_CODES = 8
#: Rows looked up at once: the lookup's int64 indices for a block stay in cache.
LOOKUP_BLOCK = 1 << 18


def code_mask(codes: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Which rows hold a code whose entry in ``allowed`` is true.

    A table lookup (``allowed[codes]``) first widens every code to an int64
    index; a few equality tests on the narrow column are several times faster,
    so they are used whenever few codes are allowed, or few are not. The
    lookup itself runs in blocks, so the widened indices never exist for the
    whole column at once (10M rows: 12 ms instead of 27 ms, and no 80 MB
    temporary).
    """
    # Python ints: a numpy int64 scalar would widen the whole column for each comparison.
    wanted = np.flatnonzero(allowed).tolist()
    unwanted = np.flatnonzero(~allowed).tolist()
    if len(wanted) <= FEW_CODES:
        mask = np.zeros(len(codes), dtype=bool)
        for code in wanted:
            mask |= codes == code
        return mask
    if len(unwanted) <= FEW_CODES:
        mask = np.ones(len(codes), dtype=bool)
        for code in unwanted:
            mask &= codes != code
        return mask
    mask = np.empty(len(codes), dtype=bool)
    for start in range(0, len(codes), LOOKUP_BLOCK):
        np.take(allowed, codes[start : start + LOOKUP_BLOCK], out=mask[start : start + LOOKUP_BLOCK])
    return mask


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


def _logger_table(loggers: SymbolTable, wanted: tuple[str, ...]) -> np.ndarray:
    table = np.zeros(len(loggers), dtype=bool)
    for code, name in enumerate(loggers.values):
        if name is not None and any(logger_matches(name, item) for item in wanted):
            table[code] = True
    return table


def parse_level(text: str) -> int:
    """A level name (standard, conventional or ``Level N``) or a number."""
    number = level_number(text)
    if number is None:
        raise FilterError(f"unknown level {text!r}: use a name like WARNING or a number like 30")
    return number


def parse_time(text: str) -> int:
    """An ISO 8601 time as milliseconds of wall-clock time (the index's unit)."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise FilterError(f"invalid time {text!r}: use ISO 8601, like 2024-03-01T12:00:00") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return int(moment.replace(tzinfo=UTC).timestamp() * 1000)


def check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise FilterError(f"invalid regex {pattern!r}: {error}") from None
    return pattern
