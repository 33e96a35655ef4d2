"""--logging-config reads the formatters of dictConfig (JSON, YAML, TOML) and fileConfig (INI) files."""

from __future__ import annotations

import json
import logging.config
from pathlib import Path

import pytest

from logview.core.parse.logging_config import ConfigError, formats_from_config

FMT = "%(asctime)s | %(threadName)s | %(levelname)s | %(name)s | %(message)s"
DICT_CONFIG = {
    "version": 1,
    "formatters": {"verbose": {"format": FMT}, "brace": {"format": "{levelname} :: {name} :: {message}", "style": "{"}},
    "handlers": {},
    "loggers": {},
}


def _write_log(path: Path) -> None:
    logging.config.dictConfig(
        {
            **DICT_CONFIG,
            "handlers": {"file": {"class": "logging.FileHandler", "filename": str(path), "formatter": "verbose"}},
            "loggers": {"cfgtest": {"handlers": ["file"], "level": "INFO"}},
        }
    )
    logger = logging.getLogger("cfgtest.sub")
    logger.warning("configured")
    for handler in logging.getLogger("cfgtest").handlers:
        handler.close()


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".toml", ".ini"])
def test_each_config_kind(tmp_path: Path, suffix: str, logview) -> None:
    config = tmp_path / f"logging{suffix}"
    if suffix == ".json":
        config.write_text(json.dumps(DICT_CONFIG))
    elif suffix == ".yaml":
        config.write_text(
            f"version: 1\nformatters:\n  verbose:\n    format: '{FMT}'\n  brace:\n    format: '{{levelname}} :: {{name}} :: {{message}}'\n    style: '{{'\n"
        )
    elif suffix == ".toml":
        config.write_text(
            f"version = 1\n[formatters.verbose]\nformat = '{FMT}'\n[formatters.brace]\nformat = '{{levelname}} :: {{name}} :: {{message}}'\nstyle = '{{'\n"
        )
    else:
        config.write_text(
            f"[formatters]\nkeys=verbose,brace\n\n[formatter_verbose]\nformat={FMT}\n\n[formatter_brace]\nformat={{levelname}} :: {{name}} :: {{message}}\nstyle={{\n"
        )
    formats = formats_from_config(str(config))
    assert [f.fmt for f in formats] == [FMT, "{levelname} :: {name} :: {message}"]
    log = tmp_path / "app.log"
    _write_log(log)
    result = logview("--print", "--output", "jsonl", "--logging-config", str(config), str(log))
    assert json.loads(result.stdout)["logger"] == "cfgtest.sub"
    assert json.loads(result.stdout)["threadName"] == "MainThread"


def test_bad_config_is_a_usage_error(tmp_path: Path, logview) -> None:
    config = tmp_path / "broken.json"
    config.write_text("{not json")
    with pytest.raises(ConfigError):
        formats_from_config(str(config))
    result = logview("--print", "--logging-config", str(config), str(config))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
