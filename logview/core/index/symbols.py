"""Symbol tables: the strings a column refers to by a small integer code.

Code 0 always means "absent", so a zero-filled column is a column of nothing.
Codes are assigned per distinct value seen in a batch, never per record.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from logview.core.index.host_clocks import HostClocks
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
    """Processes as (pid, processName, host) triples: a format may log either name, and a pid is one process per host.

    ``host`` is None for what runs here (files, a queue) and names the
    machine for records that say which (the journal's ``_HOSTNAME``, a
    sender's address): pid 1234 on two hosts is two processes, and the Host
    pane filters through this table, so the timeline keeps no host column.
    """

    def __init__(self) -> None:
        self._codes: dict[tuple[int | None, str | None, str | None], int] = {}
        self.pids: list[int | None] = [None]
        self.names: list[str | None] = [None]
        self.hosts: list[str | None] = [None]
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.pids)

    def code(self, pid: int | None, name: str | None, host: str | None = None) -> int:
        key = (pid, name, host)
        found = self._codes.get(key)
        if found is not None:
            return found
        if pid is None and name is None and host is None:
            return 0
        with self._lock:
            found = self._codes.get(key)
            if found is None:
                found = len(self.pids)
                self.pids.append(pid)
                self.names.append(name)
                self.hosts.append(host)
                self._codes[key] = found
            return found

    def codes_for_pids(self, pids: Sequence[int]) -> list[int]:
        wanted = set(pids)
        return [code for code, pid in enumerate(self.pids) if pid is not None and pid in wanted]

    def codes_for_hosts(self, hosts: Iterable[str]) -> list[int]:
        """The processes on these hosts."""
        wanted = set(hosts)
        return [code for code, host in enumerate(self.hosts) if host is not None and host in wanted]

    def host_names(self) -> list[str]:
        """The hosts seen, in the order they were first seen."""
        return list(dict.fromkeys(host for host in self.hosts if host is not None))

    def label(self, code: int) -> str:
        pid, name, host = self.pids[code], self.names[code], self.hosts[code]
        label = (f"{pid} ({name})" if name else str(pid)) if pid is not None else (name or "-")
        return f"{host}: {label}" if host is not None else label


#: Bits given to each code when a (level, logger, process) triple is packed into one integer.
_FIELD_BITS = 21
#: A chunk's triples are counted in a table of every (level, logger, process) its codes could form when that
#: table has at most this many cells per record: bounded by the chunk's own size, cheaper than sorting it.
_DENSE_CELLS_PER_RECORD = 4


class FacetTable:
    """The (level, logger, process) triples that occur, each under one dense code.

    A log holds a few hundred distinct triples at most (levels × loggers ×
    processes that really log together), so the timeline stores one 2-byte
    facet code per record instead of three codes (5 bytes): 30 MB less for 10
    million records. A filter on any of the three becomes a table over the
    triples, and the panes' counts are one ``bincount`` of the facet column.
    Code 0 is (0, 0, 0): a record with none of them.
    """

    def __init__(self) -> None:
        self._codes: dict[tuple[int, int, int], int] = {(0, 0, 0): 0}
        self._triples: list[tuple[int, int, int]] = [(0, 0, 0)]
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._triples)

    def codes(self, levels: np.ndarray, loggers: np.ndarray, processes: np.ndarray) -> np.ndarray:
        """The facet code of each record, given its three symbol codes (one chunk at a time)."""
        if len(levels) == 0:
            return np.zeros(0, dtype=np.uint32)
        spans = [int(np.max(values)) + 1 for values in (levels, loggers, processes)]
        if spans[0] * spans[1] * spans[2] <= max(_DENSE_CELLS_PER_RECORD * len(levels), 1 << 12):
            return self._dense_codes(levels, loggers, processes, spans)
        columns = [np.asarray(values, dtype=np.uint64) for values in (levels, loggers, processes)]
        if max(spans) <= 1 << _FIELD_BITS:
            packed = (columns[0] << 2 * _FIELD_BITS) | (columns[1] << _FIELD_BITS) | columns[2]
            distinct, inverse = np.unique(packed, return_inverse=True)
            mask = (1 << _FIELD_BITS) - 1
            triples = [(key >> 2 * _FIELD_BITS, (key >> _FIELD_BITS) & mask, key & mask) for key in distinct.tolist()]
        else:
            # Millions of distinct loggers or processes: rare enough for the slower row-wise unique.
            rows, inverse = np.unique(np.stack(columns, axis=1), axis=0, return_inverse=True)
            triples = [tuple(row) for row in rows.tolist()]
        table = np.fromiter((self.code(*triple) for triple in triples), dtype=np.uint32, count=len(triples))
        return table[inverse.reshape(-1)]

    def _dense_codes(self, levels: np.ndarray, loggers: np.ndarray, processes: np.ndarray, spans: list[int]) -> np.ndarray:
        """``codes`` when every triple the chunk's codes could form fits a small table: a count per cell, no sort.

        np.unique sorted each chunk's records to find its few distinct
        triples: a tenth of a chunk's parse. A record's cell number orders
        the triples as the packed keys do, so codes are given in the same order.
        """
        _, logger_span, process_span = spans
        cells = np.asarray(levels, dtype=np.int64) * logger_span
        cells += loggers
        cells *= process_span
        cells += processes
        present = np.flatnonzero(np.bincount(cells, minlength=spans[0] * logger_span * process_span))
        level_of, logger_of, process_of = (
            present // (logger_span * process_span),
            present // process_span % logger_span,
            present % process_span,
        )
        table = np.zeros(spans[0] * logger_span * process_span, dtype=np.uint32)
        table[present] = [self.code(*triple) for triple in zip(level_of.tolist(), logger_of.tolist(), process_of.tolist(), strict=True)]
        return table[cells]

    def code(self, level: int, logger: int, process: int) -> int:
        key = (level, logger, process)
        found = self._codes.get(key)
        if found is not None:
            return found
        with self._lock:
            found = self._codes.get(key)
            if found is None:
                found = len(self._triples)
                self._triples.append(key)
                self._codes[key] = found
                self._arrays = None
            return found

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(level code, logger code, process code) of every facet, indexed by facet code."""
        arrays = self._arrays
        if arrays is None or len(arrays[0]) != len(self._triples):
            with self._lock:
                triples = np.array(self._triples, dtype=np.int64).reshape(-1, 3)
                arrays = (triples[:, 0].copy(), triples[:, 1].copy(), triples[:, 2].copy())
                self._arrays = arrays
        return arrays


@dataclass(slots=True)
class Symbols:
    """The symbol tables one timeline shares with every parser that feeds it: a code means the same in every chunk."""

    levels: LevelTable
    loggers: SymbolTable
    processes: ProcessTable
    facets: FacetTable
    #: Each host's clock against this machine's, from the records received live (host_clocks.py).
    clocks: HostClocks = field(default_factory=HostClocks)

    def received(self, facets: np.ndarray, times: np.ndarray) -> None:
        """Records of these facets were just received, holding these times: each host's clock is measured on them."""
        self.clocks.observe_received(self.facets.arrays()[2][facets], times, self.processes.hosts)
