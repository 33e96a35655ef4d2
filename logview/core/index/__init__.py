"""③ The index and the merge, the third stage of the data flow: parsed columns → one timeline of every source.

Each record is a row of small integers (a time, a facet code, an offset),
with symbol tables for the strings; the merge order puts every source's
records in time order, which the filters and views read as masks and ranks.
``__all__`` names the modules used from outside the package; the others
serve these.
"""

__all__ = [
    "columns",
    "field_sets",
    "host_clocks",
    "key_rules",
    "parsed_chunk",
    "source_state",
    "status",
    "symbols",
    "timeline",
    "written_time",
]
