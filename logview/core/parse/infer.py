"""A logging format string inferred from a file's lines, for the formats no catalogue lists.

The catalogue holds the orders people usually write; a program with its
fields in another order (``%(asctime)s %(levelname)s [%(name)s] %(process)d
%(message)s``) is read by the nearest entry with the rest left in the
message, its PID lost to the filters and panes. Here the records' first
lines are cut into tokens (parse/infer_tokens.py), and each column that
holds the same kind of field on every line, behind the same separator,
becomes that field, padded to the width its values are aligned to; the
first column that does not is where the message starts. The result is an
ordinary format string, compiled and confirmed like any other.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from logview.core.parse.format_string import TOKEN_FIELDS, FormatError, LogFormat, compile_format, format_pieces
from logview.core.parse.infer_layout import Separator, field_separators, message_separators, padding
from logview.core.parse.infer_tokens import LOGGER_NAME, PID_MAX, PROCESS_OR_THREAD_NAME, Token, day_first, next_token
from logview.core.record import level_number

__all__ = ["infer_format", "leaves_fields_unread"]

#: The first lines the columns are read from: enough to see every field vary, few enough to stay cheap.
SHAPE_LINES = 40
#: The share of first-line look-alikes a format may leave unread (a message's own line that starts with a digit).
MISSED = 0.05
#: The messages whose start the fit check looks at: enough to say "every message", and not all 400 (a token each).
MESSAGES_LOOKED_AT = 100
#: A format's fields before the message, at most.
MAX_FIELDS = 12
_LEVELNOS = frozenset(range(0, 65, 5))
_WORDY = re.compile("[A-Za-z0-9]")
#: The fields a token of each kind could be (parse/infer_tokens.py names the kinds).
_FIELDS_OF_KIND = {
    "time": ("asctime",),
    "epoch": ("created",),
    "upper": ("levelname",),
    "level": ("levelname",),
    "proc": ("processName",),
    "thread": ("threadName",),
    "int": ("relativeCreated", "levelno", "process", "thread"),
    "num": ("relativeCreated",),
    "word": ("name", "filename", "module", "funcName"),
    "path": ("pathname",),
}
_WORDS = frozenset({"word", "upper", "level"})
#: The fields a line number follows, after a colon.
_CODE_NAMES = frozenset({"name", "filename", "module", "funcName", "pathname"})


class _Field(NamedTuple):
    """One inferred field: its name, conversion and the padding logging gave it."""

    name: str
    conversion: str = "s"
    width: int = 0
    align: str = ""

    def text(self) -> str:
        if self.name == "msecs":
            return "%(msecs)03d"
        flag = "-" if self.align == "<" else ""
        return f"%({self.name}){flag}{self.width or ''}{self.conversion}"


def infer_format(lines: Sequence[str]) -> LogFormat | None:
    """A format that reads every first line of these lines with more fields than a message, or None.

    The columns are read from the first few records; when the format they
    give misses some later first line (a longer level name that shows a
    field's width), they are read again with those lines too; when that
    fails and the lines it misses all follow those it reads, the format
    changed there, and it is the format of the lines before.
    """
    heads = _first_lines(lines)
    if len(heads) < 2:
        return None
    shape = heads[:SHAPE_LINES]
    inferred = _inferred(shape)
    if inferred is None:
        return None
    read = [inferred.compiled.match(line) is not None for line in heads[SHAPE_LINES:]]
    missed = [line for line, done in zip(heads[SHAPE_LINES:], read, strict=True) if not done]
    if missed:
        again = _inferred(shape + missed[:SHAPE_LINES])
        if again is not None and sum(again.compiled.match(line) is None for line in missed) <= len(heads) * MISSED:
            return again
        # The lines it misses come after those it reads, but for a few look-alikes: the format changed there (a
        # program upgraded), and detection finds the later format among the others (detect.py's with_other_formats).
        last_read = len(read) - read[::-1].index(True) if any(read) else 0
        return inferred if read[:last_read].count(False) <= len(heads) * MISSED else None
    return inferred


def _inferred(heads: list[str], columns: int = MAX_FIELDS) -> LogFormat | None:
    """The format whose fields are the columns these first lines share (``columns`` of them at most), if it reads all of them.

    Lines whose first token is not of the kind most have (a message's own
    line that starts with a number) are left out first. A logger name just
    before the message, behind a plain space and never dotted, cannot be
    told from the message's first word (a few messages repeated): it is
    left to the message.
    """
    starts = [next_token(line, 0) for line in heads]
    keys = [(_primary(token), token.datefmt, token.msecs, token.separator.strip(" ")) if token else None for token in starts]
    common, _ = Counter(keys).most_common(1)[0]
    heads = [line for line, key in zip(heads, keys, strict=True) if key == common]
    pieces: list[str | _Field] = []
    cursors = [0] * len(heads)
    previous: list[Token] | None = None
    used: set[str] = set()
    datefmt: str | None = None
    for column in range(columns + 1):
        tokens = [next_token(line, at) for line, at in zip(heads, cursors, strict=True)]
        field = None
        if column < columns and all(token is not None for token in tokens):
            known = [token for token in tokens if token is not None]
            if len({token.separator.strip(" ") for token in known}) == 1:
                last_field = next((piece.name for piece in reversed(pieces) if isinstance(piece, _Field)), None)
                field = _code_location(known, heads, used, last_field)
                if field is None:
                    field, datefmt = _field(known, used, column, datefmt)
        if field is None:
            separators = message_separators([line[at:] for line, at in zip(heads, cursors, strict=True)], column == 0)
            last = pieces[-1] if pieces else None
            # A dotted name, or logging's own root or __main__, is a logger's: another word may be the message's first.
            bare = (
                previous is not None and not separators[0].literal.strip() and not any(_LOGGERS_OWN.match(token.text) for token in previous)
            )
            if isinstance(last, _Field) and last.name == "name" and bare:
                return _inferred(heads, column - 1)
            found = _padded_by(separators, _lengths(previous), None)
            if found is None:
                return None
            separator, widths = found
            _pad_last(pieces, widths[0])
            pieces += [separator.literal, _Field("message")]
            break
        known = [token for token in tokens if token is not None]
        separators = field_separators([token.separator for token in known], column == 0)
        found = _padded_by(separators, _lengths(previous), _lengths(known), numeric_after=all("num" in token.kinds for token in known))
        if found is None:
            return None
        separator, widths = found
        _pad_last(pieces, widths[0])
        pieces += [separator.literal, field._replace(width=widths[1], align=">") if widths[1] else field]
        if field.name == "asctime" and known[0].msecs:
            pieces += [known[0].msecs, _Field("msecs", "d", 3, ">")]
        used.add(field.name)
        cursors = [token.end for token in known]
        previous = known
    if len(used) < 2 and not used & {"levelname", "levelno"}:
        return None  # one field and a message: the catalogue's simple formats say as much (but a level, maybe bracketed)
    return _compiled(pieces, datefmt, used, heads)


def _padded_by(
    separators: list[Separator], before: list[int] | None, after: list[int] | None, numeric_after: bool = False
) -> tuple[Separator, tuple[int, int]] | None:
    """The first reading of a separator whose spaces the widths of the fields beside it explain, and those widths."""
    for separator in separators:
        widths = padding(before, after, separator, numeric_after)
        if widths is not None:
            return separator, widths
    return None


def leaves_fields_unread(log_format: LogFormat, lines: Sequence[str]) -> bool:
    """Whether ``log_format`` misses lines that look like its first lines, or leaves a field at the start of every message.

    The catalogue's best reading is kept when this is False, and inference
    never runs: most files cost one more match per line, and the first
    token of a message or two. A line "looks like a first line" when it
    starts with the same shape of characters as one the format read (a
    traceback's lines do not). A field left in the messages is one inference
    would read there: the same kind of token behind the same separator on
    every line (a pid, a [logger], a level).
    """
    pattern = log_format.compiled
    found = [pattern.match(line) for line in lines]
    read = [match for match in found if match is not None]
    tokens = [name for name in TOKEN_FIELDS if name in pattern.groupindex]
    if tokens and any(not _WORDY.search(value or "x") for name in tokens for value in {match.group(name) for match in read}):
        return True  # a "logger" of punctuation: the format took a separator ("---", "|") for a name
    if "name" in tokens and read and all(PROCESS_OR_THREAD_NAME.fullmatch((match.group("name") or "").strip()) for match in read):
        return True  # a "logger" named MainProcess or Thread-2 on every line: a process or thread name
    if read and "levelname" not in pattern.groupindex and "levelno" not in pattern.groupindex:
        for name in ("name", "processName", "threadName"):
            if name in pattern.groupindex and all(_level_like(match.group(name)) for match in read):
                return True  # a level name or number in a name's place on every line: the format that wrote it has a level
    if len(read) < len(lines):
        shapes = {_shape(match.string) for match in read}
        if any(match is None and _shape(line) in shapes for line, match in zip(lines, found, strict=True)):
            return True
    messages = [match.group("message") or "" for match in read[:MESSAGES_LOOKED_AT]] if "message" in pattern.groupindex else []
    if len(messages) > 1:
        separator = _SEPARATOR.match(messages[0])
        if separator is not None and all(message.startswith(separator[0]) for message in messages):
            return True  # every message starts with the same " - " or "| ": a separator the format lacks
        if all(message.startswith(" ") for message in messages):
            return True  # every message starts with spaces: the field before it was padded, and the format does not say so
    used = {name for name in log_format.names if name != "message"}
    return _starts_with_field(messages, used) or _starts_with_a_listed_word(messages, _before_message(log_format), used)


def _level_like(value: str | None) -> bool:
    """Whether a name field's value is a level's name (``DEBUG``) or a number (``10``): no thread, process or logger is named so."""
    text = (value or "").strip(" -|:;[]()<>")  # a separator the name took in: "- 20"
    return text.isdigit() or (text.isupper() and level_number(text) is not None)


_LOGGERS_OWN = re.compile(r".*\.|root$|__main__$")
#: Punctuation then a space at the start of a message: a separator, when every message starts with it.
_SEPARATOR = re.compile(r"^[-|:;>=~*#]+ ")


def _lengths(tokens: list[Token] | None) -> list[int] | None:
    return [len(token.text) for token in tokens] if tokens is not None else None


def _pad_last(pieces: list[str | _Field], width: int) -> None:
    """Give the last field its width, left-aligned, when the spaces after it are its padding."""
    last = pieces[-1] if pieces else None
    if width and isinstance(last, _Field):
        pieces[-1] = last._replace(width=width, align="<")


def _starts_with_field(messages: list[str], used: set[str]) -> bool:
    """Whether every message starts with a field inference would read, one the format lacks.

    Most files end this at the first message or two: their first words are
    of no kind that could be a field the format lacks, or too many distinct.
    """
    tokens: list[Token] = []
    texts: set[str] = set()
    kinds: frozenset[str] | None = None
    for message in messages:
        token = next_token(message, 0, dates=False)
        if token is None or (tokens and token.separator.strip(" ") != tokens[0].separator.strip(" ")):
            return False
        kinds = token.kinds if kinds is None else kinds & token.kinds
        if not {field for kind in kinds for field in _FIELDS_OF_KIND.get(kind, ())} - used:
            return False
        texts.add(token.text)
        if kinds <= _WORDS and len(texts) > max(8, len(messages) // 4):
            return False  # the first words of messages, not a logger's names
        tokens.append(token)
    return bool(tokens) and (_field(tokens, set(used), 1, None)[0] is not None or _code_location(tokens, messages, used, None) is not None)


def _starts_with_a_listed_word(messages: list[str], separator: str, used: set[str]) -> bool:
    """Whether every message starts with one of a few words and the separator the format puts before the message.

    ``- app.db - INFO - gen - message``: the format lists its fields between
    `` - ``, and the module the catalogue's format lacks is one more of them.
    """
    if not separator.strip() or "module" in used or len(messages) < 2:
        return False
    words: set[str] = set()
    for message in messages:
        token = next_token(message, 0, dates=False)
        if token is None or token.separator or "word" not in token.kinds or not message.startswith(separator, token.end):
            return False
        words.add(token.text)
    return len(words) <= max(8, len(messages) // 4)


def _before_message(log_format: LogFormat) -> str:
    """The literal text just before the message's field ("" when another field or nothing is)."""
    pieces = format_pieces(log_format)
    for index, piece in enumerate(pieces):
        if not isinstance(piece, str) and piece.name == "message":
            previous = pieces[index - 1] if index else ""
            return previous if isinstance(previous, str) else ""
    return ""


_SHAPES = str.maketrans("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "9" * 10 + "a" * 26 + "A" * 26)


def _shape(line: str) -> str:
    """A line's first characters with digits, capitals and small letters each made one: what a first line starts like."""
    return line[:6].translate(_SHAPES)


def _first_lines(lines: Sequence[str]) -> list[str]:
    """The lines that start like most lines do: the records' first lines, and a few look-alikes the columns drop.

    A line's start is told by its first character's class (a digit, a
    capital before a capital as in a level, a capital before a small letter,
    a small letter, a bracket) and whether spaces come before it: tracebacks
    start with spaces, or with words where records have a time or a level.
    This costs a microsecond a line; tokens would cost ten.
    """
    keyed: list[tuple[str, str]] = []
    for line in lines:
        stripped = line.lstrip(" ")
        first = stripped[:1]
        if not first or (len(stripped) != len(line) and not first.isdigit()):
            continue
        if first.isdigit():
            kind = "9"
        elif first.isupper():
            kind = "AA" if stripped[1:2].isupper() else "Aa"
        else:
            kind = "a" if first.isalpha() or first == "_" else first
        keyed.append((line, kind if len(stripped) == len(line) else " " + kind))
    if not keyed:
        return []
    common, _ = Counter(key for _, key in keyed).most_common(1)[0]
    return [line for line, key in keyed if key == common]


def _primary(token: Token) -> str:
    """The kind a token is first taken for, so that DEBUG and CRITICAL, or MainThread and Thread-1 (worker), start alike."""
    for kind in ("time", "epoch", "num", "upper", "proc", "thread", "word"):
        if kind in token.kinds:
            return kind
    return "other"


def _field(tokens: list[Token], used: set[str], column: int, datefmt: str | None) -> tuple[_Field | None, str | None]:
    """The field a column holds on every line, or None when it is where the message starts."""
    kinds = frozenset.intersection(*(token.kinds for token in tokens))
    texts = [token.text for token in tokens]
    few = len(set(texts)) <= max(8, len(texts) // 4)
    if "time" in kinds and not used & {"asctime", "created"}:
        forms = {token.datefmt for token in tokens}
        if len(forms) != 1 or len({token.msecs for token in tokens}) != 1:
            return None, datefmt
        form = forms.pop()
        if form is not None and form.startswith("%d/%m/%Y") and not day_first(texts):
            form = "%m/%d/%Y" + form[len("%d/%m/%Y") :]
        return _Field("asctime"), form
    if "epoch" in kinds and not used & {"asctime", "created"}:
        return _Field("created", "d" if "int" in kinds else "f"), datefmt
    if "upper" in kinds and any("level" in token.kinds for token in tokens) and "levelname" not in used:
        return _Field("levelname"), datefmt
    if "proc" in kinds and "processName" not in used:
        return _Field("processName"), datefmt
    if "thread" in kinds and "threadName" not in used:
        return _Field("threadName"), datefmt
    if "int" in kinds:
        return _integer_field([int(text) for text in texts], used, column, few), datefmt
    if "num" in kinds and "relativeCreated" not in used and column == 0 and _rising([float(text) for text in texts]):
        return _Field("relativeCreated", "f"), datefmt
    if "word" in kinds and "name" not in used and few and all(LOGGER_NAME.fullmatch(text) for text in texts):
        return _Field("name"), datefmt
    return None, datefmt


def _code_location(tokens: list[Token], heads: list[str], used: set[str], last_field: str | None) -> _Field | None:
    """Where the record was logged from: ``gen.py:19``, ``app.db:fetch_data:19``, ``- app.db - INFO - gen -``.

    A line number follows a name or file after a colon (it is no pid); a
    word ending in ``.py`` is a file's name; a second word after the logger's
    name is the function's when a colon and a line number follow it, and the
    module's when the same separator stands on both sides of it (`` - gen - ``,
    `` | gen | ``), as in a list of fields. Anything less is left to the
    message: a message's first word, repeated, looks like a field too.
    """
    kinds = frozenset.intersection(*(token.kinds for token in tokens))
    separator = tokens[0].separator.strip(" ")
    texts = [token.text for token in tokens]
    if "int" in kinds and separator == ":" and last_field in _CODE_NAMES and "lineno" not in used:
        return _Field("lineno", "d")
    if "path" in kinds and "pathname" not in used:
        return _Field("pathname")
    if "word" not in kinds or not all(LOGGER_NAME.fullmatch(text) for text in texts):
        return None
    if "filename" not in used and all(text.endswith(".py") for text in texts):
        return _Field("filename")
    if "name" not in used or kinds & {"upper", "proc", "thread"} or len(set(texts)) > max(8, len(texts) // 4):
        return None  # a level's, a process's or a thread's name is read as such (_field)
    after = [next_token(line, token.end, dates=False) for line, token in zip(heads, tokens, strict=True)]
    if any(token is None for token in after):
        return None
    following = {token.separator for token in after if token is not None}
    lines_after = all(token is not None and "int" in token.kinds for token in after)
    if "funcName" not in used and last_field == "name" and separator == ":" and following == {":"} and lines_after:
        return _Field("funcName")
    if "module" not in used and separator and following == {tokens[0].separator} and len({token.separator for token in tokens}) == 1:
        return _Field("module")
    return None


def _integer_field(values: list[int], used: set[str], column: int, few: bool) -> _Field | None:
    """An integer column: milliseconds since start at the head of a line, a level number, a pid or a thread ident.

    Pids and thread idents repeat (a few processes and threads write a file)
    and differ in size; relativeCreated grows from line to line.
    """
    # Several processes' relativeCreated interleave, each counting from its own start: many values, not few as pids.
    if column == 0 and "relativeCreated" not in used and (_rising(values) or (not few and min(values) >= 0)):
        return _Field("relativeCreated", "d")
    if not few:
        return None
    if max(values) <= PID_MAX and min(values) >= 0:
        if set(values) <= _LEVELNOS and len(set(values)) > 1 and not used & {"levelname", "levelno"}:
            return _Field("levelno", "d")
        # Beside a level's name, multiples of 5 up to 60 are its number (pids that small are the kernel's).
        if "levelname" in used and "levelno" not in used and set(values) <= _LEVELNOS - {0}:
            return _Field("levelno", "d")
        if "process" not in used:
            return _Field("process", "d")
    if min(values) > PID_MAX and "thread" not in used:
        return _Field("thread", "d")
    return None


def _rising(values: Sequence[float]) -> bool:
    """Whether values grow as times do: often, and seldom back (processes writing one file race a little).

    The pids of processes that wrote in turn grow too, but only a few times.
    """
    pairs = list(zip(values, values[1:], strict=False))
    rises = sum(a < b for a, b in pairs)
    falls = sum(a > b for a, b in pairs)
    # Several processes' relativeCreated interleave (each counts from its own start), the more so on a loaded
    # machine: mostly rising is enough. Pids written in turn rise about as often as they fall.
    return rises >= 5 and falls * 3 <= rises


def _compiled(pieces: list[str | _Field], datefmt: str | None, used: set[str], heads: list[str]) -> LogFormat | None:
    """The format string of ``pieces``, compiled, if it reads every first line the columns were read from."""
    if {"relativeCreated", "asctime"} <= used:
        # Nobody writes both: a rising number before the time is a pid from processes that wrote in turn.
        pieces = [
            _Field("process", "d", piece.width, piece.align) if isinstance(piece, _Field) and piece.name == "relativeCreated" else piece
            for piece in pieces
        ]
    text = [piece.replace("%", "%%") if isinstance(piece, str) else piece.text() for piece in pieces]
    try:
        log_format = compile_format("".join(text), "%", datefmt if "asctime" in used else None, origin="inferred")
    except FormatError:
        return None
    pattern = log_format.compiled
    if not all(pattern.match(line) for line in heads):
        return None
    return log_format
