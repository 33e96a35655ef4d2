"""Command line: arguments → settings → the headless printer or the app.

Only the standard library is imported before the arguments are understood:
``--help`` and ``--version`` answer at once, and the engine (numpy, polars)
and the app (Textual) are loaded by the mode that needs them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from logview.core.inputs.descriptor_limit import raise_descriptor_limit
from logview.core.say import say
from logview.core.version import __version__

if TYPE_CHECKING:
    from logview.core.config import NamedFormat, ViewerDefaults
    from logview.core.filters import Filters
    from logview.core.parse.format_string import LogFormat
    from logview.core.pipeline import Pipeline
    from logview.core.small_print import SmallPrint
    from logview.core.sources.socket import SocketSource
    from logview.core.sources.source import Source
    from logview.core.stop_signals import StopSignals
    from logview.ui.first_frame import FirstFrame

EXIT_OK, EXIT_INPUT_ERROR, EXIT_USAGE = 0, 1, 2
#: Standard output could not be written (a full disk, an I/O error): as with an input, not all that was asked was done.
EXIT_OUTPUT_ERROR = 1
#: What shells expect after Ctrl+C (128 + SIGINT).
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    pass


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
        "--explain-format",
        action="store_true",
        help="print, for each input, which format was chosen and why, and how each field was read; nothing else",
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
    filters.add_argument("--grep", metavar="REGEX", help="records whose message matches")
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
    #: The config file read (for --explain-format to name).
    config_path: str = ""


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

    paths = list(args.paths)
    if not paths and not args.listen and not _is_terminal(sys.stdin):
        paths = ["-"]  # cat app.log | logview
    if not paths and not args.listen:
        raise UsageError("no input: give one or more log files, globs, - for standard input, or --listen PORT")
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
        config_path=config.path,
    )


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


def run_print(settings: Settings) -> int:
    """``--print``; with ``-f`` or ``--listen``, until a stop signal (Ctrl+C, SIGTERM, SIGHUP), whose status it returns then."""
    if not (settings.follow or settings.listen):
        status = _print_small_inputs(settings)
        if status is None:
            status = _print_sparse(settings)
        if status is None:
            status = _print_grep_first(settings)
        return _run_print(settings, None) if status is None else status
    from logview.core.stop_signals import StopSignals

    with StopSignals() as signals:
        try:
            status = _run_print(settings, signals)
        except KeyboardInterrupt:
            return signals.exit_status
    return signals.exit_status if signals.received else status


def _print_small_inputs(settings: Settings) -> int | None:
    """``--print`` of inputs small enough to be read in plain Python (core/small_print.py), without loading the engine.

    None when they are not, or hold anything the engine must read: nothing
    is said or written then, and the engine prints them.
    """
    from logview.core.inputs.arguments import expand_inputs
    from logview.core.small_print import small_print

    if sys.stdout is None:
        return None
    expanded = expand_inputs(settings.paths)
    on_terminal = _is_terminal(sys.stdout)
    prepared = small_print(
        expanded.names, settings.filters, settings.formats, settings.named_formats, _invalid_utf8_shown(settings.output, on_terminal)
    )
    if prepared is None:
        return None
    return _print_prepared(prepared, expanded.errors, settings.output, on_terminal)


def _print_sparse(settings: Settings) -> int | None:
    """``--print --grep`` over plain files of any size, read around the hits in plain Python (core/sparse_print.py),
    without loading the engine.

    None, with nothing printed or said, when that cannot be done exactly: grep_first.py or the index prints then.
    """
    if settings.filters.grep is None or sys.stdout is None:
        return None
    from logview.core.inputs.arguments import expand_inputs
    from logview.core.sparse_print import sparse_print

    expanded = expand_inputs(settings.paths)
    if expanded.errors or expanded.waiting:
        return None
    prepared = sparse_print(
        expanded.names, settings.filters, settings.formats, settings.named_formats, line_numbers=settings.output == "jsonl"
    )
    if prepared is None:
        return None
    return _print_prepared(prepared, [], settings.output, _is_terminal(sys.stdout))


def _print_prepared(prepared: SmallPrint, errors: list[str], output: str, on_terminal: bool) -> int:
    """Say the inputs' errors and warnings, then write the records a plain-Python path read; the exit status."""
    from logview.core.output import OutputError, flush_all, write_all

    for line in errors:
        say(line)
    for message in prepared.warnings:
        say(f"warning: {message}")
    try:
        write_all(sys.stdout.buffer, prepared.output(output, escape=on_terminal))
        flush_all(sys.stdout.buffer)
    except (BrokenPipeError, OutputError) as error:
        return _output_failed(error)
    return EXIT_INPUT_ERROR if errors else EXIT_OK


def _print_grep_first(settings: Settings) -> int | None:
    """``--print --grep`` over plain files: only the records that hold the pattern are parsed (core/grep_first.py).

    None, with nothing printed or said, when that cannot be done exactly: the inputs are then indexed.
    """
    if settings.filters.grep is None or sys.stdout is None:
        return None
    from logview.core.memory import tune_allocators

    tune_allocators()
    from logview.core.grep_first import load_hits, plain_files
    from logview.core.inputs.arguments import expand_inputs
    from logview.core.output import OutputError
    from logview.core.pipeline import Pipeline
    from logview.core.printer import Printer
    from logview.core.selection import Selector

    expanded = expand_inputs(settings.paths)
    if expanded.errors or expanded.waiting or not plain_files(expanded.names):
        return None
    pipeline = Pipeline(user_formats=settings.formats, named_formats=settings.named_formats)
    try:
        hits = load_hits(pipeline, expanded.names, settings.filters.grep, line_numbers=settings.output == "jsonl")
        if hits is None or pipeline.errors:
            return None
        for message in pipeline.warnings:
            say(f"warning: {message}")
        selector = Selector(pipeline)
        selector.remember(settings.filters.grep, hits)
        rows = selector.rows(settings.filters)
        printer = Printer(pipeline, sys.stdout.buffer, escape=_is_terminal(sys.stdout), on_problem=say)
        try:
            printer.print_view(rows, settings.output)
        except (BrokenPipeError, OutputError) as error:
            return _output_failed(error)
        for message in pipeline.errors:  # a file deleted or replaced while it was read again
            say(message)
    finally:
        pipeline.close()
    return EXIT_INPUT_ERROR if pipeline.errors or printer.problems else EXIT_OK


def sources_for(settings: Settings, pipeline: Pipeline, follow: bool) -> list[Source]:
    """The sources the command line asks for, the files first: each kind of source is one line here.

    Raises UsageError when a listener cannot listen where asked.
    """
    from logview.core.sources.files import FileSource

    sources: list[Source] = [FileSource(pipeline, settings.paths, follow=follow)]
    if settings.listen:
        sources.append(_socket_source(settings.listen))
    return sources


def _run_print(settings: Settings, signals: StopSignals | None) -> int:
    from logview.core.memory import tune_allocators

    tune_allocators()
    from logview.core.live_print import PrintedAsTheyCome
    from logview.core.output import OutputError
    from logview.core.pipeline import Pipeline
    from logview.core.printer import Printer

    if sys.stdout is None:  # started with descriptor 1 closed (>&-)
        say("cannot write to standard output: it is closed")
        return EXIT_OUTPUT_ERROR
    following = signals is not None
    on_terminal = _is_terminal(sys.stdout)
    pipeline = Pipeline(
        user_formats=settings.formats,
        named_formats=settings.named_formats,
        growing=following,
        invalid_utf8_shown=_invalid_utf8_shown(settings.output, on_terminal),
    )
    sources = sources_for(settings, pipeline, following)
    said = [problem for source in sources for problem in source.problems]
    for problem in said:
        say(problem.text)
    # On a terminal, control characters in the records are shown, not obeyed; to a pipe the bytes are the log's own.
    # Records left out because their file shrank while it was read are told as they are found.
    printer = Printer(pipeline, sys.stdout.buffer, escape=on_terminal, on_problem=say)
    # Live, once the files are read a stop signal ends the sources, which index what they hold before they return.
    printing = PrintedAsTheyCome(pipeline, printer, settings.filters, settings.output, following, signals.graceful if signals else None)
    # In turn: the files' records are printed before those a listener receives.
    running = pipeline.start(sources, printing, stop=signals.stop if signals else None, in_turn=True)
    try:
        try:
            running.wait()
            printing.finish()
        except (BrokenPipeError, OutputError) as error:
            return _output_failed(error)
    finally:
        running.close()
        pipeline.close()
    incomplete = said or pipeline.errors or printer.problems or any(source.problems for source in sources)
    return EXIT_INPUT_ERROR if incomplete else EXIT_OK


def run_explain(settings: Settings) -> int:
    """``--explain-format``: each input's format and why, as detection chose it for the printer and the viewer."""
    from logview.core.explain_format import explain_sample
    from logview.core.inputs.arguments import expand_inputs
    from logview.core.inputs.opener import read_head
    from logview.core.parse.detect import Format, sample_lines

    expanded = expand_inputs(settings.paths)
    for line in expanded.errors:
        say(line)
    unread = 0
    previous: Format | None = None
    blocks: list[str] = []
    for name in expanded.names:
        try:
            head, tail, tail_offset = _ends_of(name, read_head)
        except OSError as error:
            say(f"{name}: {error.strerror or error}")
            unread += 1
            continue
        sample = sample_lines(head, tail=tail, tail_offset=tail_offset)
        explained = explain_sample(name, sample, previous, settings.formats, settings.named_formats, settings.config_path)
        previous = explained.chosen if explained.chosen is not None else previous
        blocks.append("\n".join(explained.lines) + "\n")
    try:
        sys.stdout.write("\n".join(blocks))
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    return EXIT_INPUT_ERROR if expanded.errors or unread else EXIT_OK


def _ends_of(name: str, read_head: Callable[[BinaryIO, int], bytes]) -> tuple[bytes, bytes, int]:
    """The first 256 KiB of an input's text (decompressed), and a plain file's last bytes and their offset, as detection samples them."""
    import io

    from logview.core.inputs.file_end import file_end
    from logview.core.inputs.magic import MAGIC_BYTES, detect_compression

    if name == "-":
        return read_head(io.BytesIO(sys.stdin.buffer.read(256 * 1024)), 256 * 1024), b"", 0
    with open(name, "rb") as handle:
        plain = detect_compression(handle.read(MAGIC_BYTES)) is None
        handle.seek(0)
        head = read_head(handle, 256 * 1024)
        if not plain or not os.path.isfile(name):
            return head, b"", 0
        return (head, *file_end(handle.fileno()))


def _output_failed(error: OSError) -> int:
    """The exit status once standard output failed: none for a closed pipe (``| head``), which is not an error; said otherwise."""
    _silence_stdout()
    if isinstance(error, BrokenPipeError):
        return EXIT_OK
    say(f"cannot write to standard output: {error.strerror}")
    return EXIT_OUTPUT_ERROR


def _invalid_utf8_shown(output: str, on_terminal: bool) -> str:
    """What the printer does with bytes that are not UTF-8, as the warning about them says it."""
    if output == "jsonl":
        return "replaced by U+FFFD (JSON strings are Unicode)"
    return r"shown as \x escapes" if on_terminal else "copied as it is"


def run_viewer(settings: Settings) -> int:
    """Open the Textual app (imported here: ``--print`` never pays for loading Textual)."""
    if not _is_terminal(sys.stdin):
        _keys_from_terminal()
    frame = None if settings.top or settings.listen else _first_frame(settings)
    from logview.core.memory import tune_allocators

    tune_allocators()  # before the app's threads, after the first frame (which starts none)
    try:
        from logview.core.pipeline import VIEWER_CHUNK_SIZE, Pipeline
        from logview.ui.app import run_app

        pipeline = Pipeline(user_formats=settings.formats, named_formats=settings.named_formats, growing=True, chunk_size=VIEWER_CHUNK_SIZE)
        sources = sources_for(settings, pipeline, follow=True)
        return run_app(
            settings.paths,
            settings.filters,
            pipeline,
            sources,
            top=settings.top,
            frame=frame,
            defaults=settings.viewer,
            config_problems=settings.config_problems,
        )
    finally:
        if frame is not None:
            frame.undo()


def _first_frame(settings: Settings) -> FirstFrame | None:
    """The app's first screen, drawn at once from the inputs' newest records, before Textual is loaded (ui/first_frame.py).

    Only when nothing would hide them: with filters the first screen is the
    filtered records', which the index finds.
    """
    from logview.core.filters import Filters
    from logview.ui.first_frame import draw_first_frame

    if settings.filters != Filters():
        return None
    sidebar = settings.viewer.sidebar if settings.viewer is not None else None
    return draw_first_frame(settings.paths, tuple(settings.formats), settings.named_formats, sidebar)


def _keys_from_terminal() -> None:
    """Read piped records from another descriptor, and keys from the terminal, as less and lnav do.

    Textual reads keys from descriptor 0: what was standard input moves to a
    descriptor of its own (``sys.stdin``, which ``-`` is read from) and 0
    becomes the terminal.
    """
    try:
        terminal = os.open("/dev/tty", os.O_RDWR)
    except OSError as error:
        raise UsageError(f"standard input is piped and no terminal can be opened for the keys ({error.strerror})") from None
    piped = os.dup(0)
    os.dup2(terminal, 0)
    os.close(terminal)
    sys.stdin = open(piped, encoding="utf-8", errors="replace", closefd=True)  # noqa: SIM115 - standard input for the process' life


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except ValueError:  # a closed stream
        return False


def _socket_source(address: tuple[str, int]) -> SocketSource:
    from logview.core.sources.socket import SocketSource
    from logview.core.sources.socket_listener import SocketListener

    try:
        return SocketSource(SocketListener(*address))
    except OSError as error:
        raise UsageError(f"cannot listen on {address[0]}:{address[1]}: {error.strerror or error}") from None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    raise_descriptor_limit()
    try:
        if "--demo" in arguments:
            return run_demo_command(arguments)
        settings = parse_settings(arguments)
        for problem in settings.config_problems:
            say(problem)
        if settings.explain:
            return run_explain(settings)
        # Piped into another program (or run without a terminal), records are printed, as --print.
        if not settings.print_mode and _is_terminal(sys.stdout):
            return run_viewer(settings)
        return run_print(settings)
    except UsageError as error:
        say(f"usage error: {error}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - logview's own failure: one line, the traceback kept in a file
        from logview.crash import report_crash

        return report_crash(error)


def run_demo_command(arguments: Sequence[str]) -> int:
    """``logview --demo``: the viewer on a multi-process demo program (logview.demo)."""
    try:
        args = build_parser().parse_args(list(arguments))
        if args.workers < 1 or args.rate <= 0:
            raise UsageError("--workers must be at least 1 and --rate above 0")
        if not (_is_terminal(sys.stdout) and _is_terminal(sys.stdin)):
            raise UsageError("--demo opens the viewer: run it in a terminal (python -m logview.demo --to DIR writes files instead)")
    except UsageError as error:
        say(f"usage error: {error}")
        return EXIT_USAGE
    from logview.demo import run_demo

    return run_demo(args.workers, args.rate)


def _silence_stdout() -> None:
    """Standard output can no longer be written: what is left in its buffer goes nowhere, not into an error at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
