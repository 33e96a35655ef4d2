"""Command line: arguments → settings → the sources (source_kinds.py) → the headless printer or the app.

Only the standard library is imported before the arguments are understood:
``--help`` and ``--version`` answer at once, and the engine (numpy, polars)
and the app (Textual) are loaded by the mode that needs them (settings.py
reads the arguments; print_command.py and viewer_command.py are the modes).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from logview.core.inputs.descriptor_limit import raise_descriptor_limit
from logview.core.say import say
from logview.print_command import run_explain, run_explain_hosts, run_print
from logview.settings import UsageError, build_parser, is_terminal, parse_settings
from logview.viewer_command import run_viewer

EXIT_USAGE = 2
#: What shells expect after Ctrl+C (128 + SIGINT).
EXIT_INTERRUPTED = 130


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
        if settings.explain_hosts:
            return run_explain_hosts(settings)
        # Piped into another program (or run without a terminal), records are printed, as --print.
        if not settings.print_mode and is_terminal(sys.stdout):
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
        if args.workers < 1 or args.rate <= 0 or (args.hosts is not None and not 1 <= args.hosts <= 200):
            raise UsageError("--workers must be at least 1, --hosts from 1 to 200, and --rate above 0")
        if not (is_terminal(sys.stdout) and is_terminal(sys.stdin)):
            raise UsageError("--demo opens the viewer: run it in a terminal (python -m logview.demo --to DIR writes files instead)")
    except UsageError as error:
        say(f"usage error: {error}")
        return EXIT_USAGE
    if args.hosts is not None:
        return _run_hosts_demo(args.hosts, args.rate)
    from logview.demo import run_demo

    return run_demo(args.workers, args.rate)


def _run_hosts_demo(hosts: int, rate: float) -> int:
    """``--demo --hosts N``; without systemd-journal-remote, one line saying what to install."""
    from logview.demo import run_hosts_demo
    from logview.journal_upload import journal_remote_path

    if journal_remote_path() is None:
        say("--demo --hosts needs systemd-journal-remote: install it (Debian and Ubuntu: apt-get install systemd-journal-remote)")
        return EXIT_USAGE
    try:
        return run_hosts_demo(hosts, rate)
    except OSError as error:
        say(f"--demo --hosts: {error}")
        return 1
