"""Which of a journal entry's fields its record shows, and the set of the others each entry has, for search (index/field_sets.py).

The others are what the details view shows, less the times journald
stamps on every entry: a search for ``web.service`` or ``CODE_FUNC=handle``
finds the records of that unit or function, a search for ``12`` does not
find every entry stamped in a second with a 12 in it. A field nearly every
entry has its own value of (a request id) would make a set per entry;
it is left out of the sets and said once.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from logview.core.index.field_sets import FieldSets

__all__ = ["SHOWN_FIELDS", "UNSEARCHED_FIELDS", "field_set_codes"]

#: Fields a record shows already (its time, level, logger, process, thread, host and message), and the cursor.
SHOWN_FIELDS = frozenset(
    ("__CURSOR", "__REALTIME_TIMESTAMP", "PRIORITY", "LOGGER", "_PID", "PROCESS_NAME", "THREAD_NAME", "_HOSTNAME", "MESSAGE")
)
#: Fields shown in the details but not searched: a time or a counter on every entry. Address fields (``__…``) are not either.
UNSEARCHED_FIELDS = SHOWN_FIELDS | frozenset(("_SOURCE_REALTIME_TIMESTAMP", "_SOURCE_MONOTONIC_TIMESTAMP", "SYSLOG_TIMESTAMP"))
#: Sets there may be before the most varied field is left out: one for eight records, and no fewer than this.
NEW_SETS_MIN = 1024


def field_set_codes(lines: pl.Series, keys: pl.Series, entry: np.ndarray, count: int, field_sets: FieldSets) -> np.ndarray:
    """The set code of each of ``count`` entries, whose export lines are ``lines`` (``keys`` their field names, ``entry`` their entry).

    Each entry's set is named by the sum of its lines' hashes, so entries
    are grouped without their text; the text of a set not seen before is
    taken from its first entry.
    """
    while True:
        left_out = list(UNSEARCHED_FIELDS | field_sets.unsearched)
        searched = (~keys.is_in(left_out) & ~keys.str.starts_with("__") & (keys != "")).fill_null(False)
        picked = searched.to_numpy()
        owners = entry[picked]
        values = lines.filter(searched)
        hashes = np.zeros(count, dtype=np.uint64)
        if len(owners):
            starts = np.concatenate([[0], np.flatnonzero(owners[1:] != owners[:-1]) + 1])
            hashes[owners[starts]] = np.add.reduceat(values.hash().to_numpy(), starts)
        if field_sets.sets + field_sets.unknown(np.unique(hashes)) <= max(NEW_SETS_MIN, (len(field_sets) + count) // 8):
            break
        field_sets.unsearched.add(_most_varied(keys.filter(searched), values))

    def lines_of(positions: np.ndarray) -> tuple[pl.Series, np.ndarray]:
        chosen = np.flatnonzero(np.isin(owners, positions))
        order = np.argsort(positions)
        return values.gather(chosen), order[np.searchsorted(positions[order], owners[chosen])]

    return field_sets.codes_for(hashes, lines_of)


def _most_varied(keys: pl.Series, values: pl.Series) -> str:
    """The field with the most distinct values in a batch: left out when the batch would add too many sets."""
    counts = pl.DataFrame({"key": keys, "value": values}).group_by("key").agg(pl.col("value").n_unique()).sort("value", descending=True)
    return str(counts["key"][0])
