"""Formats detected before, remembered across runs, by what they were detected from.

Detecting a format tries the whole catalogue on a sample of the file: 30 or
so regexes compiled (about 50 ms) and matched against up to 400 lines, for
each file. The answer depends on nothing but the sample, the format of the
input before it, the user's formats and the catalogue, so it is kept under a
hash of those (never the log's text), in ``$XDG_CACHE_HOME/logview``, and a
second run on the same files skips it. Anything wrong with the file (missing,
damaged, read-only) only costs the detection again.

New answers are written once, by ``save()`` (the first frame calls it once
drawn) or at exit, not as each is found: writing the file costs 1-2 ms, and a
first run on a dozen files found a dozen answers before its first frame.
"""

from __future__ import annotations

import atexit
import json
import os
import threading
import zlib
from collections.abc import Callable, Sequence

from logview.core.parse.catalogue import ACCESS_LOGS, CATALOGUE, RENDERERS
from logview.core.parse.format_set import FormatSet
from logview.core.parse.format_string import FormatError, LogFormat, compile_format
from logview.core.parse.json_lines import JsonLinesFormat
from logview.core.version import __version__

#: Detections kept: the newest ones, as they were made or used.
KEPT = 500
_JSON = "json-lines"
#: What a remembered answer depends on besides the sample: logview's version, its catalogue, and how detection
#: chooses (a version string each time that changes: "json-after-user" when JSON lines came to be tried after the
#: user's formats that read nothing; "inferred formats 1" when formats came to be inferred; "format sets" when a
#: file came to be read with several formats; "readings 1" when fields came to be read other than by default;
#: "json-lines 2" when nested keys came to be read).
_SALT = f"{__version__}\n{CATALOGUE!r}\n{ACCESS_LOGS!r}\n{RENDERERS!r}\njson-after-user\ninferred formats 1\nformat sets\nreadings 1\njson-lines 2: nested keys\nplausible names 1"
#: The key of an answer naming several formats of one file (parse/format_set.py).
_SET = "formats"

Format = LogFormat | JsonLinesFormat | FormatSet
Detect = Callable[[], Format | None]

_lock = threading.Lock()
_memory: dict[str, object] | None = None
#: Answers found since the file was last written; and whether the exit has been asked to write them.
_unsaved = False
_saved_at_exit = False


def cache_path() -> str:
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(home, "logview", "formats.json")


def remembered(sample: Sequence[str], previous: Format | None, user_formats: Sequence[LogFormat], detect: Detect) -> Format | None:
    """``detect()``'s answer for this sample, from an earlier run when there was one; remembered for later ones."""
    key = _key(sample, previous, user_formats)
    with _lock:
        known = _entries()
        answer = known.get(key, ())
    if answer != ():
        found = _format(answer)
        if not isinstance(found, bool):
            return found
    chosen = detect()
    _remember(key, _answer(chosen))
    return chosen


def _key(sample: Sequence[str], previous: Format | None, user_formats: Sequence[LogFormat]) -> str:
    """Two CRC-32s and the length of what the detection depends on: no log text, and no hashlib (5 ms to import)."""
    data = "\n".join([_SALT, json.dumps([_answer(previous), [_answer(item) for item in user_formats]]), *sample]).encode("utf-8", "replace")
    return f"{zlib.crc32(data):08x}{zlib.crc32(data[::-1]):08x}{len(data):x}"


def _answer(log_format: Format | None) -> object:
    if isinstance(log_format, LogFormat):
        utc = log_format.date is not None and log_format.date.written_in_utc
        return [log_format.fmt, log_format.style, log_format.datefmt, log_format.origin, log_format.readings, "utc" if utc else ""]
    if isinstance(log_format, FormatSet):
        return {_SET: [_answer(member) for member in log_format.formats]}
    return _JSON if isinstance(log_format, JsonLinesFormat) else None


def _format(answer: object) -> Format | None | bool:
    """The format an answer names; False when it names none that can be had (a damaged entry)."""
    if answer is None:
        return None
    if answer == _JSON:
        return JsonLinesFormat()
    if isinstance(answer, dict) and isinstance(answer.get(_SET), list) and len(answer[_SET]) > 1:
        members = [_format(member) for member in answer[_SET]]
        if all(isinstance(member, LogFormat) for member in members):
            return FormatSet(tuple(member for member in members if isinstance(member, LogFormat)))
        return False
    if isinstance(answer, list) and 3 <= len(answer) <= 6 and all(item is None or isinstance(item, str) for item in answer[:4]):
        fmt, style, datefmt, origin, readings, utc = [*answer, *[None, None, {}, ""][len(answer) - 2 :]][:6]
        if not isinstance(readings, dict) or not all(isinstance(value, str) for value in readings.values()):
            return False
        try:
            return compile_format(str(fmt), str(style), datefmt, origin=str(origin or ""), readings=readings, written_in_utc=utc == "utc")
        except FormatError:
            return False
    return False


def _entries() -> dict[str, object]:
    global _memory
    if _memory is None:
        try:
            with open(cache_path(), encoding="utf-8") as cache:
                loaded = json.load(cache)
            _memory = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            _memory = {}
    return _memory


def _remember(key: str, answer: object) -> None:
    global _unsaved, _saved_at_exit
    with _lock:
        known = _entries()
        known.pop(key, None)
        known[key] = answer
        while len(known) > KEPT:
            del known[next(iter(known))]
        _unsaved = True
        if not _saved_at_exit:
            atexit.register(save)
            _saved_at_exit = True


def save() -> None:
    """Write the answers found since the last write, if any."""
    global _unsaved
    with _lock:
        if not _unsaved or _memory is None:
            return
        _unsaved = False
        path = cache_path()
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            partial = f"{path}.{os.getpid()}"
            with open(partial, "w", encoding="utf-8") as cache:
                json.dump(_memory, cache)
            os.replace(partial, path)
        except OSError:
            pass  # a cache that cannot be written costs the next run the detection, nothing more
