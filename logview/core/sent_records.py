"""The records a logging sender sends, decoded from untrusted bytes.

``SocketHandler`` and ``DatagramHandler`` pickle a dict of a record's
attributes. Network bytes are never given to the plain unpickler: the one used
(:mod:`plain_pickle`) checks the opcodes first and refuses every global, so
only plain data (dicts, strings, numbers, None, lists, tuples) can come in,
within bounds, and what comes in becomes a LogRecord or one FrameError naming
the cause.
"""

from __future__ import annotations

import logging

from logview.core.plain_pickle import FrameError, load_plain

__all__ = ["FrameError", "record_from_frame"]

#: The record attributes a sender may set; anything else in the dict is dropped.
_FIELDS = (
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_text", "stack_info",
    "lineno", "funcName", "created", "msecs", "relativeCreated", "thread", "threadName", "processName", "process",
    "taskName",
)  # fmt: skip


def record_from_frame(payload: bytes, sender: str) -> logging.LogRecord:
    """The LogRecord of one frame's pickled dict, tagged with its sender; raises FrameError."""
    data = load_plain(payload)
    if not isinstance(data, dict):
        raise FrameError(f"not a record: a pickled {type(data).__name__}")
    fields = {key: data[key] for key in _FIELDS if key in data}
    if not isinstance(fields.get("created", 0.0), int | float) or not isinstance(fields.get("levelno", 0), int):
        raise FrameError("not a record: its time or level is not a number")
    record = logging.makeLogRecord(fields)
    if not isinstance(record.msg, str):
        record.msg = str(record.msg)
    if not isinstance(record.args, tuple | dict) or record.args == ():
        record.args = None
    try:
        record.getMessage()
    except Exception:  # noqa: BLE001 - a sender's args must not break the viewer
        record.msg, record.args = f"{record.msg} {record.args!r}", None
    record.processName = f"{record.processName}@{sender}"
    return record
