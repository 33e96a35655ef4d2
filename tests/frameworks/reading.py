"""What the frameworks' tests share: logview's reading of a file, and times compared as moments."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from subprocess import CompletedProcess

__all__ = ["moment", "printed_records"]


def printed_records(logview: Callable[..., CompletedProcess[bytes]], *paths: Path, options: tuple[str, ...] = ()) -> list[dict]:
    """Every record ``logview --print --output jsonl`` gives for ``paths``, as objects; it must exit cleanly and say nothing."""
    result = logview("--print", "--output", "jsonl", *options, *map(str, paths))
    assert result.returncode == 0 and not result.stderr, result.stderr.decode()
    return [json.loads(line) for line in result.stdout.splitlines()]


def moment(time: str | None) -> float:
    """A printed time as seconds since the epoch: with its offset if it has one, else as UTC (the index's own time)."""
    assert time is not None
    parsed = datetime.fromisoformat(time)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()
