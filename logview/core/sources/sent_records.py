"""The records a logging sender sends, decoded from untrusted bytes.

``SocketHandler`` and ``DatagramHandler`` pickle a dict of a record's
attributes. Whatever the dict holds, what leaves here is a LogRecord that
everything downstream can take: names that are short single-line ``str``,
a level and a process that are ``int``, a time the clock can show, and a
message formatted and cut to a bound. A field of the wrong type is made text
or dropped, a time that is not one is replaced by the time received and said
so in the message, and what was cut is marked where it was cut. What was
wrong is returned with the record, so that the listener tells it once per
sender (:class:`SentRecords`).
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from logview.core.record import level_number
from logview.core.sources.bounded_values import Budget, bounded_copy, bounded_text, cut_mark, cut_text
from logview.core.sources.plain_pickle import FrameError, load_plain

__all__ = ["MAX_MESSAGE", "MAX_NAME", "FrameError", "SentRecord", "SentRecords", "record_from_frame"]

#: Characters kept of a message (formatted), a traceback or a stack: a long traceback is a few thousand.
MAX_MESSAGE = 1 << 20
#: Characters kept of a name (logger, level, process, thread, path, function).
MAX_NAME = 1_000
#: Times the viewer can show: from 1970 to the end of year 9999.
LATEST = 253_402_300_800
#: A width or precision over this in a message's ``%`` field would make a string that size: not formatted.
MAX_WIDTH = 999
#: Senders whose later bad records are being counted; past this, the oldest is told and forgotten.
MAX_SENDERS = 1_000

_NAMES = ("name", "levelname", "threadName", "processName", "pathname", "filename", "module", "funcName", "taskName")
#: Integer fields and their range; outside it or not an int, the field is None.
_INTEGERS = {"levelno": (-(1 << 31), 1 << 31), "process": (0, 1 << 32), "thread": (0, 1 << 64), "lineno": (0, 1 << 31)}
_TEXTS = ("exc_text", "stack_info")
#: C0 controls and DEL as escapes: a tab or a newline in a name would break the viewer's tab-separated lines.
_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(32), 127)} | {9: "\\t", 10: "\\n", 13: "\\r"}
#: ``%`` fields looked at in a message, and characters of a mapping key: past these, a message is not formatted.
MAX_FIELDS, MAX_KEY = 1_000, 1_000
#: What a width or precision over MAX_WIDTH needs: a ``*`` (taken from the arguments) or 4 digits.
_MAYBE_WIDE = re.compile(r"\*|\d{4}")
#: A ``%`` field after its mapping key: flags, width, precision.
_SIZES = re.compile(r"[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_PARENS = re.compile(r"[()]")


class SentRecord(NamedTuple):
    """A record as received, and what was wrong with the fields it was sent with (empty for an honest sender)."""

    record: logging.LogRecord
    problems: list[str]


def record_from_frame(payload: bytes, sender: str) -> SentRecord:
    """The LogRecord of one frame's pickled dict, tagged with its sender, and its fields' problems; raises FrameError."""
    data = load_plain(payload)
    if type(data) is not dict:
        raise FrameError(f"not a record: a pickled {type(data).__name__}")
    problems: list[str] = []
    get = data.get
    fields: dict[str, Any] = {name: _name(get(name), name, problems) for name in _NAMES}
    for name, (low, high) in _INTEGERS.items():
        fields[name] = _integer(get(name), name, low, high, problems)
    for name in _TEXTS:
        value = get(name)
        fields[name] = None if value is None else _text(value, name, MAX_MESSAGE, problems)
    if fields["levelno"] is None:
        fields["levelno"] = (level_number(fields["levelname"]) if fields["levelname"] else None) or logging.NOTSET
    if "levelname" not in data or data["levelname"] is None:
        fields["levelname"] = logging.getLevelName(fields["levelno"])
    fields["processName"] = f"{fields['processName']}@{sender}"
    # The host: the name the sender gives itself (a filter adding ``hostname``), else its address.
    hostname = get("hostname")
    fields["hostname"] = _name(hostname, "hostname", problems) if type(hostname) is str and hostname else sender.rpartition(":")[0]
    message = _message(get("msg", ""), get("args"), problems)
    created, late = _created(data, problems)
    if late:
        message = f"{late} {message}"
    fields.update(msg=message, args=None, exc_info=None, created=created, msecs=_msecs(get("msecs"), created))
    relative: Any = get("relativeCreated")
    fields["relativeCreated"] = float(relative) if type(relative) in (int, float) and -LATEST < relative < LATEST else 0.0
    record = logging.LogRecord.__new__(logging.LogRecord)
    record.__dict__.update(fields)
    return SentRecord(record, problems)


def _name(value: Any, field: str, problems: list[str]) -> str | None:
    """A name as one line of text, MAX_NAME characters of it at most (escapes may lengthen them): most are kept as they are."""
    if type(value) is str:
        if len(value) <= MAX_NAME and value.isprintable():
            return value
        kept = value[:MAX_NAME]
        shown = kept.translate(_ESCAPES)
        if shown != kept:
            problems.append(f"{field} has control characters (escaped)")
        if len(value) > MAX_NAME:
            problems.append(f"{field} is over {MAX_NAME:,} characters (cut)")
            shown = f"{shown}… [logview: {len(value) - MAX_NAME:,} more characters cut]"
        return shown
    if value is None:
        return None if field != "name" else "None"  # what a Formatter writes for a record made without a name
    problems.append(f"{field} is {_kind(value)} (made text)")
    shown, _cuts = bounded_text(value, MAX_NAME)
    return shown.translate(_ESCAPES)


def _integer(value: Any, field: str, low: int, high: int, problems: list[str]) -> int | None:
    if type(value) is int:
        if low <= value < high:
            return value
        problems.append(f"{field} is out of range (dropped)")
    elif value is not None:
        problems.append(f"{field} is {_kind(value)} (dropped)")
    return None


def _text(value: Any, field: str, limit: int, problems: list[str]) -> str:
    if type(value) is not str:
        problems.append(f"{field} is {_kind(value)} (made text)")
    text, cuts = bounded_text(value, limit)
    if cuts:
        problems.append(f"{field} cut: {', '.join(sorted(cuts))}")
    return text


def _message(msg: Any, args: Any, problems: list[str]) -> str:
    """``msg % args`` as LogRecord.getMessage makes it, from bounded copies, and cut to MAX_MESSAGE."""
    text = "None" if msg is None else _text(msg, "msg", MAX_MESSAGE, problems)
    if not args:
        return text
    budget = Budget(chars=MAX_MESSAGE - len(text))
    arguments = bounded_copy(args, budget)
    if budget.cuts:
        problems.append(f"args cut: {', '.join(sorted(budget.cuts))}")
    wide = _wide_field(text)
    if wide is not None:
        problems.append(f"msg has {wide} (not formatted)")
        message = f"{text} (arguments {arguments!r} not formatted: {wide})"
    else:
        try:
            message = text % arguments
        except Exception as error:  # noqa: BLE001 - the sender's mistake: shown, as the queue source (queue.py) shows it
            message = f"{text} (arguments {arguments!r} not formatted: {error})"
    shown, cuts = cut_text(message, MAX_MESSAGE)
    if cuts:
        problems.append(f"message cut: over {MAX_MESSAGE:,} characters")
    return shown + cut_mark(budget)


def _wide_field(text: str) -> str | None:
    """What in ``text`` would make ``%`` build a huge string, if anything: ``%999999999s`` is 1 GB.

    A field whose width or precision is ``*`` or over MAX_WIDTH, a mapping key
    that is not closed within MAX_KEY characters, or over MAX_FIELDS fields.
    Most messages have no ``*`` and no 4 digits in a row and are not parsed.
    """
    if not _MAYBE_WIDE.search(text):
        return None
    at = text.find("%")
    for _field in range(MAX_FIELDS):
        if at < 0:
            return None
        start, at = at, at + 1
        if text.startswith("%", at):
            at = text.find("%", at + 1)
            continue
        if text.startswith("(", at):
            at = _key_end(text, at)
            if at < 0:
                return f"a mapping key not closed within {MAX_KEY:,} characters"
        sizes = _SIZES.match(text, at)
        assert sizes is not None  # every part of the pattern is optional
        # Counted in digits, not by int(): a width of 5,000 digits is over int()'s limit.
        if any(size == "*" or (size is not None and len(size.lstrip("0")) > len(str(MAX_WIDTH))) for size in sizes.groups()):
            return f"a field {text[start : sizes.end()][:20]!r} with a width or precision over {MAX_WIDTH}"
        at = text.find("%", sizes.end())
    return None if at < 0 else f"over {MAX_FIELDS:,} fields"


def _key_end(text: str, at: int) -> int:
    """Where the mapping key opened at ``at`` ends (parentheses nest in it, as ``%`` reads it), or -1."""
    depth = 0
    for paren in _PARENS.finditer(text, at, at + MAX_KEY):
        depth += 1 if paren.group() == "(" else -1
        if depth == 0:
            return paren.end()
    return -1


def _created(data: dict[Any, Any], problems: list[str]) -> tuple[float, str]:
    """The record's time, and the mark that says it is the time received when the one sent is not a time."""
    created: Any = data.get("created")
    if type(created) in (float, int) and 0 <= created < LATEST:
        return float(created), ""
    received = time.time()
    if created is None:
        problems.append("created is missing (the time received is shown)")
        return received, "[logview: sent without a time; shown at the time received]"
    if type(created) is float:
        shown, why = repr(created), "not a number" if math.isnan(created) else "out of range"
    elif type(created) is int:
        bits = created.bit_length()
        shown, why = str(created) if bits <= 64 else f"<an integer of {bits:,} bits>", "out of range"
    else:
        text = repr(bounded_copy(created, Budget(nodes=20, chars=40)))
        shown, why = text if len(text) <= 40 else f"{text[:40]}…", f"{_kind(created)}, not a number"
    problems.append(f"created is {why}: {shown} (the time received is shown)")
    return received, f"[logview: sent time {shown} is {why}; shown at the time received]"


def _msecs(value: Any, created: float) -> float:
    if type(value) is float and 0 <= value < 1000:
        return value
    return (created - int(created)) * 1000


def _kind(value: Any) -> str:
    name = type(value).__name__
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


class SentRecords:
    """Decodes each sender's frames; the first bad record of a sender is told in one line, its later ones counted.

    A sender with a bug sends the same bad field in every record: one line
    says what is wrong, and when the sender goes, one more says how many
    followed. Called from the listener's threads, one per TCP sender.
    """

    def __init__(self, report: Callable[[str], None]) -> None:
        self.report = report
        #: Bad records after the first, by sender; a sender is here once its first bad record was told.
        self._later: dict[str, int] = {}
        self._lock = threading.Lock()

    def decode(self, payload: bytes, sender: str, transport: str) -> logging.LogRecord:
        """The record in ``payload`` sent by ``sender`` (``host:port``) over ``transport``; raises FrameError only.

        Anything else raised while decoding is a bug here, but becomes a
        FrameError all the same: a listener thread never ends with a traceback.
        """
        try:
            record, problems = record_from_frame(payload, sender)
        except FrameError:
            raise
        except Exception as error:  # noqa: BLE001 - see the docstring
            raise FrameError(f"a record that could not be decoded ({type(error).__name__})") from None
        if problems:
            self._bad(f"{transport} {sender}", problems)
        return record

    def gone(self, sender: str, transport: str) -> None:
        """``sender`` disconnected: say how many more bad records it sent, if any."""
        self._tell_count(f"{transport} {sender}")

    def _bad(self, who: str, problems: list[str]) -> None:
        with self._lock:
            later = self._later.get(who)
            if later is not None:
                self._later[who] = later + 1
                return
            forgotten = next(iter(self._later)) if len(self._later) >= MAX_SENDERS else None
            self._later[who] = 0
        if forgotten is not None:
            self._tell_count(forgotten)
        self.report(f"{who}: a record with bad fields, shown all the same: {'; '.join(problems)}; later ones from this sender are counted")

    def _tell_count(self, who: str) -> None:
        with self._lock:
            later = self._later.pop(who, 0)
        if later:
            self.report(f"{who}: {later:,} more records with bad fields, shown all the same")

    def close(self) -> None:
        """The listener stops: say how many more bad records each sender sent."""
        for who in list(self._later):
            self._tell_count(who)
