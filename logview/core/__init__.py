"""The engine, without Textual: every stage of the data flow, for the printer and the viewer alike.

Records flow one way: ``sources`` (files, followed files, a logging queue, a
socket; the files' bytes read through ``inputs``) → ``parse`` (format
strings, detection, the bulk parser) → ``index`` (the column store and the
merge order) → the filters (filters.py, masks.py, text_search.py,
selection.py) → what the views and the printer read (records.py,
display_lines.py, histogram.py, seek.py). pipeline.py wires them once
(Pipeline.start runs the sources: running_sources.py); session.py holds the
viewer's state and requests without its widgets; the ``--print`` paths
(printer.py, small_print.py, sparse_print.py, grep_first.py, live_print.py)
read it headless, and ``logview.ui`` shows it. ``__all__`` names the modules
used from outside the package; the others serve these.
"""

__all__ = [
    "config",
    "display_lines",
    "explain_format",
    "explain_hosts",
    "filters",
    "first_match",
    "grep_first",
    "histogram",
    "index",
    "inputs",
    "live_print",
    "masks",
    "memory",
    "newest",
    "output",
    "parse",
    "pipeline",
    "printer",
    "record",
    "record_text",
    "records",
    "running_sources",
    "say",
    "search_state",
    "seek",
    "selection",
    "session",
    "small_print",
    "source_catalogue",
    "sources",
    "sparse_print",
    "stop_signals",
    "user_time",
    "version",
    "view_rows",
    "visible_text",
    "zones",
]
