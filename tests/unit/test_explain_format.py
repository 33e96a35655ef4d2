"""--explain-format: each input's format, where it came from and why, what came close, and how its fields were read."""

from __future__ import annotations

import json
import logging
import logging.handlers
from pathlib import Path

from logview.core.config import load_config
from logview.core.explain_format import WIDTH, explain_sample
from logview.core.parse.detect import sample_lines
from logview.core.pipeline import Pipeline

SERVICE_FORMAT = "%(asctime)s %(levelname)s %(module)s %(message)s"
COMMON_FORMAT = "%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"


def write_log(path: Path, fmt: str, count: int = 2, logger_name: str = "shop.orders") -> None:
    """Records and a traceback, written by a real FileHandler and Formatter."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(fmt))
    logger = logging.Logger(logger_name)
    logger.addHandler(handler)
    for number in range(count):
        logger.warning("order %d delayed", number)
    try:
        raise KeyError("order")
    except KeyError:
        logger.exception("order lost")
    handler.close()


def blocks(output: str) -> dict[str, str]:
    """Each input's explanation by its name (the first line of its block)."""
    return {block.splitlines()[0]: block for block in output.split("\n\n") if block.strip()}


def test_explain_says_each_files_format_origin_reason_runner_up_and_fields(tmp_path: Path, config_home: Path, logview) -> None:
    config_home.write_text(f'[formats.service]\nformat = "{SERVICE_FORMAT}"\nfiles = ["svc-*.log"]\n')
    service, common, json_log, plain = tmp_path / "svc-a.log", tmp_path / "app.log", tmp_path / "events.jsonl", tmp_path / "notes.txt"
    write_log(service, SERVICE_FORMAT)
    write_log(common, COMMON_FORMAT, count=3)
    json_log.write_text(json.dumps({"message": "paid", "levelname": "INFO", "name": "shop"}) + "\n")
    plain.write_text("nothing here looks like a record\nnor here\n")
    result = logview("--print", "--explain-format", *map(str, [service, common, json_log, plain]))
    assert (result.returncode, result.stderr) == (0, b"")
    text = result.stdout.decode()
    # 80 columns, but for a word that cannot be broken (the temporary directory's long paths).
    too_wide = [line for line in text.splitlines() if len(line) > WIDTH and " " in line.strip()]
    assert too_wide == []
    explained = blocks(text)
    assert list(explained) == [str(service), str(common), str(json_log), str(plain)]

    flat = {name: " ".join(block.split()) for name, block in explained.items()}
    service_text = flat[str(service)]
    assert f"format {SERVICE_FORMAT}" in service_text
    assert f"origin config: service ({config_home}, for files matching svc-*.log)" in service_text
    assert "the config file's formats are tried before the catalogue" in service_text
    # Two records and one with a traceback: the traceback's four lines continue it.
    assert "sample 7 non-blank lines: 3 read as records' first lines, 4 as continuation lines" in service_text
    assert "runner-up %(asctime)s %(levelname)s %(name)s %(message)s" in service_text
    assert "module a word without spaces, up to the text that follows it; e.g. 'test_explain_format'" in service_text
    assert "levelname a level name (capitals, digits and _) or 'Level N'; e.g. 'WARNING', 'ERROR'" in service_text

    common_text = flat[str(common)]
    assert f"format {COMMON_FORMAT}" in common_text and "origin catalogue: common order" in common_text
    assert "the catalogue's format with the best score" in common_text
    assert "name a word without spaces, up to the text that follows it; e.g. 'shop.orders'" in common_text
    assert "message the rest of the line" in common_text and "'order 0 delayed', 'order 1 delayed', 'order 2 delayed'" in common_text

    assert "format JSON lines" in flat[str(json_log)] and "keys message, levelname, name" in flat[str(json_log)]
    assert "format none: no format reads any line" in flat[str(plain)]


def test_a_file_that_cannot_be_read_is_one_line_and_the_others_are_explained(tmp_path: Path, logview) -> None:
    log = tmp_path / "app.log"
    write_log(log, COMMON_FORMAT)
    result = logview("--explain-format", str(tmp_path / "missing.log"), str(log))
    assert result.returncode == 1
    [error] = result.stderr.decode().splitlines()
    assert error.startswith(f"logview: {tmp_path / 'missing.log'}: ")
    assert list(blocks(result.stdout.decode())) == [str(log)]


def test_explain_chooses_what_the_printer_reads_with(tmp_path: Path, config_home: Path) -> None:
    """The same detection calls, the previous input's format and the config's globs included, in the same order."""
    config_home.write_text(f'[formats.service]\nformat = "{SERVICE_FORMAT}"\nfiles = ["svc-*.log"]\n')
    paths = [tmp_path / "svc-a.log", tmp_path / "other.log", tmp_path / "app.log", tmp_path / "app.log.1"]
    write_log(paths[0], SERVICE_FORMAT)
    write_log(paths[1], SERVICE_FORMAT)
    handler = logging.handlers.RotatingFileHandler(paths[2], maxBytes=400, backupCount=1)
    handler.setFormatter(logging.Formatter(COMMON_FORMAT))
    logger = logging.Logger("rotating")
    logger.addHandler(handler)
    for number in range(12):
        logger.info("line %d of a rotated log", number)
    handler.close()
    named = load_config().formats
    pipeline = Pipeline(named_formats=named)
    pipeline.load([str(path) for path in paths])
    read_with = [item.state.format_name for item in pipeline.loaded]
    explained, previous = [], None
    for item in pipeline.loaded:
        explanation = explain_sample(item.state.name, sample_lines(Path(item.state.name).read_bytes()), previous, (), named)
        previous = explanation.chosen or previous
        explained.append(explanation)
    pipeline.close()
    assert [getattr(item.chosen, "fmt", None) for item in explained] == read_with
    assert read_with[:2] == [SERVICE_FORMAT, "%(asctime)s %(levelname)s %(name)s %(message)s"]
    assert "the format of the input before it" in " ".join(" ".join(explained[3].lines).split())
