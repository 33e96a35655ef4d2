"""Read the formatters out of a logging configuration file.

A user hands logview the same file their program gives ``dictConfig``
(JSON, YAML or TOML) or ``fileConfig`` (INI); every formatter in it becomes
a candidate format, tried on each input like the built-in catalogue.
"""

from __future__ import annotations

import configparser
import json
import tomllib
from pathlib import Path

from logview.core.parse.format_string import FormatError, LogFormat, compile_format


class ConfigError(ValueError):
    """The configuration file cannot be read or holds no usable formatter."""


def formats_from_config(path: str) -> list[LogFormat]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    suffix = Path(path).suffix.lower()
    if suffix in (".ini", ".cfg", ".conf") or text.lstrip().startswith("["):
        formatters = _ini_formatters(path, text)
    else:
        formatters = _dict_formatters(path, _load_mapping(path, text, suffix))
    formats: list[LogFormat] = []
    for name, spec in formatters.items():
        fmt = spec.get("format") or spec.get("fmt")
        if not fmt:
            continue
        style = spec.get("style") or "%"
        try:
            formats.append(compile_format(str(fmt), str(style), spec.get("datefmt"), origin=f"{path}: formatter {name!r}"))
        except FormatError as error:
            raise ConfigError(f"{path}: formatter {name!r}: {error}") from None
    if not formats:
        raise ConfigError(f"{path}: no formatter with a format string")
    return formats


def _load_mapping(path: str, text: str, suffix: str) -> dict[str, object]:
    try:
        if suffix == ".toml":
            data: object = tomllib.loads(text)
        elif suffix in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            try:
                data = json.loads(text)
            except ValueError:
                import yaml

                data = yaml.safe_load(text)
    except Exception as error:  # noqa: BLE001 - any parser's error is the user's file's fault
        raise ConfigError(f"{path}: cannot parse: {str(error).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: not a mapping")
    # pyproject-style nesting: [tool.logging] or a "logging" key.
    mapping: dict[str, object] = data
    for key in ("logging", "LOGGING"):
        nested = mapping.get(key)
        if isinstance(nested, dict):
            mapping = nested
    return mapping


def _dict_formatters(path: str, data: dict[str, object]) -> dict[str, dict[str, str]]:
    formatters = data.get("formatters")
    if not isinstance(formatters, dict):
        raise ConfigError(f"{path}: no 'formatters' section")
    return {str(name): spec for name, spec in formatters.items() if isinstance(spec, dict)}


def _ini_formatters(path: str, text: str) -> dict[str, dict[str, str]]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as error:
        raise ConfigError(f"{path}: cannot parse: {str(error).splitlines()[0]}") from None
    keys = parser.get("formatters", "keys", fallback="")
    result: dict[str, dict[str, str]] = {}
    for name in (key.strip() for key in keys.split(",") if key.strip()):
        section = f"formatter_{name}"
        if parser.has_section(section):
            result[name] = {key: parser.get(section, key) for key in ("format", "datefmt", "style") if parser.has_option(section, key)}
    return result
