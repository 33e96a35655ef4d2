"""A batch of queued records' fields, made usable whatever their types.

An in-process logging queue can hold anything a program put there: a list as
a logger's name, a process id as a string, ``created`` as nan, a logger name
with a newline (which would split its record's line in the queue's spool).
One such record stopped the whole queue source. Each column of a batch is
checked at C speed (the types it holds, one ``set(map(type, …))``; newlines
and tabs, one search of the column joined); only a column that holds an
odd value is coerced, value by value, so that well-formed batches cost
nothing more. An odd value is shown as its text rather than dropped.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["Fields", "text_of", "usable_fields"]

#: Seconds since the epoch beyond which ``created`` is no time (gmtime fails past the year 9999 or so).
_MAX_SECONDS = 2.5e11
#: Integers a level number or a process id can be (the index keeps them as 32-bit numbers where it can).
_MIN_INT, _MAX_INT = -(2**31), 2**31 - 1

#: (created, levelno, levelname, name, process, processName, threadName), one tuple per field.
Fields = tuple[np.ndarray, Sequence[int], Sequence[str], Sequence[str], Sequence[int | None], Sequence[str | None], Sequence[str | None]]


def usable_fields(
    created: Sequence[Any],
    levelno: Sequence[Any],
    levelname: Sequence[Any],
    name: Sequence[Any],
    process: Sequence[Any],
    process_name: Sequence[Any],
    thread_name: Sequence[Any],
) -> Fields:
    """The fields coerced where they are odd: ``created`` as float seconds (the time now where it is no time), numbers as ints, names as one-line text."""
    return (
        _seconds(created),
        levelno if _only(levelno, int) else [_int(value, 0) or 0 for value in levelno],
        _one_line(levelname if _only(levelname, str) else [text_of(value) for value in levelname]),
        _one_line(name if _only(name, str) else [text_of(value) for value in name]),
        process if _only(process, int, type(None)) else [_int(value, None) for value in process],
        _one_line(process_name if _only(process_name, str, type(None)) else [_text_or_none(value) for value in process_name]),
        _one_line(thread_name if _only(thread_name, str, type(None)) else [_text_or_none(value) for value in thread_name]),
    )


def _only(column: Sequence[Any], *types: type) -> bool:
    return set(map(type, column)).issubset(types)


def _seconds(created: Sequence[Any]) -> np.ndarray:
    try:
        moments = np.array(created, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        moments = None
    if moments is None or moments.shape != (len(created),):  # a value numpy could not read, or lists of numbers
        moments = np.array([_float(value) for value in created], dtype=np.float64)
    odd = ~(np.abs(moments) < _MAX_SECONDS)  # nan and infinities too
    if bool(odd.any()):
        moments[odd] = time.time()
    return moments


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return float("nan")


def _int(value: Any, default: int | None) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return number if _MIN_INT <= number <= _MAX_INT else default


def text_of(value: Any) -> str:
    """``str(value)``, or the object's plain repr when its ``__str__`` fails."""
    try:
        return str(value)
    except Exception:  # noqa: BLE001 - the program's object, whatever it raises
        return object.__repr__(value)


def _text_or_none(value: Any) -> str | None:
    return None if value is None else text_of(value)


def _one_line(column: Sequence[Any]) -> Sequence[Any]:
    """Names with a newline or a tab (the spool's line and field separators) with spaces instead."""
    joined = "".join(filter(None, column))
    if "\n" not in joined and "\t" not in joined:
        return column
    return [value.replace("\n", " ").replace("\t", " ") if value else value for value in column]
