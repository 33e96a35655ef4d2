"""Separators and padding between inferred fields: which spaces are the format's, which a field's width.

logging pads ``%(levelname)-8s`` on the right and ``%(process)6d`` on the
left, so the spaces between two fields vary from line to line. Here the
literal between two columns (the same on every line once its spaces are set
aside) is told from the padding, and the padding is given to the field it
aligns: a width W is the one that makes every shorter value fill W exactly.
"""

from __future__ import annotations

from typing import NamedTuple

_CLOSING = ")]}>,:;"
_OPENING = "([{<"


class Separator(NamedTuple):
    """The literal between two fields, and the spaces each line has beyond it: a field's padding.

    When the literal is only spaces, ``lead_extra`` is ``trail_extra``: the
    padding may belong to the field on either side.
    """

    literal: str
    lead_extra: list[int]
    trail_extra: list[int]


def field_separators(separators: list[str], at_start: bool) -> list[Separator]:
    """The readings of the literal between two fields (the same on every line but for padding), the likeliest first."""
    core = separators[0].strip(" ")
    leads = [len(text) - len(text.lstrip(" ")) for text in separators]
    if not core:
        # Only spaces: the format's own, and padding of the field on either side.
        readings = []
        for spaces in _own_spaces(leads, hugs=at_start):
            extra = [lead - spaces for lead in leads]
            readings.append(Separator(" " * spaces, extra, extra))
        return readings
    trails = [len(text) - len(text.rstrip(" ")) for text in separators]
    return [
        Separator(" " * lead + core + " " * trail, [value - lead for value in leads], [value - trail for value in trails])
        for lead in _own_spaces(leads, hugs=at_start or core[0] in _CLOSING)
        for trail in _own_spaces(trails, hugs=core[-1] in _OPENING)
    ]


def _own_spaces(counts: list[int], hugs: bool) -> list[int]:
    """How many of the spaces each line has at one place may be the format's, the likeliest first: all when every line has as many.

    When they vary, a field is padded there, and the format's own are
    taken to be one space, or none next to a bracket or colon that hugs the
    field (``[%(levelname)-8s]``), the way people write formats; but one
    when every line has a space there (``%(name)-15s :: ``).
    """
    if len(set(counts)) == 1:
        return [counts[0]]
    if hugs:
        return [0, 1] if min(counts) >= 1 else [0]
    return [min(1, *counts)]


def message_separators(rests: list[str], at_start: bool) -> list[Separator]:
    """The readings of the literal before the message, the likeliest first: what every line has there, up to the message's own first character.

    A message may start with punctuation of its own; an opening bracket is
    left to it, as it is more often the message's than the format's.
    """
    separators = [text[: len(text) - len(text.lstrip(" "))] + _punctuation(text.lstrip(" ")) for text in rests]
    common = separators[0].lstrip(" ")
    for text in separators[1:]:
        text = text.lstrip(" ")
        while not text.startswith(common):
            common = common[:-1]
    for at, char in enumerate(common):
        if char in _OPENING:
            common = common[:at]
            break
    leads = [len(text) - len(text.lstrip(" ")) for text in separators]
    return [
        Separator(" " * lead + common, [value - lead for value in leads], [0] * len(rests))
        for lead in _own_spaces(leads, hugs=at_start or (bool(common) and common[0] in _CLOSING))
    ]


def _punctuation(text: str) -> str:
    """The separator characters a text starts with."""
    end = 0
    while end < len(text) and not (text[end].isalnum() or text[end] == "_"):
        end += 1
    return text[:end]


def padding(before: list[int] | None, after: list[int] | None, separator: Separator, numeric_after: bool = False) -> tuple[int, int] | None:
    """The widths of the fields before and after ``separator`` (0: not padded), from their values' lengths; None when no widths explain the spaces.

    Extra spaces after a separator's first part pad the field before it
    (left-aligned, ``%(levelname)-8s``); extra spaces before its last part
    pad the field after it (right-aligned, ``%(process)6d``).
    """
    if separator.lead_extra is separator.trail_extra:
        return _split_padding(before, after, separator.lead_extra, numeric_after)
    left, right = _width(before, separator.lead_extra), _width(after, separator.trail_extra)
    if left is None or right is None:
        return None
    return left, right


def _split_padding(before: list[int] | None, after: list[int] | None, extra: list[int], numeric_after: bool) -> tuple[int, int] | None:
    """Spaces between two fields, as the padding of the one before, of the one after, or of both (``%(name)-20s %(levelname)8s``).

    Numbers are taken as right-aligned first, as %d aligns them, the others as left-aligned.
    """
    if not any(extra):
        return 0, 0
    left_only = (_width(before, extra), 0)
    right_only = (0, _width(after, extra))
    for left, right in (right_only, left_only) if numeric_after else (left_only, right_only):
        if left is not None and right is not None:
            return left, right
    if before is None or after is None:
        return None
    for width in range(2, max(after) + max(extra) + 1):
        left = _width(before, [spaces - max(0, width - length) for spaces, length in zip(extra, after, strict=True)])
        if left:
            return left, width
    return None


def _width(lengths: list[int] | None, extra: list[int]) -> int | None:
    """The width W values of these lengths were padded to with these extra spaces; 0 when none were; None when no W fits."""
    if lengths is None:
        return None if any(extra) else 0
    if any(value < 0 for value in extra):
        return None
    padded = {length + spaces for length, spaces in zip(lengths, extra, strict=True) if spaces}
    if not padded:
        return 0
    if len(padded) > 1:
        return None
    width = padded.pop()
    return width if all(length >= width for length, spaces in zip(lengths, extra, strict=True) if not spaces) else None
