"""The built-in formats tried on a file when the user names none.

They are the formats of logging's own defaults, of the Python logging
cookbook's examples, the formats frameworks write with (gunicorn, uvicorn,
celery, loguru's default, Airflow), and the common orders of asctime, levelname, name and
process seen in real projects. Detection tries every one on a sample of the
file's first lines; see :mod:`logview.core.parse.detect`.
"""

from __future__ import annotations

from typing import NamedTuple


class CatalogueEntry(NamedTuple):
    fmt: str
    style: str = "%"
    datefmt: str | None = None
    origin: str = ""
    #: Fields read other than by default (field name, a reading of parse/field_values.py): structlog's lowercase levels.
    readings: tuple[tuple[str, str], ...] = ()


CATALOGUE: tuple[CatalogueEntry, ...] = (
    CatalogueEntry("%(levelname)s:%(name)s:%(message)s", origin="basicConfig default"),
    # Logging cookbook examples.
    CatalogueEntry("%(asctime)s %(processName)-10s %(name)s %(levelname)-8s %(message)s", origin="cookbook: multiprocessing to one file"),
    CatalogueEntry("%(asctime)s %(name)-15s %(levelname)-8s %(processName)-10s %(message)s", origin="cookbook: elaborate multiprocessing"),
    CatalogueEntry("%(name)-15s %(levelname)-8s %(processName)-10s %(message)s", origin="cookbook: elaborate multiprocessing"),
    CatalogueEntry("%(levelname)-8s %(name)10s %(process)6s %(message)s", origin="cookbook: QueueListener subclass"),
    CatalogueEntry("%(relativeCreated)5d %(name)-15s %(levelname)-8s %(message)s", origin="cookbook: socket receiver"),
    CatalogueEntry("{levelname} {asctime} {module} {process:d} {thread:d} {message}", "{", origin="cookbook: dictConfig (Django)"),
    CatalogueEntry("%(levelname)-8s - %(message)s", origin="cookbook: custom handling of levels"),
    CatalogueEntry("%(asctime)s %(levelname)s %(name)s %(message)s", origin="cookbook: dictConfig handlers"),
    CatalogueEntry("%(asctime)s - %(name)s - %(levelname)s - %(message)s", origin="cookbook, logging HOWTO"),
    CatalogueEntry("%(asctime)s %(name)-12s %(levelname)-8s %(message)s", datefmt="%m-%d %H:%M", origin="cookbook: multiple destinations"),
    CatalogueEntry("%(asctime)s %(name)-12s %(levelname)-8s %(message)s", origin="cookbook: multiple destinations"),
    CatalogueEntry("%(relativeCreated)6d %(threadName)s %(message)s", origin="cookbook: threads"),
    CatalogueEntry("{asctime} {name} {levelname:8s} {message}", "{", origin="cookbook: {-style"),
    CatalogueEntry("%(asctime)s|%(levelname)s|%(message)s|", datefmt="%d/%m/%Y %H:%M:%S", origin="cookbook: custom datefmt"),
    # Frameworks' own formats, as their sources spell them.
    # gunicorn's error log: "%(asctime)s [%(process)d] [%(levelname)s] %(message)s" with datefmt "[%Y-%m-%d %H:%M:%S %z]",
    # written here with the datefmt's brackets in the format (the same lines): brackets are literals detection weighs.
    CatalogueEntry("[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s", datefmt="%Y-%m-%d %H:%M:%S %z", origin="gunicorn: error log"),
    # uvicorn's "%(levelprefix)s %(message)s", its access log's too: the prefix is "INFO:" padded to nine characters.
    # Spelled as the message right-aligned to a width of 1, which reads the same lines ("INFO:msg" too) and takes the
    # prefix's padding off the message in both engines, as a padded field's; a message's own leading spaces go with it.
    CatalogueEntry("%(levelname)s:%(message)1s", origin="uvicorn"),
    CatalogueEntry("[%(asctime)s: %(levelname)s/%(processName)s] %(message)s", origin="celery: worker"),
    # loguru's default "{time:YYYY-MM-DD HH:mm:ss.SSS} | {level: <8} | {name}:{function}:{line} - {message}".
    CatalogueEntry(
        "%(asctime)s.%(msecs)03d | %(levelname)-8s | %(name)s:%(funcName)s:%(lineno)d - %(message)s",
        datefmt="%Y-%m-%d %H:%M:%S",
        origin="loguru: default",
    ),
    # Apache Airflow's [logging] log_format, the format of its task logs.
    CatalogueEntry("[%(asctime)s] {%(filename)s:%(lineno)d} %(levelname)s - %(message)s", origin="airflow: log_format"),
    # Common orders in the wild.
    CatalogueEntry("%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"),
    CatalogueEntry("%(asctime)s %(levelname)s %(process)d %(name)s %(message)s"),
    CatalogueEntry("%(asctime)s %(levelname)-8s %(name)s %(message)s"),
    CatalogueEntry("%(asctime)s %(levelname)s %(name)s: %(message)s"),
    CatalogueEntry("%(asctime)s [%(levelname)s] %(name)s: %(message)s"),
    CatalogueEntry("%(asctime)s - %(levelname)s - %(message)s"),
    CatalogueEntry("%(asctime)s - %(name)s - %(levelname)s - %(process)d - %(message)s"),
    CatalogueEntry("%(asctime)s:%(levelname)s:%(name)s:%(message)s"),
    CatalogueEntry("[%(asctime)s] %(levelname)s [%(name)s] %(message)s"),
    CatalogueEntry("[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"),
    CatalogueEntry("%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"),
    CatalogueEntry("%(asctime)s %(levelname)s [%(name)s] %(message)s"),
    CatalogueEntry("%(asctime)s %(levelname)s %(message)s"),
    CatalogueEntry("%(asctime)s %(message)s", origin="cookbook: rotator and namer"),
    CatalogueEntry("%(levelname)s %(name)s %(message)s"),
    CatalogueEntry("{levelname} {message}", "{", origin="cookbook: dictConfig (Django)"),
)

#: Lines a framework writes as one message whose parts are no LogRecord attributes: tried after CATALOGUE, and kept
#: apart from it because every CATALOGUE format is one ``logging.Formatter`` can write (the tests write each).
ACCESS_LOGS: tuple[CatalogueEntry, ...] = (
    # gunicorn's access log is "%(message)s" of its access_log_format, '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'.
    CatalogueEntry(
        "%(remote_addr)s %(ident)s %(user)s [%(asctime)s] %(message)s", datefmt="%d/%b/%Y:%H:%M:%S %z", origin="gunicorn: access log"
    ),
)

#: Lines a library's own renderer writes, not logging.Formatter (its levels lowercase, its times with microseconds):
#: tried after CATALOGUE, and kept apart from it for the same reason as ACCESS_LOGS.
RENDERERS: tuple[CatalogueEntry, ...] = (
    # structlog's ConsoleRenderer(colors=False) after TimeStamper(fmt="%Y-%m-%d %H:%M:%S") or (fmt="iso"): its level is
    # lowercase, padded inside brackets to the longest of its names ("exception"); the event and its key=value pairs follow.
    CatalogueEntry(
        "%(asctime)s [%(levelname)-9s] %(message)s",
        datefmt="%Y-%m-%d %H:%M:%S",
        origin="structlog: ConsoleRenderer",
        readings=(("levelname", "custom level"),),
    ),
    CatalogueEntry(
        "%(asctime)s [%(levelname)-9s] %(message)s",
        datefmt="%Y-%m-%dT%H:%M:%S.%fZ",
        origin="structlog: ConsoleRenderer, iso time",
        readings=(("levelname", "custom level"),),
    ),
)
