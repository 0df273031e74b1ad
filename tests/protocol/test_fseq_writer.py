"""Tests for the streaming FSEQ v2 writer (lightshow.protocol.fseq_writer)."""

from __future__ import annotations

import io
import itertools
import re

import numpy as np
import pytest

from lightshow.errors import FormatError
from lightshow.protocol.fseq_compression import decompress_block
from lightshow.protocol.fseq_format import FseqHeader, plan_blocks
from lightshow.protocol.fseq_header import parse_header
from lightshow.protocol.fseq_writer import FseqWriter
from tests.protocol.fseq_reference_reader import read_fseq
from tests.protocol.fseq_samples import random_frames, write_file


@pytest.mark.parametrize("compression", ["zstd", "zlib"])
def test_whole_blocks_and_pieces_of_blocks_make_the_same_file(compression):
    """Blocks written whole and blocks gathered from pieces (1, 7, or 13 frames a call)
    give the same bytes."""
    frames = random_frames(57, 24, seed=5)
    writer = FseqWriter(24, 25, compression=compression, frames_per_block=8)
    out = io.BytesIO()
    writer.begin(out, len(frames))
    plan = writer.block_plan()
    assert plan == (8,) * 7 + (1,)
    at = 0
    for size in plan:
        writer.write_frames(frames[at:at + size])
        at += size
    writer.finish()
    for chunk in (1, 7, 13):
        assert write_file(frames, chunk=chunk, compression=compression,
                          frames_per_block=8) == out.getvalue()


def block_sizes(header: FseqHeader) -> list[int]:
    firsts = [first for first, _ in header.blocks] + [header.frame_count]
    return [b - a for a, b in itertools.pairwise(firsts)]


@pytest.mark.parametrize("compression", ["zstd", "zlib"])
@pytest.mark.parametrize(("frames_per_block", "expected"), [
    (None, [10, 490]),            # default blocks are large: the first closes at 10
    (64, [10] + [64] * 7 + [42]),
    (3, [3] * 166 + [2]),         # never more than frames_per_block either
])
def test_first_block_holds_at_most_ten_frames(compression, frames_per_block, expected):
    frames = random_frames(500, 16)
    data = write_file(frames, chunk=33, compression=compression, frames_per_block=frames_per_block)
    assert block_sizes(parse_header(data)) == expected


def test_default_blocks_aim_at_64_kib():
    channels = 1000
    header = parse_header(write_file(random_frames(300, channels), compression="zstd"))
    firsts = [first for first, _ in header.blocks]
    assert firsts[:3] == [0, 10, 10 + 65536 // channels]


def test_default_block_size_grows_to_stay_within_4095_blocks():
    from lightshow.protocol.fseq_writer import _auto_frames_per_block

    per_block = _auto_frames_per_block(5000, 65536)   # 64 KiB frames: 1 per block
    assert per_block == 2
    assert len(plan_blocks(5000, per_block)) <= 4095
    assert _auto_frames_per_block(5000, 16) == 4096


def test_writer_writes_real_files(tmp_path):
    frames = random_frames(45, 9)
    path = tmp_path / "out.fseq"
    writer = FseqWriter(9, 25, "zlib", frames_per_block=4)
    with open(path, "wb") as handle:
        writer.begin(handle, 45)
        writer.write_frames(frames[:20])
        writer.write_frames(frames[20:])
        writer.finish()
    ref = read_fseq(path.read_bytes())
    assert b"".join(ref.frames) == frames.tobytes()


# ---------------------------------------------------------------- writer misuse


def test_writer_rejects_wrong_shapes_and_types():
    writer = FseqWriter(4, 25, "zstd")
    writer.begin(io.BytesIO(), 3)
    with pytest.raises(FormatError, match=r"shape \(n, 4\), got \(2, 5\)"):
        writer.write_frames(np.zeros((2, 5), np.uint8))
    with pytest.raises(FormatError, match=r"shape \(n, 4\), got \(4,\)"):
        writer.write_frames(np.zeros(4, np.uint8))
    with pytest.raises(FormatError, match="uint8 array, got int64"):
        writer.write_frames(np.zeros((1, 4), np.int64))
    with pytest.raises(FormatError, match="exceed the 3 declared"):
        writer.write_frames(np.zeros((4, 4), np.uint8))


def test_writer_checks_frame_count_at_finish():
    writer = FseqWriter(4, 25, "none")
    writer.begin(io.BytesIO(), 3)
    writer.write_frames(np.zeros((2, 4), np.uint8))
    with pytest.raises(FormatError, match="finish\\(\\) after 2 frames, but begin\\(\\) declared 3"):
        writer.finish()


def test_writer_lifecycle_errors():
    writer = FseqWriter(4, 25)
    with pytest.raises(FormatError, match="before begin"):
        writer.write_frames(np.zeros((1, 4), np.uint8))
    writer.begin(io.BytesIO(), 0)
    with pytest.raises(FormatError, match="called twice"):
        writer.begin(io.BytesIO(), 0)
    writer.finish()
    with pytest.raises(FormatError, match="after finish"):
        writer.finish()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"channel_count_total": 0}, "channel count 0 out of range"),
        ({"sparse_ranges": [(8, 4)]}, "ends at channel 12, past the 10 channels"),
        ({"sparse_ranges": [(2, 0)]}, "out of range"),
        ({"sparse_ranges": [(0, 1)] * 256}, "at most 255"),
        ({"step_ms": 0}, "step time 0 ms"),
        ({"step_ms": 300}, "step time 300 ms"),
        ({"compression": "lz4"}, "unknown compression 'lz4'"),
        ({"variable_headers": [("mfx", b"")]}, "2 ASCII characters"),
        ({"frames_per_block": 0}, "frames_per_block must be >= 1"),
    ],
)
def test_writer_rejects_bad_configuration(kwargs, message):
    options = {"channel_count_total": 10, "step_ms": 25}
    options.update(kwargs)
    with pytest.raises(FormatError, match=re.escape(message)):
        FseqWriter(**options)


def test_writer_rejects_too_many_blocks():
    writer = FseqWriter(1, 25, "zstd", frames_per_block=1)
    with pytest.raises(FormatError, match="need 4096 blocks; FSEQ allows 4095"):
        writer.begin(io.BytesIO(), 4096)


@pytest.mark.parametrize("compression", ["zstd", "zlib"])
def test_a_block_fed_in_pieces_decodes_as_one_encoded_whole(compression):
    frames = random_frames(30, 96, seed=3)
    writer = FseqWriter(96, 25, compression=compression, frames_per_block=30)
    encoder = writer.block_encoder(30)
    for at in (0, 7, 19):
        encoder.add(frames[at:{0: 7, 7: 19, 19: 30}[at]])
    data = encoder.finish()
    assert decompress_block(data, compression, frames.nbytes) == frames.tobytes()
    assert decompress_block(writer.encode_block(frames), compression, frames.nbytes) == frames.tobytes()


def test_a_block_fed_in_pieces_must_be_fed_exactly():
    frames = random_frames(10, 8)
    encoder = FseqWriter(8, 25, compression="zstd").block_encoder(6)
    with pytest.raises(FormatError, match="overrun the block"):
        encoder.add(frames[:7])
    encoder.add(frames[:4])
    with pytest.raises(FormatError, match="2 frames short"):
        encoder.finish()
    with pytest.raises(FormatError, match="no blocks"):
        FseqWriter(8, 25, compression="none").block_encoder(6)
