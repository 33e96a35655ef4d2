"""``--print`` and ``--explain-format``: the modes that write to standard output instead of opening the viewer.

``--print`` tries the ways that read less before the one that indexes every
record: plain Python for small inputs and for ``--grep`` over plain files,
then ``--grep``'s hits first. Each says nothing when it declines, so that
the next one prints as if it had been the only one.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, BinaryIO

from logview.core.say import say
from logview.settings import Settings, is_terminal
from logview.source_kinds import sources_for

if TYPE_CHECKING:
    from logview.core.index.status import Problem
    from logview.core.small_print import SmallPrint
    from logview.core.stop_signals import StopSignals

__all__ = ["EXIT_INPUT_ERROR", "EXIT_OK", "EXIT_OUTPUT_ERROR", "run_explain", "run_print"]

EXIT_OK, EXIT_INPUT_ERROR = 0, 1
#: Standard output could not be written (a full disk, an I/O error): as with an input, not all that was asked was done.
EXIT_OUTPUT_ERROR = 1


def run_print(settings: Settings) -> int:
    """``--print``; with ``-f`` or ``--listen``, until a stop signal (Ctrl+C, SIGTERM, SIGHUP), whose status it returns then."""
    if not (settings.follow or settings.listen):
        # The plain-Python paths read files alone: a journal goes through the index.
        status = None if settings.journal is not None else _print_small_inputs(settings)
        if status is None and settings.journal is None:
            status = _print_sparse(settings)
        if status is None and settings.journal is None:
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
    on_terminal = is_terminal(sys.stdout)
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
    return _print_prepared(prepared, [], settings.output, is_terminal(sys.stdout))


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
        printer = Printer(pipeline, sys.stdout.buffer, escape=is_terminal(sys.stdout), on_problem=say)
        try:
            printer.print_view(rows, settings.output)
        except (BrokenPipeError, OutputError) as error:
            return _output_failed(error)
        for message in pipeline.errors:  # a file deleted or replaced while it was read again
            say(message)
    finally:
        pipeline.close()
    return EXIT_INPUT_ERROR if pipeline.errors or printer.problems else EXIT_OK


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
    on_terminal = is_terminal(sys.stdout)
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


def run_explain_hosts(settings: Settings) -> int:
    """``--explain-hosts``: the sources read (with ``-f``, until a stop signal), then a line per host (core/explain_hosts.py)."""
    from logview.core.explain_hosts import host_report
    from logview.core.pipeline import Pipeline
    from logview.core.running_sources import NoEvents
    from logview.core.stop_signals import StopSignals

    class _Told(NoEvents):
        def tell(self, problem: Problem) -> None:
            say(problem.text)

    pipeline = Pipeline(user_formats=settings.formats, named_formats=settings.named_formats, growing=settings.follow)
    with StopSignals() as signals:
        signals.graceful()  # a stop signal ends the reading, and what was read is reported
        sources = sources_for(settings, pipeline, settings.follow)
        for source in sources:
            for problem in source.problems:
                say(problem.text)
        running = pipeline.start(sources, _Told(), stop=signals.stop)
        try:
            running.wait()
        finally:
            running.close()
    try:
        sys.stdout.write("".join(f"{line}\n" for line in host_report(pipeline.timeline)))
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    finally:
        pipeline.close()
    return EXIT_INPUT_ERROR if pipeline.errors or any(source.problems for source in sources) else EXIT_OK


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


def _silence_stdout() -> None:
    """Standard output can no longer be written: what is left in its buffer goes nowhere, not into an error at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
