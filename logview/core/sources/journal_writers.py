"""Who writes a followed journal directory, and whether it still runs: from /proc, as the files cannot tell.

A collector that crashes leaves its files as they were: systemd-journal-remote
sets a file's header state to OFFLINE after each write whether it goes on
running or not, and its directory stays. So the process is looked for
instead (Linux's /proc), and told of when it exits and when a writer comes
back. A writer is

- a process holding one of the journal files open for writing: a link in
  ``/proc/PID/fd`` to the file (the same device and inode) whose
  ``/proc/PID/fdinfo/N`` flags are O_WRONLY or O_RDWR (journald, anything
  that writes a journal file);
- a systemd-journal-remote whose ``--output`` is the directory or inside it:
  it keeps a host's file open only while that host's connection lasts
  (systemd 252: a sender that posts and hangs up leaves it no descriptor
  until the next post), so its descriptors alone would find it only now
  and then.

Another user's descriptors (and working directory) are not readable
without privileges: such a process is not found by them, and nothing is
said of it, never that it stopped. Its command line and ``/proc/PID/stat``
are readable (unless /proc hides other users' processes: then nothing is
found), so a collector is found and followed all the same.

Looking for writers walks every process: the command lines first (1–2 ms
here for a hundred processes), and only when no collector is found, every
descriptor (8–18 ms for their 700; 0.2 s for 400 processes holding 17,000).
So it is done rarely: when following starts, then only while no writer is
known and the files changed, at most every ``SCAN_SECONDS`` (longer and
longer while the files change and nobody is found). A writer found is
checked at every look by its ``/proc/PID/stat``: there, the same start time
(a pid given to another process is not the writer) and not a zombie.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import NamedTuple

__all__ = ["COLLECTOR", "SCAN_SECONDS", "Writer", "WriterWatch", "collector_output", "running", "writers"]

#: The collector's program name, as its command line's first word ends.
COLLECTOR = "systemd-journal-remote"
#: Where systemd-journal-remote writes when its command line does not say (its REMOTE_JOURNAL_PATH).
COLLECTOR_OUTPUT = "/var/log/journal/remote"
#: Seconds between two walks over the processes, at the least, while no writer is known.
SCAN_SECONDS = 2.0
#: The longest wait between walks while the files change and no writer is found (one of another user's, say).
SCAN_SECONDS_MOST = 60.0
#: /proc/PID/stat's fields after the name: the state is the first (field 3), the start time the 20th (field 22).
_STATE, _START = 0, 19


class Writer(NamedTuple):
    """A process, known by its pid and its start time (clock ticks after boot), with the name the user knows it by."""

    pid: int
    start: int
    name: str


def _stat(pid: int) -> list[bytes]:
    """``/proc/PID/stat``'s fields after the name (which may hold spaces and parentheses)."""
    with open(f"/proc/{pid}/stat", "rb") as stat:
        data = stat.read()
    return data[data.rindex(b")") + 2 :].split()


def _argv(pid: int) -> list[str]:
    """Its command line (empty for a kernel thread, or when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            data = cmdline.read()
    except OSError:
        return []
    return [argument.decode("utf-8", "replace") for argument in data.split(b"\0")[:-1]]


def _writer(pid: int, argv: list[str] | None = None) -> Writer | None:
    """The process ``pid`` as a writer; None when it is gone or a zombie already.

    Its name is its program's as run (``systemd-journal-remote``) when its
    short name (``/proc/PID/comm``, cut to 15 characters: the collector's
    reads ``systemd-journal``, as journald's does) begins it, else that
    short name (a program that rewrote its command line).
    """
    try:
        fields = _stat(pid)
        with open(f"/proc/{pid}/comm", "rb") as comm:
            name = comm.read().decode("utf-8", "replace").rstrip("\n")
    except (OSError, ValueError, IndexError):
        return None
    if fields[_STATE] in (b"Z", b"X"):
        return None
    argv = _argv(pid) if argv is None else argv
    program = os.path.basename(argv[0]) if argv else ""
    return Writer(pid, int(fields[_START]), program if name and program.startswith(name) else name)


def running(writer: Writer) -> bool:
    """Whether ``writer`` still runs: False only when it surely does not (gone, a zombie, its pid another process's)."""
    try:
        fields = _stat(writer.pid)
    except (FileNotFoundError, ProcessLookupError):
        return False
    except (OSError, ValueError, IndexError):
        return True  # not readable: nothing can be said of it
    return fields[_STATE] not in (b"Z", b"X") and int(fields[_START]) == writer.start


def collector_output(argv: list[str]) -> str:
    """Where a systemd-journal-remote run with ``argv`` writes: its ``--output`` (``-o``, or a long option's prefix), or the default."""
    output = COLLECTOR_OUTPUT
    arguments = iter(argv[1:])
    for argument in arguments:
        if argument == "--":
            break
        if argument.startswith("--"):
            name, equals, value = argument[2:].partition("=")
            if name and "output".startswith(name):
                output = value if equals else next(arguments, output)
        elif argument.startswith("-o"):
            output = argument[2:] or next(arguments, output)
    return output


def _inside(path: str, directories: list[str]) -> bool:
    return any(path == directory or path.startswith(directory.rstrip(os.sep) + os.sep) for directory in directories)


def _collects_into(pid: int, argv: list[str], directories: list[str]) -> bool:
    """Whether ``pid`` is a systemd-journal-remote writing into one of ``directories`` (real paths)."""
    if not directories or not argv or os.path.basename(argv[0]) != COLLECTOR:
        return False
    output = collector_output(argv)
    if not os.path.isabs(output):
        try:
            output = os.path.join(os.readlink(f"/proc/{pid}/cwd"), output)
        except OSError:
            return False  # another user's: where it writes cannot be told
    output = os.path.realpath(output)
    # With --split-mode=none, --output names the one file.
    return _inside(os.path.dirname(output) if output.endswith(".journal") else output, directories)


def _writes(pid: int, files: dict[str, tuple[int, int]]) -> bool:
    """Whether ``pid`` holds one of ``files`` (real path: device and inode) open for writing."""
    try:
        descriptors = os.scandir(f"/proc/{pid}/fd")
    except OSError:
        return False  # another user's (or gone)
    with descriptors:
        for descriptor in descriptors:
            try:
                # The link's text first: a stat of every descriptor could hang on a dead network mount.
                if os.readlink(descriptor.path) not in files:
                    continue
                info = os.stat(descriptor.path)
                if (info.st_dev, info.st_ino) not in files.values():
                    continue
                with open(f"/proc/{pid}/fdinfo/{descriptor.name}", "rb") as fdinfo:
                    flags = next(int(line.split()[1], 8) for line in fdinfo if line.startswith(b"flags:"))
            except (OSError, StopIteration, ValueError, IndexError):
                continue
            if flags & os.O_ACCMODE in (os.O_WRONLY, os.O_RDWR):
                return True
    return False


def writers(paths: Iterable[str], directories: Iterable[str] = ()) -> list[Writer]:
    """The collectors writing into ``directories``; when there is none, the processes holding ``paths`` open for writing.

    As far as /proc lets them be seen. The collectors are found by their
    command lines, one read a process (about 10 µs); the descriptors are
    looked at only when there is none, as each costs about as much.
    """
    try:
        pids = [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return []  # not Linux: nothing is said
    folders = [os.path.realpath(directory) for directory in directories]
    found = []
    for pid in pids if folders else ():
        argv = _argv(pid)
        writer = _writer(pid, argv) if _collects_into(pid, argv, folders) else None
        if writer is not None:
            found.append(writer)
    if found:
        return found
    files: dict[str, tuple[int, int]] = {}
    for path in paths:
        try:
            real = os.path.realpath(path)
            info = os.stat(real)
        except OSError:
            continue
        files[real] = (info.st_dev, info.st_ino)
    for pid in pids if files else ():
        writer = _writer(pid) if _writes(pid, files) else None
        if writer is not None:
            found.append(writer)
    return found


class WriterWatch:
    """The writers of a followed journal, looked at with each look at its files: what is to be told of them."""

    def __init__(self) -> None:
        self.writers: dict[int, Writer] = {}
        #: The files changed since the last walk (following starts: the first look walks).
        self._changed = True
        self._walked: float | None = None
        self._wait = SCAN_SECONDS
        #: A writer's exit was told: the next one found is told too.
        self._exit_told = False

    @property
    def stopped(self) -> bool:
        """A writer exited and none was found since: nothing is written until one is."""
        return self._exit_told

    def look(self, directories: Iterable[str], present: Callable[[], list[str]], changed: bool) -> list[str]:
        """The lines to tell: the known writers that exited, and once one did, the writers found after.

        ``present``: the journal files there now; ``changed``: whether some
        were read at this look (new, or appended to). When the last writer
        known exits, the processes are walked at once: another that started
        meanwhile (a second collector into the same directory) writes on,
        and the exit is told as that, not as the journal's last writer gone.
        """
        exited = [writer for writer in self.writers.values() if not running(writer)]
        for writer in exited:
            del self.writers[writer.pid]
        self._changed = self._changed or changed
        now = time.monotonic()
        walk = not self.writers and (bool(exited) or (self._changed and (self._walked is None or now - self._walked >= self._wait)))
        found: list[Writer] = []
        if walk:
            self._walked, self._changed = now, False
            found = writers(present(), directories)
            self._wait = SCAN_SECONDS if found else min(self._wait * 2, SCAN_SECONDS_MOST)
            self.writers = {writer.pid: writer for writer in found}
        if exited:
            others = ", ".join(f"{writer.name} (pid {writer.pid})" for writer in self.writers.values())
            ending = f"; {others} writes on" if others else ": what it wrote stays shown; following on"
            self._exit_told = self._exit_told or not others
            return [f"its writer {writer.name} (pid {writer.pid}) exited{ending}" for writer in exited]
        if found and self._exit_told:
            self._exit_told = False
            return [f"written again by {writer.name} (pid {writer.pid})" for writer in found]
        return []
