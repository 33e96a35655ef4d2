"""② Parsing, the second stage of the data flow: a source's bytes → records' columns.

Format strings become regexes, formats nobody named are detected or
inferred, and the bulk parser turns a chunk into the columns the index
(``logview.core.index``) stores; line_record.py reads one record in plain
Python for the paths that need no engine. ``__all__`` names the modules
used from outside the package; the others serve these.
"""

__all__ = [
    "candidates",
    "chunk_parser",
    "detect",
    "format_set",
    "format_string",
    "json_lines",
    "line_record",
    "lines",
    "logging_config",
    "plain_lines",
    "remembered",
    "time_columns",
    "timestamps",
]
