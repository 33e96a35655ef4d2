"""Which --grep patterns Python's re reads as Rust's regex (polars) does: the small --print path searches only those."""

from __future__ import annotations

import polars as pl
import pytest

from logview.core.regex_dialects import reads_alike, unicode_sensitive

LINES = ["plain ascii 42 words_here", "caf\u00e9 na\u00efve \u00b2 \u2009spaced", "sep\x1carated fields", "K is a kelvin sign"]


@pytest.mark.parametrize(
    ("pattern", "sensitive"),
    [
        ("connection reset", False),
        (r"job \d+ of [a-z]+", False),
        (r"^\[?ERROR\]? .*$", False),
        (r"(?:a|b)+c{2,3}", False),
        (r"(?P<word>x)y", False),
        (r"\w+ing", True),
        (r"\bword\b", True),
        (r"\s+", True),
        ("(?i)error", True),
        (r"\<word", None),
        (r"\b{start}word", None),
        ("[[:alpha:]]", None),
        ("[a-z&&[^x]]", None),
        ("[a-c--b]", None),
        ("(?x)a b", None),
        ("caf\u00e9", None),
    ],
)
def test_what_each_engine_reads_alike(pattern: str, sensitive: bool | None) -> None:
    assert unicode_sensitive(pattern) is sensitive


@pytest.mark.parametrize("pattern", [r"\w+", r"\s", r"\b\w", "(?i)k", r"\d+", "words?_here", "[^a-z ]+"])
def test_where_they_are_said_to_agree_they_do(pattern: str) -> None:
    """Checked against polars itself, on lines past ASCII and with a separator byte."""
    import re

    rust = pl.Series(LINES).str.contains(pattern).to_list()
    python = [re.search(pattern, line) is not None for line in LINES]
    ascii_lines = [line for line in LINES if line.isascii() and "\x1c" not in line]
    if reads_alike(pattern, LINES):
        assert python == rust
    assert reads_alike(pattern, ascii_lines)
    assert [re.search(pattern, line) is not None for line in ascii_lines] == pl.Series(ascii_lines).str.contains(pattern).to_list()
