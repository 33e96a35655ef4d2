"""Translate ``time.strftime`` date formats into a regex that finds them and a
chrono format that polars parses them with.

logging's ``asctime`` is ``time.strftime(datefmt)``; with no datefmt it is
``Formatter.default_time_format`` (``%Y-%m-%d %H:%M:%S``) followed by
``default_msec_format`` of the milliseconds: ``,%03d``, or ``.%03d`` or nothing
where a program changed it, so the default pattern reads all three.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from logview.core.parse.escape import escape

DEFAULT_DATEFMT = "%Y-%m-%d %H:%M:%S"

_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
_DAY_NAMES = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"

# directive -> (regex, chrono directive or None when chrono cannot parse it)
_DIRECTIVES: dict[str, tuple[str, str | None]] = {
    "Y": ("[0-9]{4}", "%Y"),
    "y": ("[0-9]{2}", "%y"),
    "m": ("[0-9]{2}", "%m"),
    "d": ("[0-9]{2}", "%d"),
    "e": ("[ 0-9][0-9]", "%e"),
    "H": ("[0-9]{2}", "%H"),
    "I": ("[0-9]{2}", "%I"),
    "M": ("[0-9]{2}", "%M"),
    "S": ("[0-9]{2}", "%S"),
    "f": ("[0-9]{6}", "%6f"),
    "j": ("[0-9]{3}", "%j"),
    "p": ("(?:AM|PM|am|pm)", "%p"),
    "b": (f"(?:{_MONTHS})", "%b"),
    "h": (f"(?:{_MONTHS})", "%b"),
    "B": (f"(?:{_MONTH_NAMES})", "%B"),
    "a": (f"(?:{_DAYS})", "%a"),
    "A": (f"(?:{_DAY_NAMES})", "%A"),
    "z": ("[+-][0-9]{4}", "%z"),
    "Z": ("[A-Za-z][A-Za-z0-9_+-]*", None),
    "%": ("%", "%%"),
}


class DateFormatError(ValueError):
    """A datefmt uses a directive logview cannot read back."""


class DateFormat(NamedTuple):
    """How one ``datefmt`` looks in a log and how to parse it."""

    datefmt: str
    regex: str
    chrono: str
    has_year: bool
    has_date: bool
    #: A fraction of a second is written: ``%f``, or the milliseconds logging adds without a datefmt.
    has_fraction: bool
    has_zone_name: bool
    #: ``%z``: the offset is written, the time is read as it says.
    has_offset: bool = False
    #: logging's default: ``default_msec_format``'s milliseconds (``,mmm``, ``.mmm`` or none) after the stamp.
    msec_suffix: bool = False
    #: Written in UTC (``Formatter.converter = time.gmtime``, or a literal ``Z`` at the end); else in local time.
    written_in_utc: bool = False


def compile_datefmt(datefmt: str | None, with_msecs: bool = True, written_in_utc: bool = False) -> DateFormat:
    """Compile a strftime format; ``None`` means logging's default, with its milliseconds appended (``with_msecs``).

    ``written_in_utc``: the program's Formatter wrote UTC (``converter =
    time.gmtime``); times without an offset are otherwise local wall-clock time.
    """
    if datefmt is None:
        fmt = DEFAULT_DATEFMT
        regex, chrono = _translate(fmt)
        return DateFormat(
            datefmt=fmt,
            regex=regex + ("(?:[.,][0-9]{3})?" if with_msecs else ""),
            chrono=chrono,
            has_year=True,
            has_date=True,
            has_fraction=with_msecs,
            has_zone_name=False,
            msec_suffix=with_msecs,
            written_in_utc=written_in_utc,
        )
    regex, chrono = _translate(datefmt)
    return DateFormat(
        datefmt=datefmt,
        regex=regex,
        chrono=chrono,
        has_year=bool(re.search(r"%[Yy]", datefmt)),
        has_date=bool(re.search(r"%[dejbBmY]", datefmt)),
        has_fraction="%f" in datefmt,
        has_zone_name="%Z" in datefmt,
        has_offset="%z" in datefmt,
        written_in_utc=written_in_utc or (datefmt.endswith("Z") and not datefmt.endswith("%Z")),
    )


def _translate(datefmt: str) -> tuple[str, str]:
    regex: list[str] = []
    chrono: list[str] = []
    i = 0
    while i < len(datefmt):
        char = datefmt[i]
        if char == "%" and i + 1 < len(datefmt):
            directive = datefmt[i + 1]
            if directive not in _DIRECTIVES:
                raise DateFormatError(f"unsupported date directive %{directive} in {datefmt!r}")
            pattern, chrono_directive = _DIRECTIVES[directive]
            regex.append(pattern)
            if chrono_directive is None:
                # Zone names cannot be parsed by chrono: the parser strips them.
                if chrono and chrono[-1].endswith(" "):
                    chrono[-1] = chrono[-1][:-1]
            else:
                chrono.append(chrono_directive)
            i += 2
            continue
        regex.append(escape(char))
        chrono.append(char)
        i += 1
    return "".join(regex), "".join(chrono)
