"""``logview --help`` as a user reads it: what each option does, in the real command's output."""

from __future__ import annotations


def _help_text(logview) -> str:
    result = logview("--help")
    assert result.returncode == 0, result.stderr
    return " ".join(result.stdout.decode().split())  # argparse wraps lines at the terminal's width


def test_print_help_says_it_goes_on_with_follow_and_listen(logview) -> None:
    """--print exits once the records are written, but not with -f or --listen: its help said "and exit" for both."""
    text = _help_text(logview)
    start = text.index("--print write")
    said = text[start : text.index("--output {text,jsonl}", start)]
    assert "and exit" not in said
    assert "with -f or --listen, go on printing until Ctrl+C" in said
