"""Regex escaping that both CPython's ``re`` and Rust's ``regex`` accept."""

from __future__ import annotations

_META = set("\\.+*?()|[]{}^$#&-~")


def escape(text: str) -> str:
    """Escape the characters special to either engine, and only those.

    ``re.escape`` also escapes spaces and other punctuation, which the Rust
    engine behind polars rejects as unknown escapes.
    """
    return "".join("\\" + char if char in _META else char for char in text)
