"""The status bar's account of the sources: a rotation set is one source, in its liveliest file's state."""

from __future__ import annotations

from logview.core.index.source_state import SourceState
from logview.core.index.status import Status
from logview.ui.widgets.status_bar import describe_sources


def sources(*named: tuple[str, str]) -> list[SourceState]:
    return [SourceState(id=number, name=name, status=Status[state.upper()]) for number, (name, state) in enumerate(named)]


def test_a_followed_file_and_its_rotated_generations_are_one_source() -> None:
    generations = [("/logs/app.log", "done")] * 249 + [("/logs/app.log.3.gz", "done"), ("/logs/app.log", "following")]
    assert describe_sources(sources(*generations)) == "app.log: 251 files (watched)"


def test_one_file_is_named_and_several_sets_are_counted_by_state() -> None:
    assert describe_sources(sources(("/logs/app.log", "done"))) == "app.log (read)"
    assert describe_sources(sources(("logging queue", "receiving"))) == "logging queue (receiving)"
    assert describe_sources(sources(("-", "done"))) == "standard input (read)"
    mixed = sources(
        ("/logs/rotated.log.2.gz", "done"),
        ("/logs/rotated.log.1.gz", "done"),
        ("/logs/rotated.log", "following"),
        ("/logs/worker-1.log", "following"),
        ("/logs/broken.log", "error"),
        ("/logs/old.log.2024-01-01", "done"),
    )
    assert describe_sources(mixed) == "4 sources: 2 watched, 1 error, 1 read"
