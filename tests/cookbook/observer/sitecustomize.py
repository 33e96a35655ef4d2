"""Ground truth for the cookbook tests: every record a stream or file handler writes, as it writes it.

Put on PYTHONPATH of an example's process (and so of every process it
starts, whatever the start method) with LOGVIEW_OBSERVED naming a
directory: each record a handler emits is appended, after it was written,
to ``observed-PID.jsonl`` there, with where it went and its fields. The
example's code is not touched.
"""

from __future__ import annotations

import json
import logging
import os

_DIRECTORY = os.environ.get("LOGVIEW_OBSERVED")


def _target(handler: logging.StreamHandler) -> str:
    name = getattr(handler, "baseFilename", None)
    if name is not None:
        return os.path.basename(name)
    return str(getattr(handler.stream, "name", "?"))


def _observe() -> None:
    emit = logging.StreamHandler.emit

    def observed_emit(self: logging.StreamHandler, record: logging.LogRecord) -> None:
        emit(self, record)
        fields = {
            "target": _target(self),
            "writer": os.getpid(),
            "name": record.name,
            "levelname": record.levelname,
            "levelno": record.levelno,
            "process": record.process,
            "processName": record.processName,
            "threadName": record.threadName,
            "created": record.created,
            "msecs": record.msecs,
            "relativeCreated": record.relativeCreated,
            "message": record.getMessage(),
        }
        with open(os.path.join(str(_DIRECTORY), f"observed-{os.getpid()}.jsonl"), "a", encoding="utf-8") as side:
            side.write(json.dumps(fields) + "\n")

    logging.StreamHandler.emit = observed_emit  # type: ignore[method-assign]


if _DIRECTORY:
    _observe()
