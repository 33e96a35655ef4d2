"""Records sent by anyone: each size bounded before anything is loaded.

What a sender sends is untrusted. The opcode check knows every opcode as
pickletools does and passes any plain data within its bounds; the hostile
frames of issue 12 are decoded in a child process under a memory limit.
"""

from __future__ import annotations

import json
import pickle
import pickletools
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logview.core.plain_pickle import _ARGUMENTS, check_opcodes
from tests.waiting import DEADLINE


def with_raw_msg(opcodes: bytes) -> bytes:
    """A protocol-1 record dict whose ``msg`` is the value ``opcodes`` push: values pickle.dumps cannot make."""
    return b"}(X\x03\x00\x00\x00msg" + opcodes + b"X\x07\x00\x00\x00createdG" + b"A\xd8\x00\x00\x00\x00\x00\x00" + b"u."


def deep_list(depth: int) -> bytes:
    """Opcodes of a list nested ``depth`` deep: ``depth`` empty lists, each appended to the one below."""
    return b"]" * depth + b"a" * (depth - 1)


PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


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


#: Frames that took the listener or the machine, each with what now comes of it.
HOSTILE = {
    "memo index": (b"}Nr" + (1 << 24).to_bytes(4, "little") + b".", "error", "a pickle that puts a value at memo index 16,777,216"),
    "memo index in text": (b"}Np16777216\n.", "error", "a pickle that puts a value at memo index 16777216"),
    "deep tuple key": (b"}N" + b"\x85" * 1_000_000 + b"Ns.", "error", "a pickle of over 2,000 tuples"),
    "empty sets": (b"](" + b"\x8f" * 2_000_000 + b"e.", "error", "a pickle of over 100,000 values"),
    "huge bytearray": (b"}\x96" + (1 << 40).to_bytes(8, "little") + b"x.", "error", "not a pickled record: it ends before its STOP opcode"),
    "list 1M deep": (with_raw_msg(deep_list(1_000_000)), "error", "a pickle of over 100,000 values"),
}

#: Decodes the frame on standard input as the listener does, under a memory limit; says what came of it as JSON.
DECODE = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from logview.core.sent_records import FrameError, record_from_frame
try:
    record = record_from_frame(sys.stdin.buffer.read(), "127.0.0.1:9")
    result = {"msg": record.msg}
except FrameError as error:
    result = {"error": str(error)}
# The peak of this program's own memory: ru_maxrss would also count the parent's, kept across exec.
result["kilobytes"] = int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM:")).split()[1])
print(json.dumps(result))
"""


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_frame_becomes_a_bounded_record_or_one_message(case: str) -> None:
    """Each in a child under a 1 GiB limit: before the bounds, these took GBs, raised or segfaulted."""
    frame, _outcome, expected = HOSTILE[case]
    child = subprocess.run([sys.executable, "-c", DECODE], input=frame, capture_output=True, timeout=DEADLINE, check=False)
    assert child.returncode == 0, child.stderr.decode(errors="replace")[-2000:]
    result = json.loads(child.stdout)
    assert result == {"error": expected, "kilobytes": result["kilobytes"]}
    assert result["kilobytes"] < 200_000  # a Python with logview's core loaded is ~30 MB
