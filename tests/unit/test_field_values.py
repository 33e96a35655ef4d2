"""Field values as Python's logging writes them: padding, spaces, parentheses, custom names.

Every file here is written by the real ``logging`` machinery (formatters,
handlers, threads, processes), then read back twice: by ``--print --output
jsonl`` in a child process (the index is built by polars' regex engine) and
by ``newest_records`` (CPython's ``re``, the viewer's first frame). The two
must agree, and must give back what the program logged.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

from logview.core.inputs.arguments import expand_inputs
from logview.core.newest import newest_records
from logview.core.parse.detect import detect_format
from logview.core.parse.format_string import LogFormat, compile_format, describe_fields
from logview.core.pipeline import Pipeline
from tests.command import run_logview


def printed(path: Path, *options: str) -> list[dict[str, object]]:
    """The records of ``path`` as ``logview --print --output jsonl`` writes them (the polars-built index)."""
    done = run_logview("--print", "--output", "jsonl", *options, str(path))
    assert done.returncode == 0, done.stderr.decode()
    return [_comparable(json.loads(line)) for line in done.stdout.decode().splitlines()]


def previewed(path: Path, fmt: str | None = None, style: str = "%") -> list[dict[str, object]]:
    """The records of ``path`` as the viewer's first frame reads them (CPython's re)."""
    user_formats = (compile_format(fmt, style, origin="--format"),) if fmt else ()
    newest = newest_records([str(path)], 10_000, user_formats)
    assert newest is not None
    return [_comparable(record.as_json()) for record in newest.records]


def _comparable(record: dict[str, object]) -> dict[str, object]:
    record.pop("line", None)
    return record


def read_both(path: Path, fmt: str | None = None, style: str = "%") -> list[dict[str, object]]:
    """The records of ``path``, the same through both engines (and with ``--format`` when ``fmt`` is given)."""
    options = ("--format", fmt, "--style", style) if fmt else ()
    records = printed(path, *options)
    assert records == previewed(path, fmt, style)
    return records


def indexed_process_names(path: Path, fmt: str | None = None, style: str = "%") -> set[str]:
    """The process names the index's facet table holds: what the Processes pane lists."""
    pipeline = Pipeline(user_formats=(compile_format(fmt, style, origin="--format"),) if fmt else ())
    try:
        pipeline.load(expand_inputs([str(path)]).names)
        return {name for name in pipeline.timeline.symbols.processes.names if name}
    finally:
        pipeline.close()


def write(path: Path, fmt: str, style: str = "%", records: list[dict[str, object]] | None = None) -> None:
    handler = logging.FileHandler(path, mode="a", encoding="utf-8")
    handler.setFormatter(logging.Formatter(fmt, style=style))  # type: ignore[arg-type]
    for number, fields in enumerate(records or []):
        handler.handle(logging.makeLogRecord({"created": 1_709_251_200 + number, "levelno": 20, "levelname": "INFO", **fields}))
    handler.close()


# -- padding ----------------------------------------------------------------

ALTERNATIVE_STYLES = """
import logging, sys
root = logging.getLogger()
root.setLevel(logging.DEBUG)
handler = logging.FileHandler(sys.argv[1], "w")
bf = logging.Formatter('{asctime} {name} {levelname:8s} {message}', style='{')
handler.setFormatter(bf)
root.addHandler(handler)
logger = logging.getLogger('foo.bar')
logger.debug('This is a DEBUG message')
logger.critical('This is a CRITICAL message')
df = logging.Formatter('$asctime $name ${levelname} $message', style='$')
handler.setFormatter(df)
logger.debug('This is a DEBUG message')
logger.critical('This is a CRITICAL message')
"""


def test_a_dollar_format_gives_messages_without_the_padding_of_the_formatter_before_it(tmp_path: Path) -> None:
    """The cookbook's "Use of alternative formatting styles": one stream, a {-style formatter then a $-style one."""
    path = tmp_path / "styles.log"
    subprocess.run([sys.executable, "-c", ALTERNATIVE_STYLES, str(path)], check=True)
    records = read_both(path, "$asctime $name ${levelname} $message", "$")
    assert [(record["level"], record["message"]) for record in records] == [
        ("DEBUG", "This is a DEBUG message"),
        ("CRITICAL", "This is a CRITICAL message"),
    ] * 2


def test_padding_is_stripped_whatever_its_fill_and_side(tmp_path: Path) -> None:
    path = tmp_path / "filled.log"
    fmt = "{asctime} {name:*^20} {levelname:_<8} {process:08d} {processName:.>12} {message:>30}|"
    write(path, fmt, "{", [{"name": "my.app", "process": 42, "processName": "worker", "msg": "hello"}])
    write(path, fmt, "{", [{"name": "my.app.db", "process": 0, "processName": "MainProcess", "msg": "bye"}])
    records = read_both(path, fmt, "{")
    assert [(r["logger"], r["level"], r["pid"], r["processName"], r["message"]) for r in records] == [
        ("my.app", "INFO", 42, "worker", "hello"),
        ("my.app.db", "INFO", 0, "MainProcess", "bye"),
    ]
    assert indexed_process_names(path, fmt, "{") == {"worker", "MainProcess"}


# -- names with spaces and parentheses ---------------------------------------

#: The cookbook's "more elaborate multiprocessing example": five workers named 'worker N' log through a queue to a
#: listener process, whose handler renames each record's process '%s (for %s)' before the file handler writes it.
ELABORATE_MULTIPROCESSING = """
import logging, logging.config, logging.handlers, random, sys
from multiprocessing import Event, Process, Queue, current_process

class MyHandler:
    def handle(self, record):
        logger = logging.getLogger() if record.name == "root" else logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            record.processName = '%s (for %s)' % (current_process().name, record.processName)
            logger.handle(record)

def listener_process(q, stop_event, config):
    logging.config.dictConfig(config)
    listener = logging.handlers.QueueListener(q, MyHandler())
    listener.start()
    stop_event.wait()
    listener.stop()

def worker_process(config):
    logging.config.dictConfig(config)
    levels = [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL]
    loggers = ['foo', 'foo.bar', 'foo.bar.baz', 'spam', 'spam.ham', 'spam.ham.eggs']
    for i in range(20):
        logging.getLogger(random.choice(loggers)).log(random.choice(levels), 'Message no. %d', i)

if __name__ == '__main__':
    q = Queue()
    config_worker = {'version': 1, 'disable_existing_loggers': True,
                     'handlers': {'queue': {'class': 'logging.handlers.QueueHandler', 'queue': q}},
                     'root': {'handlers': ['queue'], 'level': 'DEBUG'}}
    config_listener = {
        'version': 1, 'disable_existing_loggers': True,
        'formatters': {'detailed': {'class': 'logging.Formatter',
                                    'format': '%(asctime)s %(name)-15s %(levelname)-8s %(processName)-10s %(message)s'}},
        'handlers': {'file': {'class': 'logging.FileHandler', 'filename': sys.argv[1], 'mode': 'w', 'formatter': 'detailed'}},
        'root': {'handlers': ['file'], 'level': 'DEBUG'},
    }
    workers = [Process(target=worker_process, name='worker %d' % (i + 1), args=(config_worker,)) for i in range(5)]
    for wp in workers:
        wp.start()
    stop_event = Event()
    lp = Process(target=listener_process, name='listener', args=(q, stop_event, config_listener))
    lp.start()
    for wp in workers:
        wp.join()
    stop_event.set()
    lp.join()
"""

COOKBOOK_PROCESSES = {f"listener (for worker {number})" for number in range(1, 6)}


def test_the_cookbooks_elaborate_multiprocessing_example_has_five_processes(tmp_path: Path) -> None:
    path = tmp_path / "mplog.log"
    subprocess.run([sys.executable, "-c", ELABORATE_MULTIPROCESSING, str(path)], check=True, timeout=120)
    records = read_both(path)
    assert len(records) == 100
    assert {record["processName"] for record in records} == COOKBOOK_PROCESSES
    assert {record["message"] for record in records} == {f"Message no. {number}" for number in range(20)}
    assert indexed_process_names(path) == COOKBOOK_PROCESSES
    fmt = "%(asctime)s %(name)-15s %(levelname)-8s %(processName)-10s %(message)s"
    assert read_both(path, fmt) == records
    assert indexed_process_names(path, fmt) == COOKBOOK_PROCESSES


THREADS = """
import logging, sys, threading
from concurrent.futures import ThreadPoolExecutor

logging.basicConfig(filename=sys.argv[1], filemode="w", level=logging.DEBUG, format=sys.argv[2])
log = logging.getLogger("app.jobs")

def fetch(number):
    for step in range(4):
        log.info("fetched page %d of job %d", step, number)

def store(number):
    log.warning("stored job %d", number)

threads = [threading.Thread(target=fetch, args=(n,)) for n in range(3)] + [threading.Thread(target=store, args=(9,))]
for thread in threads:
    thread.start()
    thread.join()
with ThreadPoolExecutor(2) as pool:
    list(pool.map(fetch, range(2)))
if len(sys.argv) > 3:
    for number in range(40):
        log.info("(%s %d) looked up", "user" if number % 2 else "group", number)
"""


def run_threads(path: Path, fmt: str, with_parenthesised_messages: bool = False) -> None:
    extra = ["yes"] if with_parenthesised_messages else []
    subprocess.run([sys.executable, "-c", THREADS, str(path), fmt, *extra], check=True, timeout=120)


def test_thread_names_with_their_target_as_python_writes_them(tmp_path: Path) -> None:
    """Since Python 3.10 a thread with a target is named 'Thread-N (target)'; an executor's 'ThreadPoolExecutor-0_0'."""
    path = tmp_path / "threads.log"
    fmt = "%(relativeCreated)6d %(threadName)s %(message)s"  # the cookbook's, in the catalogue
    run_threads(path, fmt)
    for records in (read_both(path), read_both(path, fmt)):
        names = {record["threadName"] for record in records}
        assert {"Thread-1 (fetch)", "Thread-2 (fetch)", "Thread-3 (fetch)", "Thread-4 (store)"} <= names
        assert {name for name in names if name.startswith("ThreadPoolExecutor-")} <= {"ThreadPoolExecutor-0_0", "ThreadPoolExecutor-0_1"}
        assert all(record["message"].startswith(("fetched page", "stored job")) for record in records)


def test_a_message_that_starts_with_varying_parentheses_stays_the_message(tmp_path: Path) -> None:
    path = tmp_path / "threads.log"
    fmt = "%(asctime)s %(levelname)s %(threadName)s %(message)s"
    run_threads(path, fmt, with_parenthesised_messages=True)
    records = read_both(path, fmt)
    looked_up = [record for record in records if record["message"].endswith("looked up")]
    assert len(looked_up) == 40
    assert {record["threadName"] for record in looked_up} == {"MainThread"}
    assert looked_up[0]["message"] == "(group 0) looked up"


CUSTOM_LEVELS = """
import logging, sys

logging.addLevelName(5, "TRACE")
logging.addLevelName(25, "NOTICE")
logging.addLevelName(15, "verbose")
logging.basicConfig(filename=sys.argv[1], filemode="w", level=1, format=sys.argv[2])
names = ["app", "my app", "app.v2 (beta)", "ünïcode.名前"]
for number in range(40):
    logger = logging.getLogger(names[number % len(names)])
    logger.log([5, 7, 15, 20, 25, 40][number % 6], "event %d", number)
"""


def test_custom_level_names_and_odd_logger_names(tmp_path: Path) -> None:
    path = tmp_path / "levels.log"
    fmt = "%(asctime)s [%(levelname)s] %(name)s: %(message)s"  # in the catalogue
    subprocess.run([sys.executable, "-c", CUSTOM_LEVELS, str(path), fmt], check=True, timeout=120)
    levels = ["TRACE", "Level 7", "verbose", "INFO", "NOTICE", "ERROR"]
    names = ["app", "my app", "app.v2 (beta)", "ünïcode.名前"]
    expected = [(levels[number % 6], names[number % 4], f"event {number}") for number in range(40)]
    for records in (read_both(path), read_both(path, fmt)):
        assert [(record["level"], record["logger"], record["message"]) for record in records] == expected
    padded = tmp_path / "padded.log"
    fmt = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
    subprocess.run([sys.executable, "-c", CUSTOM_LEVELS, str(padded), fmt], check=True, timeout=120)
    assert [(record["level"], record["logger"], record["message"]) for record in read_both(padded, fmt)] == expected


def test_lines_that_several_strict_fields_turn_away_are_read(tmp_path: Path) -> None:
    """A record whose module, level and logger all need the looser readings at once, in a long sample and a four-line one.

    Loosening one field at a time reads none of these lines, so each
    loosening alone adds nothing; they are loosened together. (Told the
    format: inference does not read two word fields and a level.)
    """
    fmt = "%(asctime)s %(module)s | %(levelname)s | %(name)s | %(message)s"
    odd = {"module": "main app", "levelno": 15, "levelname": "verbose", "name": "my app"}
    plain = {"module": "main", "levelno": 20, "levelname": "INFO", "name": "app"}
    for count in (4, 24):
        path = tmp_path / f"odd{count}.log"
        fields = [odd if number % 4 else plain for number in range(count)]
        write(path, fmt, records=[{**record, "msg": f"event {number}"} for number, record in enumerate(fields)])
        assert [(r["module"], r["level"], r["logger"], r["message"]) for r in read_both(path, fmt)] == [
            (record["module"], record["levelname"], record["name"], f"event {number}") for number, record in enumerate(fields)
        ]


MODULE_CODE = """
import logging, sys

logging.basicConfig(filename=sys.argv[1], filemode="w", level=logging.DEBUG, format=sys.argv[2])

def work():
    logging.getLogger("app").info("in a function")

logging.getLogger("app").info("at module level")
work()
(lambda: logging.getLogger("app").info("in a lambda"))()
"""


def test_function_names_and_paths_with_spaces(tmp_path: Path) -> None:
    folder = tmp_path / "my project (copy)"
    folder.mkdir()
    program = folder / "main app.py"
    program.write_text(MODULE_CODE)
    path = tmp_path / "code.log"
    fmt = "%(asctime)s %(levelname)s %(pathname)s:%(lineno)d %(module)s.%(funcName)s %(message)s"
    subprocess.run([sys.executable, str(program), str(path), fmt], check=True, timeout=120)
    records = read_both(path, fmt)
    assert [(r["pathname"], r["module"], r["funcName"], r["message"]) for r in records] == [
        (str(program), "main app", "<module>", "at module level"),
        (str(program), "main app", "work", "in a function"),
        (str(program), "main app", "<lambda>", "in a lambda"),
    ]


def test_describe_fields_says_how_each_field_was_read(tmp_path: Path) -> None:
    """What --explain-format prints: the rule of each field, and the readings the sample chose."""
    path = tmp_path / "threads.log"
    run_threads(path, "%(relativeCreated)6d %(threadName)s %(message)s")
    chosen = detect_format(path.read_text().splitlines())
    assert isinstance(chosen, LogFormat) and chosen.readings == {"threadName": "name (suffix)"}
    described = dict(describe_fields(chosen))
    assert list(described) == ["relativeCreated", "threadName", "message"]
    assert described["relativeCreated"] == "an integer; padded to 6 with ' ' on the left"
    assert described["threadName"].endswith("(reading 'name (suffix)', chosen on the sample over 'shortest', 'name number (suffix)')")
    fmt = "%(asctime)s %(threadName)-12s %(levelname)-8s %(message)s"
    run_threads(path, fmt)
    chosen = detect_format(path.read_text().splitlines(), [compile_format(fmt, origin="--format")])
    assert isinstance(chosen, LogFormat) and chosen.readings == {}
    described = dict(describe_fields(chosen))
    assert described["threadName"].startswith("any text, as short as the rest of the line allows (reading 'shortest', the default)")
    assert described["levelname"].startswith("a level name: capitals, digits and _, or 'Level N' (reading 'level name', the default)")


def test_a_remembered_format_keeps_its_readings(tmp_path: Path, format_cache) -> None:
    """A second run takes the format from the cache (parse/remembered.py): it must read the fields as the first did."""
    from logview.core.parse import remembered
    from logview.core.parse.detect import detect_after, sample_lines

    path = tmp_path / "threads.log"
    run_threads(path, "%(relativeCreated)6d %(threadName)s %(message)s")
    sample = sample_lines(path.read_bytes())
    first = detect_after(sample, None)
    assert isinstance(first, LogFormat) and first.readings == {"threadName": "name (suffix)"}
    remembered.save()
    format_cache.new_run()  # another run
    assert detect_after(sample, None) == first
