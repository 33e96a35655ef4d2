"""The user's config file: named formats tried before the catalogue, and the viewer's defaults.

``$XDG_CONFIG_HOME/logview/config.toml`` (``~/.config/logview/config.toml``)
says once what a user would otherwise repeat with ``--format`` on every run.
A file that cannot be used is never fatal: each problem is one line naming
the file, the line and the cause, and logview goes on with its defaults, as
if there were no config file (half a config would be applied silently).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from fnmatch import fnmatch
from functools import lru_cache
from typing import NamedTuple, TypeVar

from logview.core.inputs.rotation import parse_rotation_name
from logview.core.parse.format_string import STYLES, FormatError, LogFormat, compile_format
from logview.core.parse.timestamps import DateFormatError, compile_datefmt

__all__ = ["Config", "NamedFormat", "ViewerDefaults", "config_path", "formats_for", "load_config", "previous_for"]

_FORMAT_KEYS = ("format", "style", "datefmt", "files", "utc")
_VIEWER_KEYS = ("theme", "sidebar", "utc")
_TOP_KEYS = ("formats", "viewer")

F = TypeVar("F")


class NamedFormat(NamedTuple):
    """A ``[formats.NAME]`` table: a format, and the files it is tried on first (every file when ``files`` is empty)."""

    name: str
    log_format: LogFormat
    files: tuple[str, ...] = ()
    #: Times without a zone were written in UTC (``Formatter.converter = time.gmtime``).
    utc: bool = False

    def applies_to(self, input_name: str) -> bool:
        """Whether ``input_name`` matches one of the globs, by its path or its file name.

        A rotated copy (``app.log.2.gz``) is matched by its set's name too
        (``app.log``): a glob written for the live file covers the set.
        """
        if not self.files:
            return True
        return any(fnmatch(name, glob) for name in _names_to_match(input_name) for glob in self.files)


class ViewerDefaults(NamedTuple):
    """The ``[viewer]`` table; None: not set, the viewer decides (the sidebar by the terminal's width)."""

    theme: str | None = None
    sidebar: bool | None = None
    utc: bool | None = None
    #: Where ``theme`` was set (``FILE:LINE``): the viewer, which knows its themes, names it if it has no such theme.
    theme_at: str = ""


class Config(NamedTuple):
    """What the config file says, or the defaults and the ``problems`` that made it unusable."""

    formats: tuple[NamedFormat, ...] = ()
    viewer: ViewerDefaults = ViewerDefaults()
    #: One line each: ``FILE:LINE: cause``.
    problems: tuple[str, ...] = ()
    path: str = ""


def config_path() -> str:
    home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(home, "logview", "config.toml")


def formats_for(input_name: str, user_formats: Sequence[LogFormat], named: Iterable[NamedFormat]) -> tuple[LogFormat, ...]:
    """The formats tried first on an input: the command line's (every input), then the config's that apply to it."""
    return (*user_formats, *(item.log_format for item in named if item.applies_to(input_name)))


def previous_for(input_name: str, previous: F, named: Iterable[NamedFormat]) -> F | None:
    """The format of the input before, to try first on this one (detect_after) unless it is a named format that does not apply.

    Reusing the previous input's format spares detecting each file of a
    rotation set; but a format the config gave to ``svc*.log`` is not the
    user's word for ``other.log``, even where it happens to read it.
    """
    if any(previous == item.log_format and not item.applies_to(input_name) for item in named):
        return None
    return previous


def load_config(path: str | None = None) -> Config:
    """The config at ``path`` (the XDG one by default); an empty Config when there is none.

    tomllib (about 10 ms to import) is loaded only when there is a file.
    """
    path = path or config_path()
    try:
        os.stat(path)
    except OSError:
        # Missing, or in a directory this user cannot search (another user's $XDG_CONFIG_HOME, kept by sudo): none.
        return Config(path=path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        return _unusable(path, [f"{path}: cannot read: {error.strerror or error}"])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return _unusable(path, [f"{path}:{line}: not UTF-8 text (byte {error.start})"])
    import tomllib

    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return _unusable(path, [_syntax_problem(path, str(error), max(len(text.splitlines()), 1))])
    reader = _Reader(path, text)
    config = reader.config(table)
    return _unusable(path, reader.problems) if reader.problems else config


def _unusable(path: str, problems: list[str]) -> Config:
    return Config(problems=tuple(f"{problem}; the config file is ignored" for problem in problems), path=path)


def _syntax_problem(path: str, message: str, last_line: int) -> str:
    """tomllib's "Invalid value (at line 3, column 9)" as ``FILE:3: invalid TOML: Invalid value (column 9)``."""
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)", message)
    if found is None:
        return f"{path}:{last_line}: invalid TOML: {message.replace('(at end of document)', '(at the end of the file)')}"
    cause = message[: found.start()] + message[found.end() :]
    return f"{path}:{found[1]}: invalid TOML: {cause} (column {found[2]})"


class _Reader:
    """Checks the parsed table key by key, collecting one problem line for each thing wrong."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = _KeyLines(text)
        self.problems: list[str] = []

    def problem(self, key: tuple[str, ...], cause: str) -> None:
        self.problems.append(f"{self.at(key)}: {cause}")

    def at(self, key: tuple[str, ...]) -> str:
        return f"{self.path}:{self.lines.line_of(key)}"

    def config(self, table: dict[str, object]) -> Config:
        self.unknown_keys((), table, _TOP_KEYS)
        formats_table = self.table(("formats",), table.get("formats", {}))
        formats = [self.named_format(name, value) for name, value in formats_table.items()]
        viewer = self.viewer(self.table(("viewer",), table.get("viewer", {})))
        return Config(tuple(item for item in formats if item is not None), viewer, path=self.path)

    def table(self, key: tuple[str, ...], value: object) -> dict[str, object]:
        if isinstance(value, dict):
            return value
        self.problem(key, f"{_dotted(key)} must be a table ([{_dotted(key)}]), not {_kind(value)}")
        return {}

    def unknown_keys(self, key: tuple[str, ...], table: dict[str, object], known: tuple[str, ...]) -> None:
        for name in table:
            if name not in known:
                where = f"[{_dotted(key)}]: " if key else ""
                self.problem((*key, name), f"{where}unknown key {name!r} (known: {', '.join(known)})")

    def typed(self, key: tuple[str, ...], table: dict[str, object], kind: type, kind_name: str) -> object:
        value = table.get(key[-1])
        if value is None or (isinstance(value, kind) and (kind is bool or not isinstance(value, bool))):
            return value
        self.problem(key, f"{_dotted(key)} must be {kind_name}, not {_kind(value)}")
        return None

    def named_format(self, name: str, value: object) -> NamedFormat | None:
        key = ("formats", name)
        spec = self.table(key, value)
        if not isinstance(value, dict):
            return None
        self.unknown_keys(key, spec, _FORMAT_KEYS)
        fmt = self.typed((*key, "format"), spec, str, "a string")
        style = self.typed((*key, "style"), spec, str, "a string") or "%"
        datefmt = self.typed((*key, "datefmt"), spec, str, "a string")
        utc = self.typed((*key, "utc"), spec, bool, "true or false")
        files = self.globs((*key, "files"), spec.get("files"))
        if "format" not in spec:
            self.problem(key, f"[{_dotted(key)}] has no format = '...'")
        if not isinstance(fmt, str) or not isinstance(style, str) or (datefmt is not None and not isinstance(datefmt, str)):
            return None
        if style not in STYLES:
            self.problem((*key, "style"), f"{_dotted(key)}.style must be one of {', '.join(STYLES)}, not {style!r}")
            return None
        if datefmt is not None:
            try:
                compile_datefmt(datefmt)
            except DateFormatError as error:
                self.problem((*key, "datefmt"), f"{_dotted(key)}.datefmt: {error}")
                return None
        try:
            log_format = compile_format(fmt, style, datefmt, origin=f"config: {name}", written_in_utc=utc is True)
        except FormatError as error:
            self.problem((*key, "format"), f"{_dotted(key)}.format (style {style!r}): {error}")
            return None
        return NamedFormat(name, log_format, files, bool(utc))

    def globs(self, key: tuple[str, ...], value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(key, f'{_dotted(key)} must be a list of globs, e.g. ["*.log"], not {_kind(value)}')
            return ()
        for glob in value:
            cause = _glob_problem(glob)
            if cause:
                self.problem(key, f"{_dotted(key)}: bad glob {glob!r}: {cause}")
        return tuple(os.path.expanduser(glob) for glob in value)

    def viewer(self, table: dict[str, object]) -> ViewerDefaults:
        self.unknown_keys(("viewer",), table, _VIEWER_KEYS)
        theme = self.typed(("viewer", "theme"), table, str, "a theme's name")
        sidebar = self.typed(("viewer", "sidebar"), table, bool, "true or false")
        utc = self.typed(("viewer", "utc"), table, bool, "true or false")
        return ViewerDefaults(
            theme if isinstance(theme, str) else None,
            sidebar if isinstance(sidebar, bool) else None,
            utc if isinstance(utc, bool) else None,
            self.at(("viewer", "theme")) if theme is not None else "",
        )


def _glob_problem(glob: str) -> str:
    """Why a glob would never match what it was meant to, or ""."""
    if not glob.strip():
        return "empty"
    if "\0" in glob:
        return "holds a NUL character"
    at = 0
    while (at := glob.find("[", at)) >= 0:
        # As fnmatch reads a set: "!" first negates, and a "]" right after the opening is a member.
        end = at + 1
        if glob[end : end + 1] == "!":
            end += 1
        if glob[end : end + 1] == "]":
            end += 1
        close = glob.find("]", end)
        if close < 0:
            return f"'[' at position {at} is never closed (fnmatch would look for a literal '[')"
        at = close + 1
    return ""


@lru_cache(maxsize=4096)
def _names_to_match(input_name: str) -> frozenset[str]:
    """The names a glob is matched against, once per input (a follower detects each new rotated copy's format)."""
    names = {input_name, parse_rotation_name(input_name).base}
    if input_name != "-":
        names |= {os.path.abspath(name) for name in list(names)}
        names |= {os.path.basename(name) for name in list(names)}
    return frozenset(names)


def _dotted(key: tuple[str, ...]) -> str:
    return ".".join(part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else repr(part) for part in key)


def _kind(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


class _KeyLines:
    """Where a key is in the TOML text: tomllib gives lines for syntax errors only.

    Headers (``[a.b]``, ``[[a]]``) set the current table and ``k = v`` lines
    (dotted or not) name keys under it; a key in an inline table is found by
    its nearest enclosing key that is. Quoted key parts are unquoted, not
    unescaped: enough to find the line of a key a user wrote.
    """

    _HEADER = re.compile(r"^\s*\[\[?\s*(?P<key>[^\]]+?)\s*\]\]?\s*(?:#.*)?$")
    _ASSIGN = re.compile(r"^\s*(?P<key>(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=")
    _PART = re.compile(r"[A-Za-z0-9_-]+|\"([^\"]*)\"|'([^']*)'")

    def __init__(self, text: str) -> None:
        self.keys: list[tuple[tuple[str, ...], int]] = []
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), 1):
            header = self._HEADER.match(line)
            if header:
                table = self._parts(header["key"])
                self.keys.append((table, number))
                continue
            assign = self._ASSIGN.match(line)
            if assign:
                self.keys.append(((*table, *self._parts(assign["key"])), number))

    def _parts(self, dotted: str) -> tuple[str, ...]:
        return tuple(next(group for group in (found[1], found[2], found[0]) if group is not None) for found in self._PART.finditer(dotted))

    def line_of(self, key: tuple[str, ...]) -> int:
        """The line of ``key``; else of the first key under it (``[formats.x]`` for ``formats``); else of the nearest above it."""
        for found, number in self.keys:
            if found[: len(key)] == key:
                return number
        for length in range(len(key) - 1, 0, -1):
            for found, number in self.keys:
                if found == key[:length]:
                    return number
        return 1
