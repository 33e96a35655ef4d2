"""The log pane draws only the start of a long row: what it keeps must still fill the cells shown."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.text import Text

from logview.ui.built_lines import covering


@pytest.mark.parametrize("character", ["x", "界", "e\u0301", "\u200b"])
def test_the_start_kept_fills_the_cells_or_is_the_whole_row(character: str) -> None:
    text = Text(character * 5000 + "end")
    kept = covering(text, 200)
    assert text.plain.startswith(kept.plain)
    assert cell_len(kept.plain) >= 200 or kept.plain == text.plain


def test_a_short_row_is_kept_whole() -> None:
    text = Text("short", style="bold")
    assert covering(text, 200) is text
