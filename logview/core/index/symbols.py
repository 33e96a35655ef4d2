"""Symbol tables: the strings a column refers to by a small integer code.

Code 0 always means "absent", so a zero-filled column is a column of nothing.
Codes are assigned per distinct value seen in a batch, never per record.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from logview.core.record import level_number


class SymbolTable:
    """Strings ↔ dense codes, append-only so that codes stay valid while the index grows."""

    def __init__(self) -> None:
        self._codes: dict[str, int] = {}
        self.values: list[str | None] = [None]
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.values)

    def code(self, value: str) -> int:
        found = self._codes.get(value)
        if found is not None:
            return found
        with self._lock:
            found = self._codes.get(value)
            if found is None:
                found = len(self.values)
                self.values.append(value)
                self._added(value)
                self._codes[value] = found
            return found

    def _added(self, value: str) -> None:
        """Called under the lock when ``value`` gets a code: subclasses keep parallel lists."""

    def lookup(self, value: str) -> int | None:
        return self._codes.get(value)

    def items(self) -> list[tuple[int, str]]:
        return [(code, value) for code, value in enumerate(self.values) if value is not None]


class LevelTable(SymbolTable):
    """Level names as logged, each with its numeric level for "this level and above"."""

    def __init__(self) -> None:
        super().__init__()
        self.numbers: list[int | None] = [None]

    def _added(self, value: str) -> None:
        self.numbers.append(level_number(value))

    def set_number(self, code: int, number: int) -> None:
        """Record the levelno logged beside a custom level name."""
        if self.numbers[code] is None:
            self.numbers[code] = number


class ProcessTable:
    """Processes as (pid, processName) pairs: a format may log either or both."""

    def __init__(self) -> None:
        self._codes: dict[tuple[int | None, str | None], int] = {}
        self.pids: list[int | None] = [None]
        self.names: list[str | None] = [None]
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.pids)

    def code(self, pid: int | None, name: str | None) -> int:
        key = (pid, name)
        found = self._codes.get(key)
        if found is not None:
            return found
        if pid is None and name is None:
            return 0
        with self._lock:
            found = self._codes.get(key)
            if found is None:
                found = len(self.pids)
                self.pids.append(pid)
                self.names.append(name)
                self._codes[key] = found
            return found

    def codes_for_pids(self, pids: Sequence[int]) -> list[int]:
        wanted = set(pids)
        return [code for code, pid in enumerate(self.pids) if pid is not None and pid in wanted]

    def label(self, code: int) -> str:
        pid, name = self.pids[code], self.names[code]
        if pid is not None and name:
            return f"{pid} ({name})"
        return str(pid) if pid is not None else (name or "-")
