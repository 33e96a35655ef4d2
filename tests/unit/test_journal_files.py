"""JournalFiles: the journal files below the directories it is given, and only there."""

from __future__ import annotations

from pathlib import Path

import pytest

from logview.core.sources.journal_files import JournalFiles


def test_the_journals_below_the_directories_given_are_present_and_nothing_else(tmp_path: Path) -> None:
    machine = tmp_path / "journal" / "0123abcd"
    machine.mkdir(parents=True)
    for name in ("system.journal", "system@0001-0002.journal~", "notes.txt"):
        (machine / name).write_bytes(b"")
    (tmp_path / "elsewhere.journal").write_bytes(b"")
    assert JournalFiles([str(tmp_path / "journal")]).present() == [
        str(machine / "system.journal"),
        str(machine / "system@0001-0002.journal~"),
    ]


def test_a_directory_given_as_a_name_rather_than_a_list_is_refused() -> None:
    # A str is a sequence of names, one a character: "/tmp/x" would have had every directory from / walked.
    with pytest.raises(TypeError):
        JournalFiles("/var/log/journal")
    with pytest.raises(TypeError):
        JournalFiles(files="/var/log/journal/system.journal")
