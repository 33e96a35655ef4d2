"""Filters compile to boolean masks over the timeline's columns.

One object for the command line and the app's panes: each criterion becomes a
lookup table over a symbol table (levels, loggers, processes) indexed by the
code column, so a filter over 10 million records is a few numpy passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from logview.core.index.symbols import SymbolTable
from logview.core.index.timeline import Timeline
from logview.core.record import level_number


class FilterError(ValueError):
    """A filter value that cannot be understood (bad level, time or regex)."""


@dataclass(frozen=True)
class Filters:
    """What to show. Empty fields filter nothing."""

    min_level: int | None = None
    #: Level names to hide (the level pane's toggles).
    hidden_levels: frozenset[str] = frozenset()
    loggers: tuple[str, ...] = ()
    exclude_loggers: tuple[str, ...] = ()
    pids: tuple[int, ...] = ()
    grep: str | None = None
    since: int | None = None
    until: int | None = None
    #: Extra regexes: show only records matching all ``include``, none of ``exclude``.
    include_text: tuple[str, ...] = ()
    exclude_text: tuple[str, ...] = ()

    @property
    def text_patterns(self) -> tuple[tuple[str, bool], ...]:
        """(regex, keep-when-matching) pairs that need the records' text."""
        patterns = [(pattern, True) for pattern in self.include_text]
        if self.grep:
            patterns.insert(0, (self.grep, True))
        patterns.extend((pattern, False) for pattern in self.exclude_text)
        return tuple(patterns)

    def column_mask(self, timeline: Timeline) -> np.ndarray | None:
        """The mask of the column criteria (everything but text), or None for "all"."""
        symbols = timeline.symbols
        mask: np.ndarray | None = None

        def narrow(selected: np.ndarray) -> None:
            nonlocal mask
            mask = selected if mask is None else (mask & selected)

        if self.min_level is not None or self.hidden_levels:
            allowed = np.ones(len(symbols.levels), dtype=bool)
            for code, name in enumerate(symbols.levels.values):
                number = symbols.levels.numbers[code]
                if self.min_level is not None and (number is None or number < self.min_level):
                    allowed[code] = False
                if name is not None and name in self.hidden_levels:
                    allowed[code] = False
            narrow(code_mask(timeline.level.values, allowed))
        if self.loggers:
            narrow(code_mask(timeline.logger.values, _logger_table(symbols.loggers, self.loggers)))
        if self.exclude_loggers:
            narrow(code_mask(timeline.logger.values, ~_logger_table(symbols.loggers, self.exclude_loggers)))
        if self.pids:
            allowed = np.zeros(len(symbols.processes), dtype=bool)
            allowed[symbols.processes.codes_for_pids(self.pids)] = True
            narrow(code_mask(timeline.process.values, allowed))
        if self.since is not None or self.until is not None:
            keys = timeline.sort_keys()
            if self.since is not None:
                narrow(keys >= self.since)
            if self.until is not None:
                narrow(keys <= self.until)
        return mask


#: Up to this many codes, a mask is built from comparisons rather than a table lookup.
FEW_CODES = 8


def code_mask(codes: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Which rows hold a code whose entry in ``allowed`` is true.

    A table lookup (``allowed[codes]``) first widens every code to an int64
    index; a few equality tests on the narrow column are several times faster,
    so they are used whenever few codes are allowed, or few are not.
    """
    wanted = np.flatnonzero(allowed)
    unwanted = np.flatnonzero(~allowed)
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
    return allowed[codes]


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
