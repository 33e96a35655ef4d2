"""The tokens a log line's prefix is made of, as format inference sees them.

A line is read left to right as separators (spaces, brackets, punctuation)
and tokens, each token labelled with every field it could be: a timestamp in
one of the forms strftime and logging write, a number, a level name, a
process or thread name as multiprocessing and threading name them, a word
that could be a logger name. Which field a token *is* depends on the same
column in the other lines (parse/infer.py).
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from logview.core.parse.timestamps import compile_datefmt
from logview.core.record import level_number

#: The datefmts tried, longer forms before their own prefixes (the first that matches wins).
#: ``None`` is logging's default, whose ``,mmm`` is read like any milliseconds after a time.
#: ``%d/%m/%Y`` stands for ``%m/%d/%Y`` too: the values decide (``day_first``).
DATEFMTS: tuple[str, ...] = (
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S %Z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%d/%m/%Y %I:%M:%S %p",
    "%d/%m/%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%d/%b/%Y:%H:%M:%S %z",
    "%d/%b/%Y %H:%M:%S",
    "%d %b %Y %H:%M:%S",
    "%a %b %d %H:%M:%S %Y",
    "%a %b %e %H:%M:%S %Y",
    "%b %d %H:%M:%S %Y",
    "%b %d %H:%M:%S",
    "%m-%d %H:%M:%S",
    "%m-%d %H:%M",
    "%I:%M:%S %p",
    "%H:%M:%S",
)

#: Zone names %Z writes; strftime's own pattern for them would take any word (a level name) for a zone.
_ZONE = "(?:UTC|GMT|[A-Z]{1,3}[SD]?T)"
#: Pids are below Linux's largest pid_max; thread idents (pthread_t) are addresses, far above it.
PID_MAX = 4_194_304
#: Process names multiprocessing gives (MainProcess, Process-1, SpawnProcess-2:1, ForkPoolWorker-3, SyncManager-1).
_PROCESS_NAME = r"MainProcess|(?:Spawn|Fork|ForkServer)?Process-[0-9]+(?::[0-9]+)*|[A-Za-z]*PoolWorker-[0-9]+|SyncManager-[0-9]+"
#: Thread names threading and concurrent.futures give; since 3.10 a thread with a target is "Thread-1 (target)".
_THREAD_NAME = r"MainThread|Thread-[0-9]+(?: \([^()]*\))?|ThreadPoolExecutor-[0-9]+_[0-9]+|Dummy-[0-9]+|asyncio_[0-9]+|QueueFeederThread"
#: A whole value that is a process or thread name as Python gives them, not a logger's.
PROCESS_OR_THREAD_NAME = re.compile(f"(?:{_PROCESS_NAME}|{_THREAD_NAME})")
#: Logger names (dotted identifiers, dashes allowed), which a word must be to be read as one.
LOGGER_NAME = re.compile(r"[A-Za-z_][\w\-]*(?:\.[\w\-]+)*")
_UPPER = re.compile(r"[A-Z][A-Z0-9_]*|Level -?[0-9]+")
#: Separator: what lies between tokens, everything but letters, digits and underscores.
SEPARATOR = re.compile(r"[^A-Za-z0-9_]*")


class Token(NamedTuple):
    """One token of a line and the separator before it."""

    separator: str
    text: str
    #: Every field it could be: time, epoch, num, int, level, upper, proc, thread, word, path.
    kinds: frozenset[str]
    end: int
    #: For a time: the datefmt (None: logging's default), and the separator of the milliseconds after it ("" when none).
    datefmt: str | None = None
    msecs: str = ""


_ABBREVIATION = "[A-Z][a-z]{2}"


@cache
def _date_regex() -> re.Pattern[str]:
    """One alternation of the datefmts, compiled when first needed (inference runs on few files).

    Month and day names are matched loosely, as any capitalised three
    letters: the exact alternations would cost 14 ms to compile, this 2 ms,
    and the format inferred is confirmed with its own exact regex anyway.
    """
    dates = []
    for number, datefmt in enumerate(DATEFMTS):
        pattern = compile_datefmt(datefmt).regex
        for names in ("(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)", "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"):
            pattern = pattern.replace(names, _ABBREVIATION)
        if datefmt.endswith("%Z"):
            pattern = pattern[: pattern.rindex("[A-Za-z]")] + _ZONE
        dates.append(f"(?P<d{number}>{pattern})(?![A-Za-z0-9_])")
    return re.compile("|".join(dates))


_PLAIN = re.compile(
    "|".join(
        [
            r"(?P<epoch>1[0-9]{9}(?:\.[0-9]+)?)(?![\w.])",
            r"(?P<num>[0-9]+(?:\.[0-9]+)?)(?![\w.])",
            r"(?P<levelnum>Level -?[0-9]+)(?!\w)",
            rf"(?P<proc>{_PROCESS_NAME})(?![\w-])",
            rf"(?P<thread>{_THREAD_NAME})(?![\w-])",
            r"(?P<word>[A-Za-z_][\w\-]*(?:\.[\w\-]+)*)",
            r"(?P<other>\S+)",
        ]
    )
)
#: An absolute path to a Python source file, as %(pathname)s writes it (without spaces: inference reads no spaces in a value).
_SOURCE_PATH = re.compile(r"/(?:[^\s:/]+/)+[^\s:/]+\.py(?![\w.])")
_PATH = frozenset({"path"})
_MSECS = re.compile(r"[.,][0-9]{3}(?![0-9])")
_TIME = frozenset({"time"})
_KINDS = {
    "epoch": frozenset({"epoch", "num", "int"}),
    "epoch.": frozenset({"epoch", "num"}),
    "num": frozenset({"num", "int"}),
    "num.": frozenset({"num"}),
    "levelnum": frozenset({"level", "upper"}),
    "proc": frozenset({"proc", "word"}),
    "thread": frozenset({"thread", "word"}),
    "thread ": frozenset({"thread"}),
    "other": frozenset({"other"}),
}
_word_kinds: dict[str, frozenset[str]] = {}


def next_token(line: str, position: int, dates: bool = True) -> Token | None:
    """The token at or after ``position`` (after its separator), or None at the end of the line.

    Timestamps are looked for only when ``dates`` is true and the token starts
    with a digit or a capital.
    """
    separator = SEPARATOR.match(line, position)
    start = separator.end() if separator else position
    if start >= len(line):
        return None
    sep = line[position:start]
    slash = sep.find("/")
    if slash >= 0:
        path = _SOURCE_PATH.match(line, position + slash)
        if path is not None:  # a pathname's slashes are no separators
            return Token(sep[:slash], path.group(), _PATH, path.end())
    if dates and (line[start].isdigit() or line[start].isupper()):
        date = _date_regex().match(line, start)
        if date is not None and date.lastgroup is not None:
            return _time_token(line, sep, start, date.end(), DATEFMTS[int(date.lastgroup[1:])])
    found = _PLAIN.match(line, start)
    if found is None:
        return None
    text, group = found.group(), found.lastgroup or "other"
    if group == "word":
        kinds = _word_kinds.get(text)
        if kinds is None:
            kinds = _kinds_of_word(text)
            if len(_word_kinds) < 10_000:  # the words of a few files' first lines; a bound all the same
                _word_kinds[text] = kinds
    elif group in ("epoch", "num"):
        kinds = _KINDS[group + "." if "." in text else group]
    elif group == "thread" and " " in text:
        kinds = _KINDS["thread "]
    else:
        kinds = _KINDS[group]
    return Token(sep, text, kinds, found.end())


def _time_token(line: str, separator: str, start: int, end: int, datefmt: str | None) -> Token:
    """A timestamp, with the milliseconds logging writes after it (``,123`` by default, ``.123`` as many set it)."""
    mark = ""
    msecs = _MSECS.match(line, end)
    if msecs is not None:
        mark, end = msecs.group()[0], msecs.end()
        if datefmt == "%Y-%m-%d %H:%M:%S" and mark == ",":
            datefmt, mark = None, ""
    return Token(separator, line[start:end], _TIME, end, datefmt, mark)


def _kinds_of_word(text: str) -> frozenset[str]:
    kinds = {"word"}
    if _UPPER.fullmatch(text):
        kinds.add("upper")
        if level_number(text) is not None:
            kinds.add("level")
    return frozenset(kinds)


def day_first(stamps: list[str]) -> bool:
    """Whether ``dd/mm`` stamps are day first: a first number over 12 says so, a second one says not.

    When neither does, the cookbook's 24-hour ``%d/%m/%Y`` is taken, and the
    logging HOWTO's ``%m/%d/%Y %I:%M:%S %p`` for the 12-hour form.
    """
    firsts = [int(stamp[:2]) for stamp in stamps if stamp[:2].isdigit()]
    seconds = [int(stamp[3:5]) for stamp in stamps if stamp[3:5].isdigit()]
    if any(value > 12 for value in firsts):
        return True
    if any(value > 12 for value in seconds):
        return False
    return not any(stamp.endswith(("AM", "PM")) for stamp in stamps)
