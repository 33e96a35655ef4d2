"""README's table of keys tells every key of the key table (logview/ui/commands.py), so that the two cannot drift."""

from __future__ import annotations

import re

from logview.ui.commands import COMMANDS
from tests.command import ROOT


def test_every_key_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("| key | does |") :]
    table = table[: table.index("\n\n")]
    written = set(re.findall(r"`([^`]+)`", table))
    missing = [(command.title, key) for command in COMMANDS for key in command.shown.split() if key not in written]
    assert missing == []
