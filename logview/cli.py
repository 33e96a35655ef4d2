"""Command line: arguments → settings → the headless printer or the app."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from logview.core.filters import FilterError, Filters, check_regex, parse_level, parse_time
from logview.core.live_print import follow_and_print, listen_and_print
from logview.core.parse.format_string import FormatError, LogFormat, compile_format
from logview.core.parse.logging_config import ConfigError, formats_from_config
from logview.core.pipeline import Pipeline
from logview.core.printer import Printer
from logview.core.selection import selected_rows
from logview.core.socket_source import SocketListener, parse_listen_address
from logview.core.sources.inputs import expand_inputs

EXIT_OK, EXIT_INPUT_ERROR, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="logview",
        description="View Python logging output: merges files, rotation sets and compressed logs into one timeline.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="log files, globs, or - for standard input")
    parser.add_argument("--print", action="store_true", dest="print_mode", help="write the merged, filtered records to stdout and exit")
    parser.add_argument(
        "--output", choices=("text", "jsonl"), default="text", help="--print output: original lines, or one JSON object per record"
    )
    demo = parser.add_argument_group("demo")
    demo.add_argument("--demo", action="store_true", help="watch a multi-process demo program that logs through a queue")
    demo.add_argument("--workers", type=int, default=4, metavar="N", help="--demo: worker processes (default 4)")
    demo.add_argument("--rate", type=float, default=50.0, metavar="R", help="--demo: records a second per worker (default 50)")
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
        "--logging-config", metavar="FILE", help="a dictConfig (JSON, YAML, TOML) or fileConfig (INI) file: each formatter is tried"
    )
    filters = parser.add_argument_group("filters")
    filters.add_argument("--level", metavar="NAME", help="this level and above (a name or a number)")
    filters.add_argument("--logger", action="append", default=[], metavar="NAME", help="this logger and its descendants (repeatable)")
    filters.add_argument(
        "--exclude-logger", action="append", default=[], metavar="NAME", help="hide this logger and its descendants (repeatable)"
    )
    filters.add_argument("--pid", action="append", default=[], type=int, metavar="N", help="this process id (repeatable)")
    filters.add_argument("--grep", metavar="REGEX", help="records whose message matches")
    filters.add_argument("--since", metavar="TIME", help="records at or after this ISO time")
    filters.add_argument("--until", metavar="TIME", help="records at or before this ISO time")
    return parser


@dataclass
class Settings:
    paths: list[str]
    print_mode: bool
    output: str
    formats: list[LogFormat]
    filters: Filters
    follow: bool = False
    #: (host, port) to receive SocketHandler and DatagramHandler records on.
    listen: tuple[str, int] | None = None


def parse_settings(argv: Sequence[str]) -> Settings:
    args = build_parser().parse_args(list(argv))
    if not args.paths and not args.listen:
        raise UsageError("no input: give one or more log files, globs, - for standard input, or --listen PORT")
    try:
        listen = parse_listen_address(args.listen) if args.listen else None
    except ValueError as error:
        raise UsageError(f"--listen {args.listen}: {error}") from None
    user_formats: list[LogFormat] = []
    try:
        if args.fmt:
            user_formats.append(compile_format(args.fmt, args.style, args.datefmt))
        if args.logging_config:
            user_formats.extend(formats_from_config(args.logging_config))
        filters = Filters(
            min_level=parse_level(args.level) if args.level else None,
            loggers=tuple(args.logger),
            exclude_loggers=tuple(args.exclude_logger),
            pids=tuple(args.pid),
            grep=check_regex(args.grep) if args.grep else None,
            since=parse_time(args.since) if args.since else None,
            until=parse_time(args.until) if args.until else None,
        )
    except (FormatError, ConfigError, FilterError) as error:
        raise UsageError(str(error)) from None
    return Settings(args.paths, args.print_mode, args.output, user_formats, filters, args.follow, listen)


def run_print(settings: Settings) -> int:
    expanded = expand_inputs(settings.paths)
    for error in expanded.errors:
        _say(error)
    pipeline = Pipeline(user_formats=settings.formats, growing=settings.follow or bool(settings.listen))
    try:
        pipeline.load(expanded.names)
        for message in pipeline.warnings:
            _say(f"warning: {message}")
        for message in pipeline.errors:
            _say(message)
        rows = selected_rows(pipeline, settings.filters)
        printer = Printer(pipeline, sys.stdout.buffer)
        try:
            if settings.output == "jsonl":
                printer.print_jsonl(rows)
            else:
                printer.print_text(rows)
            sys.stdout.buffer.flush()
            if settings.listen:
                listen_and_print(pipeline, printer, settings.filters, settings.output, _listener(settings.listen), settings.paths)
            elif settings.follow:
                follow_and_print(pipeline, printer, settings.filters, settings.output, settings.paths)
        except BrokenPipeError:
            _silence_broken_pipe()
            return EXIT_OK
    finally:
        pipeline.close()
    return EXIT_INPUT_ERROR if expanded.errors or pipeline.errors else EXIT_OK


def run_viewer(settings: Settings) -> int:
    """Open the Textual app (imported here: ``--print`` never pays for loading Textual)."""
    if "-" in settings.paths:
        # The app reads keys from the terminal's standard input.
        raise UsageError("standard input (-) can be read with --print only, for now")
    from logview.ui.app import run_app

    listener = _listener(settings.listen) if settings.listen else None
    try:
        return run_app(settings.paths, settings.filters, Pipeline(user_formats=settings.formats, growing=True), listener)
    finally:
        if listener is not None:
            listener.close()


def _listener(address: tuple[str, int]) -> SocketListener:
    try:
        return SocketListener(*address)
    except OSError as error:
        raise UsageError(f"cannot listen on {address[0]}:{address[1]}: {error.strerror or error}") from None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if "--demo" in arguments:
        return run_demo_command(arguments)
    try:
        settings = parse_settings(arguments)
    except UsageError as error:
        _say(f"usage error: {error}")
        return EXIT_USAGE
    try:
        # Piped into another program (or run without a terminal), records are printed, as --print.
        if not settings.print_mode and sys.stdout.isatty() and sys.stdin.isatty():
            return run_viewer(settings)
        return run_print(settings)
    except UsageError as error:
        _say(f"usage error: {error}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def run_demo_command(arguments: Sequence[str]) -> int:
    """``logview --demo``: the viewer on a multi-process demo program (logview.demo)."""
    try:
        args = build_parser().parse_args(list(arguments))
        if args.workers < 1 or args.rate <= 0:
            raise UsageError("--workers must be at least 1 and --rate above 0")
        if not (sys.stdout.isatty() and sys.stdin.isatty()):
            raise UsageError("--demo opens the viewer: run it in a terminal (python -m logview.demo --to DIR writes files instead)")
    except UsageError as error:
        _say(f"usage error: {error}")
        return EXIT_USAGE
    from logview.demo import run_demo

    return run_demo(args.workers, args.rate)


def _say(message: str) -> None:
    print(f"logview: {message}", file=sys.stderr)


def _silence_broken_pipe() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
