"""How a source that knows its records' fields writes them as text (a spool), and how the text is read back.

A logging queue and the journal hand over fields, not lines; the source
writes each record as one tab-separated line (more when its message has
newlines), so that search, read-back, printing and the detail view treat
it like a file's records, and indexes it from the fields in hand.
"""

from __future__ import annotations

import re

from logview.core.parse.format_string import LogFormat, compile_format

__all__ = ["spool_format"]


def spool_format(fmt: str, written_in_utc: bool) -> LogFormat:
    """``fmt`` (``%(asctime)s``, fields, ``%(message)s``, all tab-separated), each field read back as whatever lies between its tabs.

    The regexes compiled for files expect a file's field shapes: a level in
    capitals, a logger name without spaces, a process id in digits. These
    records hold what the program gave them ("my app", a process of None):
    read with those, their line would not match, and the message shown would
    be the whole spool line.
    """
    names = re.findall(r"%\((\w+)\)s", fmt)
    assert names[0] == "asctime" and names[-1] == "message", fmt
    columns = names[1:-1]
    compiled = compile_format(fmt, written_in_utc=written_in_utc)
    stamp = compiled.regex.split("\t", 1)[0]  # ^(?P<asctime>…)
    fields = "\t".join(f"(?P<{name}>[^\t]*)" for name in columns)
    return compiled._replace(
        regex=f"{stamp}\t{fields}\t(?P<message>.*)",
        index_regex=f"{stamp}\t{fields}\t",
        prefix_regex=stamp.replace("(?P<asctime>", "(?:", 1) + "\t[^\t]*" * len(columns) + "\t",
    )
