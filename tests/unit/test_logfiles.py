"""The test helpers that write logs: a logger they reuse by name writes even after another test's dictConfig."""

from __future__ import annotations

import logging
import logging.config
from pathlib import Path

from tests.unit.logfiles import named_logger


def test_a_logger_disabled_by_a_dict_config_writes_again_when_reused(tmp_path: Path) -> None:
    """dictConfig disables the loggers it does not name; test_mixed_formats once lost 28 of 30 runs' records to one."""
    first = logging.FileHandler(tmp_path / "first.log")
    with named_logger(first, "logfiles.reused") as logger:
        logger.warning("before")
    loggers = [item for item in logging.Logger.manager.loggerDict.values() if isinstance(item, logging.Logger)]
    enabled = [item for item in loggers if not item.disabled]
    try:
        logging.config.dictConfig({"version": 1, "loggers": {}})  # disable_existing_loggers: True, as a test's config has it
        second = logging.FileHandler(tmp_path / "second.log")
        with named_logger(second, "logfiles.reused") as logger:
            logger.warning("after")
    finally:
        for item in enabled:  # the other tests' loggers, as they were
            item.disabled = False
    assert (tmp_path / "second.log").read_text().strip() == "after"
