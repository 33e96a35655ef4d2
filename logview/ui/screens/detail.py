"""The detail view of one record: every parsed field, its source and line, the whole message.

A record over the cap (MAX_RECORD_BYTES) is read back as its head and a mark;
here the rest of it is shown on demand, a piece at a time read from its file
or spool (``m``), and the whole of it can be saved to a file (``s``), written
a piece at a time: never more than one piece of it in memory.
"""

from __future__ import annotations

import json
from functools import partial

import numpy as np
from rich.console import RenderableType
from rich.json import JSON
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Footer

from logview.core.pipeline import Pipeline
from logview.core.record import MAX_RECORD_BYTES, Record, format_time
from logview.core.record_text import StoredRecord, cut_mark
from logview.ui.widgets.prompt_bar import PromptBar
from logview.ui.widgets.record_body import RecordBody


class DetailScreen(ModalScreen[None]):
    BINDINGS = [
        # With priority, as the app's keys (commands.bindings): the Esc closes before the app reads the key after it.
        Binding("escape,q,enter", "dismiss", "Close", priority=True),
        Binding("c", "copy", "Copy record"),
        Binding("m", "more", "More of a cut record"),
        Binding("s", "save", "Save record"),
    ]

    DEFAULT_CSS = """
    DetailScreen { align: center middle; }
    DetailScreen > RecordBody { width: 90%; height: 90%; border: thick $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, record: Record, stored: StoredRecord | None = None, piece: int = MAX_RECORD_BYTES) -> None:
        """``stored``: where the record's bytes are, to show more of it and save it (None: a record not indexed yet).

        ``piece``: how many bytes ``m`` shows at once.
        """
        super().__init__()
        self.record = record
        self.stored = stored
        self.piece = piece
        #: Where the bytes shown end, counted from the record's first byte; None while its message is shown.
        self.shown: tuple[int, int] | None = None
        #: Where the head that the message shows ends.
        self.head_end = stored.head_end() if stored is not None else 0

    @classmethod
    def of_row(cls, record: Record, row: int | None, pipeline: Pipeline) -> DetailScreen:
        """The details of ``record``, at ``row`` of the pipeline's timeline (None: a record shown before the index had it)."""
        if row is None:
            return cls(record)
        sources, offsets, lengths = pipeline.timeline.spans(np.array([row]))
        return cls(record, StoredRecord(partial(pipeline.read_bytes, int(sources[0])), int(offsets[0]), int(lengths[0])))

    @property
    def is_cut(self) -> bool:
        return self.stored is not None and self.head_end < self.stored.text_length

    def compose(self) -> ComposeResult:
        body = RecordBody(id="body")
        keys = ", m shows more" if self.is_cut else ""
        keys += ", s saves" if self.stored is not None else ""
        body.border_title = f"Record (c copies{keys}, Esc closes)"
        yield body
        yield PromptBar(lambda: body, id="detail-prompt")
        yield Footer()

    def on_mount(self) -> None:
        self._show_message()

    def _fields(self) -> Table:
        record = self.record
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan")
        table.add_column()
        table.add_row("time", format_time(record.time) or "-")
        table.add_row("level", f"{record.level or '-'}" + (f" ({record.levelno})" if record.levelno is not None else ""))
        table.add_row("logger", record.logger or "-")
        table.add_row("pid", str(record.pid) if record.pid is not None else "-")
        # A record read from an input's end before the index had it has no line number yet.
        table.add_row("source", f"{record.source}:{record.line}" if record.line else record.source)
        for key, value in record.fields.items():
            if key != "message":
                table.add_row(key, _field_value(value))
        return table

    def _show_message(self) -> None:
        self.shown = None
        above: list[RenderableType] = [self._fields(), Text("\nmessage", style="bold cyan")]
        if self.is_cut:
            assert self.stored is not None
            above.append(self._hint(f"The line's first {self.head_end:,} bytes of {self.stored.text_length:,}.", self.head_end))
        self.query_one(RecordBody).show(above, self.record.message)

    def _hint(self, said: str, stop: int) -> Text:
        """The line that says what is shown of a cut record, and the keys for the rest."""
        assert self.stored is not None
        more = self.stored.text_length - stop
        then = f"m: the next {_size(min(more, self.piece))}" if more else "m: back to its start"
        return Text(f"{said} {then} · s: save the whole record to a file", style="italic")

    def action_more(self) -> None:
        """The next piece of a cut record in place of what was shown, or its message again after its last piece."""
        stored = self.stored
        if stored is None or not self.is_cut:
            return
        start = self.head_end if self.shown is None else self.shown[1]
        if start >= stored.text_length:
            self._show_message()
            return
        data = stored.piece(start, self.piece)
        if not data:
            self.notify(f"the record's bytes from {start:,} are gone (its file shrank)", severity="warning")
            return
        stop = start + len(data)
        self.shown = (start, stop)
        more = stored.text_length - stop
        text = data.decode("utf-8", "replace").replace("\r\n", "\n") + (cut_mark(more).decode() if more else "")
        end = "" if more else ", the record's end"
        said = f"Bytes {start:,}–{stop:,} of {stored.text_length:,}{end} (those before are no longer shown)."
        header = Text(f"\nthe record, bytes {start:,}–{stop:,}", style="bold cyan")
        self.query_one(RecordBody).show([header, self._hint(said, stop)], text)

    def action_save(self) -> None:
        """Ask for a file and write the whole record to it, in pieces, on a thread: it may be hundreds of MB."""
        stored = self.stored
        if stored is None:
            return

        def save(path: str) -> None:
            self.app.run_worker(lambda: _write(self.app, stored, path), thread=True, group="save")

        self.query_one(PromptBar).ask_path(f"Save the record ({stored.length:,} bytes) to", "logview-record.log", save, self._not_saved)

    def _not_saved(self) -> None:
        self.notify("not saved")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the file's name is typed, every key is the prompt's (q, Enter, Esc, m, s included).
        return not self.query_one(PromptBar).is_open

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.record.text)
        self.notify("Record copied to the clipboard")


def _field_value(value: str) -> RenderableType:
    """A field as shown: an object or a list (a JSON record's nested fields) pretty-printed, other text as it is."""
    if value[:1] in ("{", "[") and value[-1:] in ("}", "]"):
        try:
            nested = json.loads(value)
        except ValueError:
            nested = None
        if isinstance(nested, dict | list) and nested:
            return JSON.from_data(nested, indent=2, ensure_ascii=False)
    return Text(value)


def _write(app: App[object], stored: StoredRecord, path: str) -> None:
    """Write ``stored`` to ``path`` (on a worker's thread) and say how it went."""
    try:
        with open(path, "wb") as out:
            written = stored.write_to(out)
    except OSError as error:
        app.call_from_thread(app.notify, f"cannot save to {path}: {error.strerror or error}", severity="error")
        return
    lost = f" ({stored.length - written:,} bytes are gone: the file shrank)" if written < stored.length else ""
    app.call_from_thread(app.notify, f"saved the record, {written:,} bytes, to {path}{lost}")


def _size(count: int) -> str:
    """A piece's size as people say it: 4 MiB, 300 KiB, 120 bytes."""
    if count >= 1 << 20 and count % (1 << 20) == 0:
        return f"{count >> 20} MiB"
    return f"{count:,} bytes"
