"""Times typed into the viewer's t prompt."""

from __future__ import annotations

import pytest

from logview.core.filters import FilterError, parse_time
from logview.core.user_time import parse_moment

CURSOR = parse_time("2024-03-01T12:00:00")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("-5m", "2024-03-01T11:55:00"),
        ("+1h", "2024-03-01T13:00:00"),
        ("-2d", "2024-02-28T12:00:00"),
        ("+90s", "2024-03-01T12:01:30"),
        ("+1.5h", "2024-03-01T13:30:00"),
        ("- 1w", "2024-02-23T12:00:00"),
        ("08:15", "2024-03-01T08:15:00"),
        ("08:15:30.250", "2024-03-01T08:15:30.250"),
        ("2023-12-31T23:59:59", "2023-12-31T23:59:59"),
        ("2023-12-31 23:59", "2023-12-31T23:59:00"),
    ],
)
def test_relative_times_count_from_the_cursor(typed: str, expected: str) -> None:
    assert parse_moment(typed, CURSOR) == parse_time(expected)


@pytest.mark.parametrize("typed", ["yesterday", "-5x", "+", "25:99", "2024-13-01"])
def test_a_time_that_means_nothing_is_refused_with_the_forms_that_work(typed: str) -> None:
    with pytest.raises(FilterError, match="invalid time|counts from"):
        parse_moment(typed, CURSOR)


def test_a_relative_time_needs_a_timed_cursor() -> None:
    with pytest.raises(FilterError, match="has no time"):
        parse_moment("-5m", None)
