"""An input's text as lines and records in plain Python, as the bulk parser (lines.py, chunk_parser.py) splits it.

The first frame (newest.py) and the small --print path (small_print.py) read
their records before polars is loaded, or instead of it: their records must
begin on the lines where the index's begin, and their fields be read from
the same text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from logview.core.parse.format_set import FormatSet
from logview.core.parse.format_string import LogFormat

if TYPE_CHECKING:
    from logview.core.parse.detect import Format

__all__ = ["indexed_lines", "read_alike_in_any_chunk", "record_groups", "record_starts", "starts_record"]

#: The byte lines.py turns into a space before polars reads the lines (it separates nothing there).
_SEPARATOR = "\x1f"
#: Bytes whose reading by lines.py depends on the chunk they are in (a carriage return, the separator byte), or that
#: mean binary data (NUL).
_CHUNK_DEPENDENT = (b"\r", _SEPARATOR.encode(), b"\x00")
#: A byte-order mark: split_lines strips it from a chunk's first line only.
_BOM = b"\xef\xbb\xbf"


def indexed_lines(data: bytes) -> tuple[list[str], bool] | None:
    """The lines of a whole input's text as the index matches them, and whether the text holds invalid UTF-8.

    As lines.py reads them: split on ``\\n`` only; a ``\\r`` ending every
    line (Windows line ends) taken off; invalid UTF-8 replaced; the separator
    byte read as a space. None when the index's reading depends on where its
    chunks fall: a ``\\r`` that does not end a line, or Windows line ends
    beside invalid UTF-8 or a separator byte (lines.py then reads ``\\r`` as
    a space, but only in the chunks that hold them).
    """
    returns = data.count(b"\r")
    if returns and not returns == data.count(b"\r\n") == data.count(b"\n"):
        return None
    try:
        text = data.decode("utf-8")
        invalid = False
    except UnicodeDecodeError:
        if returns:
            return None
        text = data.decode("utf-8", "replace")
        invalid = True
    if _SEPARATOR in text:
        if returns:
            return None
        text = text.replace(_SEPARATOR, " ")
    if returns:
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines[-1]:
        lines.pop()  # after the last newline (or an empty text): no line
    return lines, invalid


def record_starts(lines: list[str], log_format: Format | None) -> list[int]:
    """The indices of the lines that start a record (the lines after each continue it, as a traceback does)."""
    if isinstance(log_format, LogFormat):
        match = log_format.compiled.match
        return [index for index, line in enumerate(lines) if match(line) is not None]
    if log_format is None:
        return list(range(len(lines)))
    starts = starts_record(log_format)
    return [index for index, line in enumerate(lines) if starts(line)]


def starts_record(log_format: Format | None) -> Callable[[str], bool]:
    """Whether a line starts a record of ``log_format``, one line at a time (record_starts reads a whole text)."""
    if isinstance(log_format, LogFormat):
        match = log_format.compiled.match
        return lambda line: match(line) is not None
    if isinstance(log_format, FormatSet):
        matches = [member.compiled.match for member in log_format.formats]
        return lambda line: any(match(line) is not None for match in matches)
    if log_format is not None:
        return lambda line: (stripped := line.strip()).startswith("{") and stripped.endswith("}")
    return lambda line: True


def record_groups(lines: list[str], log_format: Format | None, at_start: bool = True) -> list[list[str]]:
    """The lines of each record; unless ``at_start`` (a piece from an input's middle), lines before the first record's are left out.

    At an input's start, lines before its first record's first line are a
    record of their own, as the index keeps them.
    """
    starts = record_starts(lines, log_format)
    if at_start and lines and (not starts or starts[0] != 0):
        starts.insert(0, 0)
    return [lines[start:stop] for start, stop in zip(starts, [*starts[1:], len(lines)][: len(starts)], strict=True)]


def read_alike_in_any_chunk(chunk: bytes | bytearray, end: int | None = None) -> bool:
    """Whether ``chunk[:end]`` is read by lines.py as it would be in any other chunk: no carriage return, separator
    byte or NUL, and valid UTF-8 without a byte-order mark. The paths that read a few records of a file in isolation
    (grep_first.py, sparse_print.py) read only such text.
    """
    size = len(chunk) if end is None else end
    if any(chunk.find(byte, 0, size) >= 0 for byte in _CHUNK_DEPENDENT):
        return False
    if chunk.isascii():  # of the whole buffer: a reused one's bytes past ``end`` only make this fast test fail
        return True
    if chunk.find(_BOM, 0, size) >= 0:
        return False
    try:
        str(memoryview(chunk)[:size], "utf-8")
    except UnicodeDecodeError:
        return False
    return True
