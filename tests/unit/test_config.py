"""The config file: named formats tried first on the files their globs match, the viewer's defaults, and bad files said in one line."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from textual.message import Message

from logview.core.config import ViewerDefaults, load_config
from logview.core.newest import newest_records
from logview.settings import parse_settings
from logview.ui.app import LogViewApp
from tests.functional.driving import SIZE, notices, settled

#: Not in the catalogue: without the config, ``%(module)s`` is read as a logger's name.
SERVICE_FORMAT = "%(asctime)s %(levelname)s %(module)s %(message)s"


def write_log(path: Path, fmt: str = SERVICE_FORMAT, messages: tuple[str, ...] = ("service started", "service failed")) -> None:
    """A log written by a real FileHandler and Formatter."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(fmt))
    logger = logging.Logger("svc")
    logger.addHandler(handler)
    logger.warning(messages[0])
    for message in messages[1:]:
        logger.error(message)
    handler.close()


def jsonl(logview, *args: str) -> tuple[list[dict[str, object]], list[str]]:
    result = logview("--print", "--output", "jsonl", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()], result.stderr.decode().splitlines()


def test_a_named_format_reads_the_files_its_globs_match_and_no_others(tmp_path: Path, config_home: Path, logview) -> None:
    config_home.write_text(f'[formats.service]\nformat = "{SERVICE_FORMAT}"\nfiles = ["svc*.log", "{tmp_path}/logs/*.txt"]\n')
    (tmp_path / "logs").mkdir()
    matched = [tmp_path / "svc.log", tmp_path / "svc.log.1", tmp_path / "logs" / "service.txt"]
    other = tmp_path / "other.log"
    for path in [*matched, other]:
        write_log(path)
    records, errors = jsonl(logview, *map(str, [*matched, other]))
    assert errors == []
    by_source = {str(path): [record for record in records if record["source"] == str(path)] for path in [*matched, other]}
    for path in matched:  # by file name, by a rotated copy's set (svc.log), and by the whole path
        assert [(r["level"], r.get("module"), r["logger"], r["message"]) for r in by_source[str(path)]] == [
            ("WARNING", "test_config", None, "service started"),
            ("ERROR", "test_config", None, "service failed"),
        ]
    # The file the globs do not match is detected as before, though the format before it would read it.
    assert [(r["logger"], "module" in r) for r in by_source[str(other)]] == [("test_config", False)] * 2


def test_a_named_format_without_files_applies_to_every_file_and_json_lines_are_still_json(
    tmp_path: Path, config_home: Path, logview
) -> None:
    config_home.write_text(f"[formats.service]\nformat = '{SERVICE_FORMAT}'\n")
    text_log, json_log = tmp_path / "a.log", tmp_path / "b.log"
    write_log(text_log)
    json_log.write_text(json.dumps({"message": "as JSON", "levelname": "INFO", "name": "api"}) + "\n")
    records, _ = jsonl(logview, str(text_log), str(json_log))
    assert [(r.get("module"), r["message"]) for r in records if r["source"] == str(text_log)][0] == ("test_config", "service started")
    assert [(r["logger"], r["message"]) for r in records if r["source"] == str(json_log)] == [("api", "as JSON")]


def test_the_command_lines_format_comes_before_the_configs(tmp_path: Path, config_home: Path, logview) -> None:
    config_home.write_text(f"[formats.service]\nformat = '{SERVICE_FORMAT}'\n")
    log = tmp_path / "svc.log"
    write_log(log)
    records, _ = jsonl(logview, "--format", "%(asctime)s %(levelname)s %(funcName)s %(message)s", str(log))
    assert (records[0].get("funcName"), "module" in records[0]) == ("test_config", False)


BAD_CONFIGS = {
    "syntax": ("[formats.service]\nformat = '%(message)s\n", 2, "invalid TOML"),
    "unknown key": ("[formats.service]\nformat = '%(message)s'\n\nfromat = 'x'\n", 4, "unknown key 'fromat'"),
    "unknown section": ("[viewer]\nsidebar = true\n[colours]\nerror = 'red'\n", 3, "unknown key 'colours'"),
    "wrong type": ("[viewer]\ntheme = 'nord'\nsidebar = 'no'\n", 3, "viewer.sidebar must be true or false, not a string"),
    "files not a list": ("[formats.service]\nformat = '%(message)s'\nfiles = '*.log'\n", 3, "must be a list of globs"),
    "bad format": ("[formats.service]\nstyle = '{'\nformat = '%(asctime)s %(message)s'\n", 3, "no fields in format"),
    "bad style": ("[formats.service]\nformat = '%(message)s'\nstyle = '%s'\n", 3, "style must be one of"),
    "bad datefmt": ("[formats.service]\nformat = '%(asctime)s %(message)s'\n\ndatefmt = '%Q'\n", 4, "unsupported date directive"),
    "bad glob": ("[formats.service]\nformat = '%(message)s'\nfiles = ['ok.log', 'svc[.log']\n", 3, "bad glob 'svc[.log'"),
    "dotted key": ("formats.service.format = '%(message)s'\nformats.service.utc = 'yes'\n", 2, "formats.service.utc must be true or false"),
    "no format": ("[viewer]\nsidebar = true\n\n[formats.service]\nstyle = '{'\n", 4, "[formats.service] has no format"),
    "formats not a table": ("formats = ['%(message)s']\n", 1, "formats must be a table"),
    "not UTF-8": ("[viewer]\ntheme = 'caf\udce9'\n", 2, "not UTF-8"),
}


@pytest.mark.parametrize("kind", BAD_CONFIGS)
def test_each_kind_of_bad_config_is_one_line_naming_the_file_and_line(kind: str, config_home: Path) -> None:
    text, line, cause = BAD_CONFIGS[kind]
    config_home.write_bytes(text.encode("utf-8", "surrogateescape"))
    config = load_config()
    assert (config.formats, config.viewer) == ((), ViewerDefaults())
    assert len(config.problems) == 1, config.problems
    problem = config.problems[0]
    assert "\n" not in problem and problem.startswith(f"{config_home}:{line}: ")
    assert cause in problem and problem.endswith("; the config file is ignored")


@pytest.mark.parametrize("kind", ["syntax", "unknown key"])
def test_logview_says_a_bad_config_on_stderr_and_prints_the_records_with_its_defaults(
    kind: str, tmp_path: Path, config_home: Path, logview
) -> None:
    text, line, cause = BAD_CONFIGS[kind]
    config_home.write_text(text)
    log = tmp_path / "app.log"
    write_log(log, "%(asctime)s %(levelname)s %(name)s %(message)s")
    result = logview("--print", str(log))
    assert result.returncode == 0
    [error] = result.stderr.decode().splitlines()
    assert error.startswith(f"logview: {config_home}:{line}: ") and cause in error
    assert result.stdout.decode().count("service") == 2


def test_one_bad_entry_leaves_the_whole_file_unused(config_home: Path) -> None:
    config_home.write_text(f"[formats.good]\nformat = '{SERVICE_FORMAT}'\n[viewer]\nsidebar = 3\n")
    config = load_config()
    assert config.formats == () and config.viewer.sidebar is None
    assert config.problems == (f"{config_home}:4: viewer.sidebar must be true or false, not an integer; the config file is ignored",)


def test_no_config_file_is_no_problem(config_home: Path) -> None:
    assert load_config() == load_config()._replace(formats=(), problems=())
    assert not config_home.exists()


async def test_the_viewer_opens_with_the_configs_theme_and_sidebar(tmp_path: Path, config_home: Path) -> None:
    config_home.write_text("[viewer]\ntheme = 'nord'\nsidebar = false\nutc = true\n")
    log = tmp_path / "app.log"
    write_log(log, "%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = parse_settings([str(log)])
    assert settings.utc is True
    app = LogViewApp(settings.paths, settings.filters, defaults=settings.viewer)
    async with app.run_test(size=SIZE) as pilot:  # wide enough for the sidebar, had the config not hidden it
        await settled(pilot)
        assert app.theme == "nord"
        assert not app.query_one("#sidebar").display
        await pilot.resize_terminal(SIZE[0] + 10, SIZE[1])
        await settled(pilot)
        assert not app.query_one("#sidebar").display  # the width no longer decides


async def test_a_theme_the_viewer_does_not_have_is_named_with_its_line(tmp_path: Path, config_home: Path) -> None:
    config_home.write_text("[viewer]\nsidebar = true\n\ntheme = 'no-such-theme'\n")
    log = tmp_path / "app.log"
    write_log(log, "%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = parse_settings([str(log)])
    app = LogViewApp(settings.paths, settings.filters, defaults=settings.viewer)
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settled(pilot)
        assert app.theme == "textual-dark"
        assert app.theme_problem is not None and re.match(
            rf"{re.escape(str(config_home))}:4: unknown theme 'no-such-theme'", app.theme_problem
        )
        assert app.theme_problem in notices(messages)
        assert app.query_one("#sidebar").display


def test_the_first_frames_newest_records_use_the_named_formats_as_the_index_does(tmp_path: Path, config_home: Path) -> None:
    """newest.py reads the first screen with ``re`` before the index (polars) has read anything: both must agree."""
    config_home.write_text(f'[formats.service]\nformat = "{SERVICE_FORMAT}"\nfiles = ["svc*.log"]\n')
    service, other = tmp_path / "svc.log", tmp_path / "other.log"
    write_log(service)
    write_log(other)
    newest = newest_records([str(service), str(other)], 10, named_formats=load_config().formats)
    assert newest is not None
    read = {(Path(record.source).name, record.logger, record.fields.get("module"), record.message) for record in newest.records}
    assert read == {
        ("svc.log", None, "test_config", "service started"),
        ("svc.log", None, "test_config", "service failed"),
        ("other.log", "test_config", None, "service started"),
        ("other.log", "test_config", None, "service failed"),
    }


def test_a_config_path_that_cannot_be_read_is_said_and_one_that_cannot_be_reached_is_no_config(
    config_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_home.mkdir()
    assert load_config().problems == (f"{config_home}: cannot read: Is a directory; the config file is ignored",)
    # The path through a file: as a directory this user cannot search, there is no config to speak of.
    (tmp_path / "plain").write_text("")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "plain"))
    assert load_config().problems == ()
