"""Records sent by anyone: each field coerced, each size bounded, and the listener goes on receiving.

What a sender sends is untrusted. Three kinds of test: ``record_from_frame``
given any plain data (hypothesis) and given the hostile frames of issue 12,
those decoded in a child process under a memory limit; a real listener on
127.0.0.1 fuzzed with random, mutated and hostile frames, receiving every
honest record sent around them; and ``logview --print --listen`` and the
app, which go on showing what honest senders send.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import math
import pickle
import pickletools
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.message import Message

from logview.core.sources.plain_pickle import _ARGUMENTS, check_opcodes
from logview.core.sources.sent_records import LATEST, MAX_MESSAGE, MAX_NAME, record_from_frame
from logview.core.sources.socket_listener import SocketListener
from logview.ui.run import listening_app
from tests.functional.driving import SIZE, notices, screen_text, settled, wait_for
from tests.live.children import Child, logview_child
from tests.live.framing import framed
from tests.waiting import DEADLINE, wait_until

SENDER = "127.0.0.1:9"


def sent(**fields: Any) -> dict[str, Any]:
    """A record dict as SocketHandler sends one, with ``fields`` changed."""
    record = logging.LogRecord("myapp.sender", logging.INFO, "/app/main.py", 12, "record %d", (1,), None, "main")
    data = dict(record.__dict__, msg=record.getMessage(), args=None, exc_info=None)
    data.update(fields)
    return data


def payload(protocol: int = 1, **fields: Any) -> bytes:
    return pickle.dumps(sent(**fields), protocol)


def with_raw_msg(opcodes: bytes) -> bytes:
    """A protocol-1 record dict whose ``msg`` is the value ``opcodes`` push: values pickle.dumps cannot make."""
    return b"}(X\x03\x00\x00\x00msg" + opcodes + b"X\x07\x00\x00\x00createdG" + b"A\xd8\x00\x00\x00\x00\x00\x00" + b"u."


def deep_list(depth: int) -> bytes:
    """Opcodes of a list nested ``depth`` deep: ``depth`` empty lists, each appended to the one below."""
    return b"]" * depth + b"a" * (depth - 1)


def shared_lists(levels: int) -> list[Any]:
    """Each level holds the one below twice: 2**levels items when walked, a few bytes pickled."""
    value: list[Any] = []
    for _level in range(levels):
        value = [value, value]
    return value


# --- the record that leaves record_from_frame ---------------------------------------------------------------


def test_an_honest_record_comes_out_as_it_was_sent() -> None:
    logger = logging.getLogger("myapp.honest")
    try:
        raise KeyError("job")
    except KeyError:
        original = logger.makeRecord(logger.name, logging.ERROR, "/app/main.py", 7, "failed %s at %.1f", ("job", 2.5), sys.exc_info())
    handler = logging.handlers.SocketHandler("127.0.0.1", 9)
    record, problems = record_from_frame(handler.makePickle(original)[4:], SENDER)
    assert problems == []
    for field in ("name", "levelno", "levelname", "created", "msecs", "process", "thread", "threadName", "lineno", "exc_text"):
        assert getattr(record, field) == getattr(original, field), field
    assert record.getMessage() == "failed job at 2.5"
    assert record.processName == f"MainProcess@{SENDER}"
    assert "KeyError: 'job'" in record.exc_text


BAD_FIELDS = [
    ({"name": ["a", "b"]}, "name", "['a', 'b']", "name is a list (made text)"),
    ({"levelname": ["INFO"]}, "levelname", "['INFO']", "levelname is a list (made text)"),
    ({"process": [1]}, "process", None, "process is a list (dropped)"),
    ({"process": 10**5000}, "process", None, "process is out of range (dropped)"),
    ({"levelno": "20"}, "levelno", logging.INFO, "levelno is a str (dropped)"),  # the level of its levelname
    ({"threadName": {"a": 1}}, "threadName", "{'a': 1}", "threadName is a dict (made text)"),
    ({"name": "a\tb\nc"}, "name", "a\\tb\\nc", "name has control characters (escaped)"),
    ({"name": "x" * 5000}, "name", "x" * MAX_NAME + "… [logview: 4,000 more characters cut]", "name is over 1,000 characters (cut)"),
    ({"exc_text": ("a", 1)}, "exc_text", "('a', 1)", "exc_text is a tuple (made text)"),
]


@pytest.mark.parametrize(("fields", "field", "expected", "problem"), BAD_FIELDS, ids=[problem for *_case, problem in BAD_FIELDS])
def test_a_field_of_the_wrong_type_is_made_text_or_dropped_and_named(
    fields: dict[str, Any], field: str, expected: Any, problem: str
) -> None:
    record, problems = record_from_frame(payload(2, **fields), SENDER)
    assert getattr(record, field) == expected
    assert problems == [problem]
    assert record.getMessage() == "record 1"
    hash((record.levelno, record.levelname, record.name, record.process, record.processName))  # the queue source's facet key


@pytest.mark.parametrize(
    ("created", "shown", "problem"),
    [
        (1e20, "1e+20 is out of range", "out of range: 1e+20"),
        (math.nan, "nan is not a number", "not a number: nan"),
        (-1e13, "-10000000000000.0 is out of range", "out of range: -10000000000000.0"),
        (10**5000, "<an integer of 16,610 bits> is out of range", "out of range: <an integer of 16,610 bits>"),
        ("noon", "'noon' is a str, not a number", "a str, not a number: 'noon'"),
    ],
    ids=["1e20", "nan", "-1e13", "5000 digits", "text"],
)
def test_a_time_that_is_not_one_is_the_time_received_and_the_message_says_so(created: Any, shown: str, problem: str) -> None:
    before = time.time()
    record, problems = record_from_frame(payload(2, created=created), SENDER)
    assert before <= record.created <= time.time()
    assert record.getMessage() == f"[logview: sent time {shown}; shown at the time received] record 1"
    assert problems == [f"created is {problem} (the time received is shown)"]


def test_a_message_is_formatted_within_bounds_and_marked_where_cut() -> None:
    record, problems = record_from_frame(payload(msg="%s and %s", args=("x" * (2 * MAX_MESSAGE), 2)), SENDER)
    assert record.msg == "x" * (MAX_MESSAGE - len("%s and %s")) + "… and 2 [logview: cut: over the length of a message]"
    assert problems == ["args cut: over the length of a message"]
    record, problems = record_from_frame(payload(msg="y" * (MAX_MESSAGE + 10)), SENDER)
    assert record.msg == "y" * MAX_MESSAGE + "… [logview: 10 more characters cut]"
    assert problems == [f"msg cut: over {MAX_MESSAGE:,} characters"]


def test_a_field_width_that_would_make_a_huge_string_is_not_formatted() -> None:
    record, problems = record_from_frame(payload(msg="%300000000s", args=("x",)), SENDER)
    assert record.msg == "%300000000s (arguments ('x',) not formatted: a field '%300000000' with a width or precision over 999)"
    assert problems == ["msg has a field '%300000000' with a width or precision over 999 (not formatted)"]
    for msg, args, why in [
        ("%*d%%", (10**8, 1), "a field '%*' with a width or precision over 999"),
        ("%(a(b))99999999s", {"a(b)": 1}, "a field '%(a(b))99999999' with a width or precision over 999"),
        ("%" + "9" * 5000 + "s", ("x",), "a field '%9999999999999999999' with a width or precision over 999"),
        ("%s" * 1001 + " 1234", ("x",) * 1001, "over 1,000 fields"),
    ]:
        record, problems = record_from_frame(payload(msg=msg, args=args), SENDER)
        assert record.msg.endswith(f"not formatted: {why})") and problems == [f"msg has {why} (not formatted)"]
    record, problems = record_from_frame(payload(msg="%(a(b))999s %%9999 %(a(b))s", args={"a(b)": "x"}), SENDER)
    assert record.msg == " " * 998 + "x %9999 x" and problems == []


PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)
FIELDS = st.sampled_from(sorted(sent()))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(FIELDS, PLAIN, max_size=6), st.integers(3, 5))
def test_whatever_the_fields_hold_the_record_is_one_the_viewer_can_take(changed: dict[str, Any], protocol: int) -> None:
    """Protocols 3 to 5: before 3, bytes are pickled as a call of a global, refused (as a whole frame) by design."""
    record, problems = record_from_frame(pickle.dumps(sent(**changed), protocol), SENDER)
    for name in ("name", "levelname", "processName"):
        value = getattr(record, name)
        assert type(value) is str and "\t" not in value and "\n" not in value and len(value) < 4 * MAX_NAME + 100, name
    assert type(record.levelno) is int
    assert record.process is None or type(record.process) is int
    assert type(record.created) is float and 0 <= record.created < LATEST
    assert type(record.msg) is str and record.args is None and len(record.msg) < MAX_MESSAGE + 300
    assert record.exc_text is None or type(record.exc_text) is str
    assert record.getMessage() == record.msg
    hash((record.levelno, record.levelname, record.name, record.process, record.processName))
    assert all(type(problem) is str for problem in problems)


# --- the unpickler's bounds ---------------------------------------------------------------------------------


def test_the_opcode_check_knows_every_opcode_as_pickletools_does() -> None:
    codes = {opcode.code.encode("latin-1")[0] for opcode in pickletools.opcodes}
    assert {code for code, layout in enumerate(_ARGUMENTS) if layout is not None} == codes
    for opcode in pickletools.opcodes:
        layout = _ARGUMENTS[opcode.code.encode("latin-1")[0]]
        width = 0 if opcode.arg is None else opcode.arg.n
        assert layout == width if width >= 0 else layout is not None and layout < 0, opcode.name


@settings(max_examples=200, deadline=None)
@given(PLAIN, st.integers(0, 5))
def test_the_opcode_check_passes_any_plain_data_within_its_bounds(value: Any, protocol: int) -> None:
    try:
        data = pickle.dumps(value, protocol)
    except ValueError:
        return  # an integer of over 4,300 digits in protocol 0 or 1
    check_opcodes(data)


#: Frames of issue 12 and more that took the listener or the machine, each with what now comes of it.
HOSTILE = {
    "memo index": (b"}Nr" + (1 << 24).to_bytes(4, "little") + b".", "error", "a pickle that puts a value at memo index 16,777,216"),
    "memo index in text": (b"}Np16777216\n.", "error", "a pickle that puts a value at memo index 16777216"),
    "deep tuple key": (b"}N" + b"\x85" * 1_000_000 + b"Ns.", "error", "a pickle of over 2,000 tuples"),
    "empty sets": (b"](" + b"\x8f" * 2_000_000 + b"e.", "error", "a pickle of over 100,000 values"),
    "huge bytearray": (b"}\x96" + (1 << 40).to_bytes(8, "little") + b"x.", "error", "not a pickled record: it ends before its STOP opcode"),
    "list 1M deep": (with_raw_msg(deep_list(1_000_000)), "error", "a pickle of over 100,000 values"),
    "list 16,000 deep": (with_raw_msg(deep_list(16_000)), "msg", "]]]]]]]]] [logview: cut: nested over 32 deep]"),
    "shared lists": (payload(msg=shared_lists(30)), "msg", "…] [logview: cut: over 10,000 values]"),
    "shared lists as args": (payload(msg="%s", args=(shared_lists(30),)), "msg", "…] [logview: cut: over 10,000 values]"),
    "5,000-digit int": (payload(2, msg=10**5000), "msg", "<an integer of 16,610 bits> [logview: cut: an integer over 10,000 bits]"),
    "huge field width": (payload(msg="%300000000s", args=("x",)), "msg", "with a width or precision over 999)"),
}

#: Decodes the frame on standard input as the listener does, under a memory limit; says what came of it as JSON.
DECODE = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from logview.core.sources.sent_records import FrameError, SentRecords
told = []
try:
    record = SentRecords(told.append).decode(sys.stdin.buffer.read(), "127.0.0.1:9", "tcp")
    result = {"msg": record.msg, "told": told}
except FrameError as error:
    result = {"error": str(error)}
# The peak of this program's own memory: ru_maxrss would also count the parent's, kept across exec.
result["kilobytes"] = int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM:")).split()[1])
print(json.dumps(result))
"""


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_frame_becomes_a_bounded_record_or_one_message(case: str) -> None:
    """Each in a child under a 1 GiB limit: before the bounds, these took GBs, ran for minutes, raised or segfaulted."""
    frame, outcome, expected = HOSTILE[case]
    child = subprocess.run([sys.executable, "-c", DECODE], input=frame, capture_output=True, timeout=DEADLINE, check=False)
    assert child.returncode == 0, child.stderr.decode(errors="replace")[-2000:]
    result = json.loads(child.stdout)
    if outcome == "error":
        assert result == {"error": expected, "kilobytes": result["kilobytes"]}
    else:
        assert result["msg"].endswith(expected)
        assert len(result["msg"]) < MAX_MESSAGE + 300
        assert len(result["told"]) == 1 and result["told"][0].startswith("tcp 127.0.0.1:9: a record with bad fields")
    assert result["kilobytes"] < 200_000  # a Python with logview's core loaded is ~30 MB


# --- a real listener -------------------------------------------------------------------------------------------


@pytest.fixture
def thread_errors() -> Iterator[list[str]]:
    """Tracebacks that end a thread: there must be none from a listener's threads."""
    errors: list[str] = []
    previous = threading.excepthook
    threading.excepthook = lambda args: errors.append(
        f"{args.thread.name if args.thread else '?'}: {args.exc_type.__name__}: {args.exc_value}"
    )
    yield errors
    threading.excepthook = previous


class Honest:
    """Sends numbered honest records over TCP and UDP and waits until the listener has received them."""

    def __init__(self, listener: SocketListener) -> None:
        self.listener = listener
        self.got: set[str] = set()
        self.others: list[logging.LogRecord] = []
        self.number = 0

    def send(self, kind: str) -> str:
        self.number += 1
        text = f"honest {kind} {self.number}"
        record = logging.makeLogRecord({"msg": text, "levelno": logging.INFO, "levelname": "INFO", "name": "honest"})
        handler_type = logging.handlers.SocketHandler if kind == "tcp" else logging.handlers.DatagramHandler
        handler = handler_type("127.0.0.1", self.listener.port)
        handler.handle(record)
        handler.close()
        return text

    def wait(self, *texts: str) -> None:
        def arrived() -> bool:
            while not self.listener.records.empty():
                record = self.listener.records.get()
                if record is not None and record.msg.startswith("honest "):
                    self.got.add(record.msg)
                elif record is not None:
                    self.others.append(record)
            return set(texts) <= self.got

        wait_until(arrived, f"the honest records {texts} received")


def send_tcp(port: int, data: bytes) -> None:
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(data)


def send_udp(port: int, data: bytes) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        sender.sendto(data, ("127.0.0.1", port))


def test_one_bad_record_neither_stops_a_sender_nor_the_listener(thread_errors: list[str]) -> None:
    """Bad records on one connection, honest ones between them: every record shown, one line told, then a count."""
    listener = SocketListener()
    honest = Honest(listener)
    try:
        bad = [{"name": ["a"]}, {"levelname": ["x"]}, {"process": [1]}, {"created": 1e20}, {"created": math.nan}, {"created": -1e13}]
        frames = [
            framed(payload(msg=f"between {number}")) + framed(payload(msg=f"bad {number}", **fields)) for number, fields in enumerate(bad)
        ]
        send_tcp(listener.port, b"".join(frames) + framed(payload(msg="honest tcp last")))
        send_udp(listener.port, framed(with_raw_msg(deep_list(16_000))))
        honest.wait("honest tcp last", honest.send("udp"), honest.send("tcp"))
        wait_until(lambda: len(listener.problems) >= 3, "the bad records told")
        shown = sorted(record.msg for record in honest.others)
        assert [text for text in shown if text.startswith(("between", "bad"))] == sorted(
            [f"between {number}" for number in range(6)] + [f"bad {number}" for number in range(3)]
        )
        assert [text for text in shown if text.startswith("[logview: sent time")] == [
            "[logview: sent time -10000000000000.0 is out of range; shown at the time received] bad 5",
            "[logview: sent time 1e+20 is out of range; shown at the time received] bad 3",
            "[logview: sent time nan is not a number; shown at the time received] bad 4",
        ]
        tcp = [problem for problem in listener.problems if problem.startswith("tcp")]
        assert len(tcp) == 2
        assert tcp[0].endswith(
            ": a record with bad fields, shown all the same: name is a list (made text); later ones from this sender are counted"
        )
        assert tcp[1].endswith(": 5 more records with bad fields, shown all the same")
        (udp,) = [problem for problem in listener.problems if problem.startswith("udp")]
        assert "msg is a list (made text); msg cut: nested over 32 deep" in udp
    finally:
        listener.close()
    assert thread_errors == []


FRAMES_TO_MUTATE = [
    payload(),
    payload(2, msg="%s", args=([1, 2], {"a": (3,)})),
    payload(4, created=1e20, name=["x"]),
    *(f for f, _o, _e in HOSTILE.values() if len(f) < 4096),
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A frame that was a pickle, with bytes changed, inserted or cut out."""
    data = bytearray(draw(st.sampled_from(FRAMES_TO_MUTATE)))
    for _change in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(("set", "insert", "delete", "truncate")))
        if how == "set" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=6))
        elif how == "delete":
            del data[at : at + draw(st.integers(1, 6))]
        else:
            del data[at:]
    return bytes(data)


PICKLED_RECORDS = st.builds(
    lambda changed, protocol: pickle.dumps(sent(**changed), protocol), st.dictionaries(FIELDS, PLAIN, max_size=4), st.integers(2, 5)
)


HOSTILE_FRAMES = st.sampled_from([frame for frame, _outcome, _expected in HOSTILE.values()])


def test_fuzzed_frames_never_stop_the_listener_and_honest_records_around_them_arrive(thread_errors: list[str]) -> None:
    listener = SocketListener()
    honest = Honest(listener)

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.one_of(st.binary(max_size=200), PICKLED_RECORDS, mutated(), HOSTILE_FRAMES))
    def hostile_between_honest(frame: bytes) -> None:
        before = (honest.send("tcp"), honest.send("udp"))
        send_tcp(listener.port, framed(frame))
        if len(frame) < 65_000:
            send_udp(listener.port, framed(frame))
        honest.wait(*before, honest.send("tcp"), honest.send("udp"))

    try:
        hostile_between_honest()
        assert all(type(record.msg) is str and len(record.msg) < MAX_MESSAGE + 300 for record in honest.others)
    finally:
        listener.close()
    assert thread_errors == []
    assert all("\n" not in problem and len(problem) < 2000 for problem in listener.problems)


# --- logview itself ----------------------------------------------------------------------------------------------


def _listening() -> tuple[Child, int]:
    printer = logview_child("--print", "--listen", "127.0.0.1:0")
    printer.wait_for_stderr("listening on 127.0.0.1:", "the printer listening")
    port = int(printer.stderr.split("listening on 127.0.0.1:")[1].split()[0])
    return printer, port


def test_print_listen_prints_every_record_sent_after_a_bad_or_hostile_one() -> None:
    printer, port = _listening()
    try:
        for number, bad in enumerate(
            [{"name": ["a"]}, {"levelname": ["INFO"]}, {"process": [1]}, {"created": 1e20}, {"created": math.nan}, {"created": -1e13}]
        ):
            send_tcp(port, framed(payload(msg=f"bad {number}", **bad)) + framed(payload(msg=f"after bad {number}")))
            printer.wait_for_line(f"\tafter bad {number}".encode(), f"the record sent after bad record {number} printed")
        for case in ("shared lists", "list 16,000 deep", "5,000-digit int", "list 1M deep", "memo index"):
            send_tcp(port, framed(HOSTILE[case][0]))
            send_tcp(port, framed(payload(msg=f"after {case}")))
            printer.wait_for_line(f"\tafter {case}".encode(), f"the record sent after the {case} frame printed")
        assert printer.process.poll() is None
    finally:
        status = printer.interrupt()
    assert status == 130, printer.stderr
    assert "Traceback" not in printer.stderr
    lines = [line.decode() for line in printer.lines]
    assert any(line.endswith("\t[logview: sent time 1e+20 is out of range; shown at the time received] bad 3") for line in lines)
    assert any("\t['a']\t" in line and line.endswith("\tbad 0") for line in lines)
    assert any(line.endswith("[logview: cut: over 10,000 values]") for line in lines)
    assert "name is a list (made text)" in printer.stderr
    assert "a pickle that puts a value at memo index 16,777,216; connection closed" in printer.stderr


async def test_the_app_shows_the_records_sent_after_a_bad_one() -> None:
    listener = SocketListener()
    app = listening_app([], None, None, listener)
    try:
        messages: list[Message] = []
        async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
            await settled(pilot)
            send_tcp(listener.port, framed(payload(msg="bad name", name=["x"])) + framed(payload(msg="sent after it")))
            await wait_for(pilot, lambda: "sent after it" in screen_text(app) and "bad name" in screen_text(app), what="both records shown")
            await wait_for(pilot, lambda: any("name is a list (made text)" in notice for notice in notices(messages)), what="the toast")
    finally:
        listener.close()
