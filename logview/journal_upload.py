"""Python logging into a systemd-journal-remote collector, as hosts of their own: the multi-host demo's senders.

A record becomes the fields python-systemd's ``JournalHandler`` writes
(``MESSAGE``, ``PRIORITY``, ``LOGGER``, ``THREAD_NAME``, ``PROCESS_NAME``,
``CODE_*``), with the fields journald adds (``_PID``, ``_HOSTNAME``, the
time), in the Journal Export Format, and is posted to the collector's
``/upload`` as ``systemd-journal-upload`` posts a host's journal. The
collector keeps one journal file per sending address, so each host sends
from an address of its own on the loopback network (127.0.0.2, .3, …).
"""

from __future__ import annotations

import http.client
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Mapping

__all__ = ["Collector", "JournalUploadHandler", "export_entry", "journal_remote_path", "record_fields"]

#: Where Debian's systemd-journal-remote package puts the collector.
JOURNAL_REMOTE_PATHS = ("/lib/systemd/systemd-journal-remote", "/usr/lib/systemd/systemd-journal-remote")
#: python-systemd's JournalHandler.map_priority: logging levels as syslog priorities.
_PRIORITIES = ((logging.DEBUG, 7), (logging.INFO, 6), (logging.WARNING, 4), (logging.ERROR, 3), (logging.CRITICAL, 2))
#: Seconds between posts while records keep coming.
FLUSH_SECONDS = 0.1
#: Seconds the collector is given to start listening.
START_SECONDS = 10.0


def journal_remote_path() -> str | None:
    """The collector's program, where Debian's systemd-journal-remote package installs it; None when it is not installed."""
    return next((path for path in JOURNAL_REMOTE_PATHS if os.access(path, os.X_OK)), shutil.which("systemd-journal-remote"))


def priority(levelno: int) -> int:
    """The syslog priority python-systemd gives a logging level."""
    return next((value for level, value in _PRIORITIES if levelno <= level), 1)


def record_fields(record: logging.LogRecord, message: str, hostname: str, boot_id: str) -> dict[str, str]:
    """The fields a record has in the journal: JournalHandler's, and those journald adds."""
    micros = int(record.created * 1_000_000)
    return {
        "__REALTIME_TIMESTAMP": str(micros),
        "__MONOTONIC_TIMESTAMP": str(time.monotonic_ns() // 1000),
        "_BOOT_ID": boot_id,
        "_HOSTNAME": hostname,
        "_PID": str(record.process),
        "_TRANSPORT": "journal",
        "MESSAGE": message,
        "PRIORITY": str(priority(record.levelno)),
        "LOGGER": record.name,
        "THREAD_NAME": str(record.threadName),
        "PROCESS_NAME": str(record.processName),
        "CODE_FILE": record.pathname,
        "CODE_LINE": str(record.lineno),
        "CODE_FUNC": record.funcName,
        "SYSLOG_IDENTIFIER": os.path.basename(record.pathname).removesuffix(".py"),
    }


def export_entry(fields: Mapping[str, str | bytes]) -> bytes:
    """One entry in the Journal Export Format: text fields as ``KEY=value``, others (a newline, say) with their size."""
    lines = []
    for key, value in fields.items():
        data = value.encode("utf-8", "replace") if isinstance(value, str) else value
        if _printable(data):
            lines.append(key.encode() + b"=" + data + b"\n")
        else:
            lines.append(key.encode() + b"\n" + len(data).to_bytes(8, "little") + data + b"\n")
    return b"".join(lines) + b"\n"


def _printable(data: bytes) -> bool:
    """Text journalctl writes as text: UTF-8 without control characters (a tab is allowed)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return text.isprintable() or all(character == "\t" or character.isprintable() for character in text)


class JournalUploadHandler(logging.Handler):
    """Posts records to a collector as host ``hostname``, sending from ``source`` so that the collector files them apart.

    Records are posted in batches every ``FLUSH_SECONDS`` by a thread of the
    handler's own, and at ``flush``/``close``; a post that fails is retried
    with the next batch, so none is lost while the collector comes back.
    """

    def __init__(self, port: int, hostname: str, source: str = "127.0.0.1", collector: str = "127.0.0.1") -> None:
        super().__init__()
        self.port, self.hostname, self.source, self.collector = port, hostname, source, collector
        self.boot_id = uuid.uuid4().hex
        self._pending: list[bytes] = []
        self._posting = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._post_now_and_then, name="journal-upload", daemon=True)
        self._thread.start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            entry = export_entry(record_fields(record, self.format(record), self.hostname, self.boot_id))
        except Exception:  # noqa: BLE001 - logging's own way: a record that cannot be sent is reported, not raised
            self.handleError(record)
            return
        with self.lock:  # type: ignore[union-attr]
            self._pending.append(entry)

    def flush(self) -> None:
        """Post what is pending; False-free: a failed post keeps the entries for the next one."""
        with self._posting:
            with self.lock:  # type: ignore[union-attr]
                batch, self._pending = self._pending, []
            if not batch:
                return
            try:
                self._post(b"".join(batch))
            except OSError:
                with self.lock:  # type: ignore[union-attr]
                    self._pending[:0] = batch

    def _post(self, body: bytes) -> None:
        connection = http.client.HTTPConnection(self.collector, self.port, timeout=10, source_address=(self.source, 0))
        try:
            connection.request("POST", "/upload", body, {"Content-Type": "application/vnd.fdo.journal"})
            response = connection.getresponse()
            response.read()
            if not 200 <= response.status < 300:
                raise OSError(f"the collector answered {response.status} {response.reason}")
        finally:
            connection.close()

    def _post_now_and_then(self) -> None:
        while not self._stopping.wait(FLUSH_SECONDS):
            self.flush()

    def close(self) -> None:
        self._stopping.set()
        self._thread.join()
        self.flush()
        super().close()


class Collector:
    """A systemd-journal-remote that this process starts, listening on 127.0.0.1, one journal file per sender in ``directory``."""

    def __init__(self, directory: str, port: int = 0) -> None:
        program = journal_remote_path()
        if program is None:
            raise FileNotFoundError(
                "systemd-journal-remote not found: install it (Debian and Ubuntu: apt-get install systemd-journal-remote)"
            )
        os.makedirs(directory, exist_ok=True)
        self.directory = directory
        self.port = port or _free_port()
        #: What the collector says (a file: a pipe nobody reads would stop it once full).
        self._said = tempfile.TemporaryFile(prefix="journal-remote-")  # noqa: SIM115 - closed by stop()
        self.process = subprocess.Popen(
            [program, f"--listen-http=127.0.0.1:{self.port}", f"--output={directory.rstrip('/')}/"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._said,
        )
        self._wait_listening()

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if self.process.poll() is not None:
                self._said.seek(0)
                said = self._said.read().decode("utf-8", "replace").strip().splitlines()
                self._said.close()
                raise OSError(f"systemd-journal-remote stopped: {said[-1] if said else self.process.returncode}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise OSError(f"systemd-journal-remote did not listen on 127.0.0.1:{self.port}") from None
                time.sleep(0.02)

    def stop(self) -> None:
        """Stop the collector; it closes its journal files first."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._said.close()

    def __enter__(self) -> Collector:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
