"""The command line's arguments, read into the settings every mode runs from.

Kept apart from the modes so that reading the arguments imports only the
standard library: ``--help``, ``--version`` and a usage error answer at
once, before the engine (numpy, polars) or the app (Textual) is loaded.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from logview.core.sources.journal_files import JOURNAL_SUFFIXES
from logview.core.version import __version__

if TYPE_CHECKING:
    from logview.core.config import NamedFormat, ViewerDefaults
    from logview.core.filters import Filters
    from logview.core.parse.format_string import LogFormat

__all__ = ["EXAMPLES", "Settings", "UsageError", "build_parser", "is_terminal", "parse_settings"]


class UsageError(Exception):
    """The command line cannot be run as given: said in one line, with exit status 2, and nothing else is done."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


EXAMPLES = """\
examples:
  logview app.log*                      the viewer over a rotation set (plain, .gz, .bz2, .xz), newest records first on screen
  logview worker-*.log --level WARNING  several processes in one timeline, WARNING and above
  cat app.log | logview                 the viewer over standard input (keys are read from the terminal)
  logview --print app.log* | less       the merged records as text (--output jsonl: one JSON object per record)
  logview --print -f 'app.log*'         keep printing records as they are written, through rotation
  logview --listen 9020                 records sent by SocketHandler / DatagramHandler to 127.0.0.1:9020
  logview --demo                        a multi-process demo program that logs through a queue
  logview --demo --hosts 3              three hosts logging into a systemd-journal-remote collector

In the viewer, ? lists every key and Ctrl+P every command; q or Ctrl+C quits.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="logview",
        description="View Python logging output: merges files, rotation sets and compressed logs into one timeline.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="log files, globs, or - for standard input (the default when it is piped)")
    parser.add_argument("--version", action="version", version=f"logview {__version__}")
    parser.add_argument("--top", action="store_true", help="the viewer: open at the oldest record instead of following the newest")
    parser.add_argument(
        "--print",
        action="store_true",
        dest="print_mode",
        help="write the merged, filtered records to stdout instead of opening the viewer; with -f or --listen, go on printing until Ctrl+C",
    )
    parser.add_argument(
        "--output", choices=("text", "jsonl"), default="text", help="--print output: original lines, or one JSON object per record"
    )
    demo = parser.add_argument_group("demo")
    demo.add_argument("--demo", action="store_true", help="watch a multi-process demo program that logs through a queue")
    demo.add_argument("--workers", type=int, default=4, metavar="N", help="--demo: worker processes (default 4)")
    demo.add_argument(
        "--hosts", type=int, metavar="N", help="--demo: N hosts logging into a systemd-journal-remote collector, followed live"
    )
    demo.add_argument("--rate", type=float, default=50.0, metavar="R", help="--demo: records a second per worker (default 50)")
    parser.add_argument(
        "--journal",
        nargs="*",
        metavar="DIR|FILE",
        help="the systemd journal: the local one, or the directories (a systemd-journal-remote --output) and .journal files named;"
        " a path may also be given as journal:PATH",
    )
    parser.add_argument(
        "--listen",
        metavar="[HOST:]PORT",
        help="receive records from logging's SocketHandler (TCP) and DatagramHandler (UDP) on this port (host 127.0.0.1 unless given)",
    )
    parser.add_argument(
        "-f",
        "--follow",
        action="store_true",
        help="--print: keep printing records as they are written, through rotation and truncation (Ctrl+C stops)",
    )
    formats = parser.add_argument_group("formats")
    formats.add_argument("--format", dest="fmt", metavar="FMT", help="the logging format string the files were written with")
    formats.add_argument("--style", choices=("%", "{", "$"), default="%", help="the format string's style (default %%)")
    formats.add_argument("--datefmt", metavar="DATEFMT", help="the datefmt used for %%(asctime)s")
    formats.add_argument(
        "--explain-format",
        action="store_true",
        help="print, for each input, which format was chosen and why, and how each field was read; nothing else",
    )
    formats.add_argument(
        "--explain-hosts",
        action="store_true",
        help="say each host the records name: its records, processes, time span, and its clock against this machine's"
        " (measured on records received live: with -f, Ctrl+C reports)",
    )
    formats.add_argument(
        "--logging-config", metavar="FILE", help="a dictConfig (JSON, YAML, TOML) or fileConfig (INI) file: each formatter is tried"
    )
    times = parser.add_argument_group("times")
    times.add_argument(
        "--utc",
        action="store_true",
        default=None,
        help="show times in UTC, and read the times you give (--since, --until, t) as UTC (default: local time, or the config's [viewer] utc)",
    )
    times.add_argument(
        "--written-in-utc",
        action="store_true",
        help="the logs' times without an offset were written in UTC (Formatter.converter = time.gmtime), not in local time",
    )
    filters = parser.add_argument_group("filters")
    filters.add_argument("--level", metavar="NAME", help="this level and above (a name or a number)")
    filters.add_argument("--logger", action="append", default=[], metavar="NAME", help="this logger and its descendants (repeatable)")
    filters.add_argument(
        "--exclude-logger", action="append", default=[], metavar="NAME", help="hide this logger and its descendants (repeatable)"
    )
    filters.add_argument("--pid", action="append", default=[], type=int, metavar="N", help="this process id (repeatable)")
    filters.add_argument("--host", action="append", default=[], metavar="NAME", help="records from this host (repeatable)")
    filters.add_argument(
        "--unit", action="append", default=[], metavar="UNIT", help="the journal: entries of this systemd unit (repeatable)"
    )
    filters.add_argument(
        "--identifier", action="append", default=[], metavar="ID", help="the journal: entries with this SYSLOG_IDENTIFIER (repeatable)"
    )
    filters.add_argument("--grep", metavar="REGEX", help="records whose message (or a journal entry's other field, as KEY=value) matches")
    filters.add_argument(
        "--since", metavar="TIME", help="records at or after this ISO time (local, or UTC with --utc, unless it has an offset)"
    )
    filters.add_argument("--until", metavar="TIME", help="records at or before this ISO time")
    return parser


class Settings(NamedTuple):
    paths: list[str]
    print_mode: bool
    output: str
    formats: list[LogFormat]
    filters: Filters
    follow: bool = False
    #: (host, port) to receive SocketHandler and DatagramHandler records on.
    listen: tuple[str, int] | None = None
    #: The viewer opens at the oldest record rather than at the newest, following.
    top: bool = False
    #: The config file's named formats, each tried (after ``formats``) on the inputs it applies to.
    named_formats: tuple[NamedFormat, ...] = ()
    #: The config file's [viewer] table; None: no config file read.
    viewer: ViewerDefaults | None = None
    #: Why the config file was not used, one line each (said on standard error, and in the viewer).
    config_problems: tuple[str, ...] = ()
    #: Times are shown in UTC: --utc, else the config's [viewer] utc.
    utc: bool = False
    #: --explain-format: say each input's format and why, instead of printing records.
    explain: bool = False
    #: --explain-hosts: say each host's records, processes, time span and clock, instead of printing records.
    explain_hosts: bool = False
    #: The config file read (for --explain-format to name).
    config_path: str = ""
    #: The journals to read (--journal, journal:PATH, *.journal): () is the local journal, None no journal.
    journal: tuple[str, ...] | None = None
    #: --unit and --identifier: which of the journal's entries are read.
    units: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()


def parse_settings(argv: Sequence[str]) -> Settings:
    args = build_parser().parse_args(list(argv))
    from logview.core import zones
    from logview.core.config import load_config
    from logview.core.filters import FilterError, Filters, check_regex, parse_level, parse_time
    from logview.core.parse.format_string import FormatError, compile_format

    config = load_config()
    utc = bool(args.utc if args.utc is not None else config.viewer.utc)
    # Before the times given are read: they are in the zone times are shown in.
    zones.show_in_utc(utc)
    zones.read_naive_times_in_utc(args.written_in_utc)

    paths, journal = _journal_paths(list(args.paths), args.journal)
    if not paths and not args.listen and journal is None and not is_terminal(sys.stdin):
        paths = ["-"]  # cat app.log | logview
    if not paths and not args.listen and journal is None:
        raise UsageError("no input: give one or more log files, globs, - for standard input, --journal, or --listen PORT")
    listen = _listen_address(args.listen) if args.listen else None
    user_formats: list[LogFormat] = []
    try:
        if args.fmt:
            user_formats.append(compile_format(args.fmt, args.style, args.datefmt, origin="--format", written_in_utc=args.written_in_utc))
        if args.logging_config:
            user_formats.extend(_config_formats(args.logging_config))
        filters = Filters(
            min_level=parse_level(args.level) if args.level else None,
            loggers=tuple(args.logger),
            exclude_loggers=tuple(args.exclude_logger),
            pids=tuple(args.pid),
            hosts=tuple(args.host),
            grep=check_regex(args.grep) if args.grep else None,
            since=parse_time(args.since) if args.since else None,
            until=parse_time(args.until) if args.until else None,
        )
    except (FormatError, FilterError) as error:
        raise UsageError(str(error)) from None
    return Settings(
        paths,
        args.print_mode,
        args.output,
        user_formats,
        filters,
        args.follow,
        listen,
        args.top,
        named_formats=config.formats,
        viewer=config.viewer,
        config_problems=config.problems,
        utc=utc,
        explain=args.explain_format,
        explain_hosts=args.explain_hosts,
        config_path=config.path,
        journal=journal,
        units=tuple(args.unit),
        identifiers=tuple(args.identifier),
    )


def _journal_paths(paths: list[str], journal: list[str] | None) -> tuple[list[str], tuple[str, ...] | None]:
    """The paths split into log files and journals: ``--journal``'s, ``journal:PATH`` and ``*.journal`` files."""
    journals: list[str] | None = None if journal is None else []
    files: list[str] = []
    for path in journal or ():
        # --journal takes every path after it: a log file among them is read as one.
        (journals if journals is not None and _is_journal(path) else files).append(path.removeprefix("journal:"))
    for path in paths:
        if path.startswith("journal:") or path.endswith(JOURNAL_SUFFIXES):
            journals = (journals or []) + [path.removeprefix("journal:")]
        else:
            files.append(path)
    return files, tuple(journals) if journals is not None else None


#: How every journal file starts (systemd's journal-file.h).
JOURNAL_SIGNATURE = b"LPKSHHRH"


def _is_journal(path: str) -> bool:
    """A directory (journals are read by directory), a journal file by its name or its first bytes, or a journal: path."""
    if path.startswith("journal:") or path.endswith(JOURNAL_SUFFIXES) or os.path.isdir(path):
        return True
    try:
        with open(path, "rb") as file:
            return file.read(len(JOURNAL_SIGNATURE)) == JOURNAL_SIGNATURE
    except OSError:
        return True  # not readable: journalctl says why


def _listen_address(text: str) -> tuple[str, int]:
    # Imported for --listen only, as _config_formats for --logging-config: the viewer's first frame waits for imports.
    from logview.core.sources.socket_listener import parse_listen_address

    try:
        return parse_listen_address(text)
    except ValueError as error:
        raise UsageError(f"--listen: {error}") from None


def _config_formats(path: str) -> list[LogFormat]:
    from logview.core.parse.logging_config import ConfigError, formats_from_config

    try:
        return formats_from_config(path)
    except ConfigError as error:
        raise UsageError(str(error)) from None


def is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except ValueError:  # a closed stream
        return False
