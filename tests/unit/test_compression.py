"""Compressed inputs are recognised by magic bytes and read as streams."""

from __future__ import annotations

import bz2
import gzip
import lzma
from pathlib import Path

import pytest

from logview.core.inputs.opener import open_input
from logview.core.pipeline import Pipeline
from tests.unit.logfiles import record, write_records

COMPRESSORS = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}


@pytest.fixture
def plain_log(tmp_path: Path) -> Path:
    path = tmp_path / "plain.log"
    write_records(path, [record(1709251200 + i, f"line {i}", level=10 * (1 + i % 5)) for i in range(2000)])
    return path


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
def test_each_compression_prints_the_same_as_plain(tmp_path: Path, plain_log: Path, kind: str, logview) -> None:
    packed = tmp_path / f"copy.log.{kind}"
    packed.write_bytes(COMPRESSORS[kind](plain_log.read_bytes()))
    result = logview("--print", str(packed))
    assert result.returncode == 0, result.stderr
    assert result.stdout == plain_log.read_bytes()


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
def test_magic_bytes_not_suffix_decide(tmp_path: Path, plain_log: Path, kind: str, logview) -> None:
    disguised = tmp_path / "no-suffix.txt"
    disguised.write_bytes(COMPRESSORS[kind](plain_log.read_bytes()))
    assert logview("--print", str(disguised)).stdout == plain_log.read_bytes()


def test_gzip_is_inflated_as_a_stream_in_chunks(tmp_path: Path, plain_log: Path) -> None:
    packed = tmp_path / "big.log.gz"
    packed.write_bytes(gzip.compress(plain_log.read_bytes() * 20))
    opened = open_input(str(packed))
    seen = []
    for chunk in opened.chunks(chunk_size=64 * 1024):
        # The first chunk is parseable before the rest is inflated.
        seen.append((chunk.offset, chunk.length))
        if len(seen) == 1:
            assert chunk.data is not None and chunk.data.startswith(b"2024-") and chunk.data.endswith(b"\n")
    opened.close()
    assert len(seen) > 10
    assert seen[-1][0] + seen[-1][1] == len(plain_log.read_bytes()) * 20


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
def test_truncated_compressed_file_keeps_records_before_the_damage(tmp_path: Path, kind: str, logview) -> None:
    big = tmp_path / "big.log"
    write_records(big, [record(1709251200 + i / 10, f"line {i} {i * 7919 % 10007}") for i in range(40000)])
    data = COMPRESSORS[kind](big.read_bytes())
    damaged = tmp_path / f"damaged.log.{kind}"
    damaged.write_bytes(data[: len(data) * 2 // 3])
    result = logview("--print", str(damaged))
    assert result.returncode == 1
    errors = result.stderr.decode().strip().splitlines()
    assert len(errors) == 1 and str(damaged) in errors[0] and "corrupt or truncated" in errors[0]
    assert len(result.stdout) > len(big.read_bytes()) // 3
    assert big.read_bytes().startswith(result.stdout)


def test_corrupt_gzip_body(tmp_path: Path, plain_log: Path) -> None:
    data = bytearray(gzip.compress(plain_log.read_bytes()))
    data[40:60] = b"\xff" * 20
    damaged = tmp_path / "corrupt.log.gz"
    damaged.write_bytes(bytes(data))
    pipeline = Pipeline()
    pipeline.load([str(damaged)])
    assert pipeline.errors and str(damaged) in pipeline.errors[0]
    pipeline.close()


def test_first_records_are_indexed_before_the_inflating_ends(tmp_path: Path, plain_log: Path) -> None:
    packed = tmp_path / "stream.log.gz"
    packed.write_bytes(gzip.compress(plain_log.read_bytes() * 10))
    pipeline = Pipeline(chunk_size=32 * 1024)
    seen: list[tuple[int, str]] = []
    pipeline.load([str(packed)], on_progress=lambda state: seen.append((len(pipeline.timeline), state.status.word)))
    reading = [count for count, state in seen if state == "reading"]
    assert reading and 0 < reading[0] < 20000
    assert seen[-1] == (20000, "done")
    pipeline.close()
