"""Tests for the FSEQ v2 codec (lightshow.protocol.fseq)."""

from __future__ import annotations

import io
import itertools
import mmap
import re
import struct
import zlib

import numpy as np
import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from lightshow.errors import FormatError
from lightshow.protocol.fseq import (
    FseqHeader,
    FseqReader,
    FseqWriter,
    build_header,
    compress_block,
    decompress_block,
    fseq_step_drift,
    fseq_step_ms,
    parse_header,
    plan_blocks,
    string_variable_header,
)
from tests.protocol.fseq_reference_reader import read_fseq

# ---------------------------------------------------------------- helpers


def random_frames(count: int, channels: int, seed: int = 0) -> np.ndarray:
    """Frames with some structure (so compression has work) and some noise."""
    rng = np.random.default_rng(seed)
    ramp = (np.arange(count)[:, None] + np.arange(channels)[None, :]) % 256
    noise = rng.integers(0, 4, size=(count, channels))
    return ((ramp + noise) % 256).astype(np.uint8)


def write_file(frames: np.ndarray, chunk: int | None = None, **options) -> bytes:
    """Write ``frames`` through FseqWriter in chunks of ``chunk`` frames."""
    options.setdefault("step_ms", 25)
    writer = FseqWriter(frames.shape[1], **options)
    out = io.BytesIO()
    writer.begin(out, len(frames))
    step = chunk or max(1, len(frames))
    for pos in range(0, len(frames), step):
        writer.write_frames(frames[pos:pos + step])
    writer.finish()
    return out.getvalue()


def expected_stored(frames: np.ndarray, ranges) -> np.ndarray:
    if not ranges:
        return frames
    return np.concatenate([frames[:, s:s + c] for s, c in ranges], axis=1)


def expected_full(frames: np.ndarray, ranges) -> np.ndarray:
    if not ranges:
        return frames
    full = np.zeros_like(frames)
    for s, c in ranges:
        full[:, s:s + c] = frames[:, s:s + c]
    return full


# ---------------------------------------------------------------- golden bytes


GOLDEN_FRAMES = np.array([[1, 2, 3, 4], [5, 6, 7, 8]], dtype=np.uint8)

GOLDEN = bytes.fromhex(
    "50534551"            # 0  'PSEQ'
    "3400"                # 4  channel data offset 52
    "00"                  # 6  minor 0
    "02"                  # 7  major 2
    "2000"                # 8  first variable header at 32 (no blocks, no ranges)
    "04000000"            # 10 4 channels per frame
    "02000000"            # 14 2 frames
    "19"                  # 18 step 25 ms
    "00"                  # 19 flags
    "00"                  # 20 compression none, block count high bits 0
    "00"                  # 21 block count 0
    "00"                  # 22 sparse ranges 0
    "00"                  # 23 flags
    "0807060504030201"    # 24 unique id 0x0102030405060708
    "0a00" "6d66" "612e6d703300"  # 32 'mf' len 10, "a.mp3\0"
    "0700" "7370" "787900"        # 42 'sp' len 7, "xy\0"
    "000000"              # 49 padding to 52
    "01020304" "05060708"  # 52 channel data
)


def golden_file() -> bytes:
    return write_file(
        GOLDEN_FRAMES,
        compression="none",
        unique_id=0x0102030405060708,
        variable_headers=[string_variable_header("mf", "a.mp3"), string_variable_header("sp", "xy")],
    )


def test_golden_uncompressed_file_byte_by_byte():
    data = golden_file()
    assert len(data) == len(GOLDEN)
    mismatches = [(i, data[i], GOLDEN[i]) for i in range(len(GOLDEN)) if data[i] != GOLDEN[i]]
    assert mismatches == [], "(offset, got, expected)"


def test_golden_header_fields_follow_the_table():
    data = golden_file()
    assert data[0:4] == b"PSEQ"
    assert struct.unpack_from("<H", data, 4)[0] == 52
    assert struct.unpack_from("<H", data, 4)[0] % 4 == 0
    assert data[6] == 0 and data[7] == 2
    assert struct.unpack_from("<H", data, 8)[0] == 32 + 8 * 0 + 6 * 0
    assert struct.unpack_from("<I", data, 10)[0] == 4
    assert struct.unpack_from("<I", data, 14)[0] == 2
    assert data[18] == 25
    assert data[19] == 0 and data[23] == 0
    assert data[20] == 0 and data[21] == 0 and data[22] == 0
    assert struct.unpack_from("<Q", data, 24)[0] == 0x0102030405060708


def test_golden_header_parses_back():
    header = parse_header(GOLDEN)
    assert header == FseqHeader(
        channel_data_offset=52, minor_version=0, major_version=2, channel_count=4,
        frame_count=2, step_ms=25, compression="none", blocks=(), sparse_ranges=(),
        variable_headers=(("mf", b"a.mp3\0"), ("sp", b"xy\0")),
        unique_id=0x0102030405060708,
    )
    assert header.media_filename == "a.mp3"
    assert header.variable_header("zz") is None


def test_sparse_compressed_header_layout():
    frames = random_frames(25, 12)
    data = write_file(frames, compression="zstd", sparse_ranges=[(2, 3), (10, 1)], frames_per_block=8)
    # blocks: 8 (first block capped by frames_per_block) + 8 + 8 + 1
    assert data[20] == 1 and data[21] == 4 and data[22] == 2
    assert struct.unpack_from("<I", data, 10)[0] == 4          # 3 + 1 stored channels
    ranges_at = 32 + 8 * 4
    assert struct.unpack_from("<H", data, 8)[0] == ranges_at + 6 * 2
    assert data[ranges_at:ranges_at + 12] == bytes.fromhex("020000030000" "0a0000010000")
    firsts = [struct.unpack_from("<I", data, 32 + 8 * i)[0] for i in range(4)]
    assert firsts == [0, 8, 16, 24]
    lengths = [struct.unpack_from("<I", data, 36 + 8 * i)[0] for i in range(4)]
    offset = struct.unpack_from("<H", data, 4)[0]
    assert offset % 4 == 0
    assert offset + sum(lengths) == len(data)


def test_build_header_reserves_zeroed_block_slots():
    header = build_header(channel_count=3, frame_count=5, step_ms=50, compression="zlib",
                          blocks=[(0, 11)], block_slots=3)
    assert header[21] == 3
    assert header[40:56] == bytes(16)
    assert parse_header(header).blocks == ((0, 11),)


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("compression", ["none", "zstd", "zlib"])
@pytest.mark.parametrize("ranges", [None, [(3, 4)], [(0, 2), (9, 5), (20, 1)]])
@pytest.mark.parametrize("chunk", [1, 7, 13, None])
def test_round_trip(compression, ranges, chunk):
    frames = random_frames(57, 24, seed=3)
    data = write_file(frames, chunk=chunk, compression=compression,
                      sparse_ranges=ranges, frames_per_block=8)
    reader = FseqReader(data)
    header = reader.header
    assert header.compression == compression
    assert header.frame_count == 57
    assert header.sparse_ranges == tuple(ranges or ())
    stored = expected_stored(frames, ranges)
    assert header.channel_count == stored.shape[1]
    np.testing.assert_array_equal(reader.read_frames(0, 57), stored)
    np.testing.assert_array_equal(reader.read_frames_full(0, 57, 24), expected_full(frames, ranges))
    # Windows crossing block boundaries, single frames and empty ranges.
    for start, stop in [(0, 1), (5, 19), (8, 16), (15, 17), (56, 57), (30, 30), (0, 0)]:
        np.testing.assert_array_equal(reader.read_frames(start, stop), stored[start:stop])


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


@pytest.mark.parametrize("compression", ["none", "zstd", "zlib"])
@pytest.mark.parametrize("ranges", [None, [(1, 2), (6, 3)]])
def test_reference_reader_agrees(compression, ranges):
    frames = random_frames(43, 10, seed=9)
    headers = [string_variable_header("mf", "song.mp3"), ("zz", b"\x01\x02\x03")]
    data = write_file(frames, chunk=5, compression=compression, sparse_ranges=ranges,
                      frames_per_block=6, unique_id=77, step_ms=50, variable_headers=headers)
    ref = read_fseq(data)
    ours = parse_header(data)
    assert ref.data_offset == ours.channel_data_offset
    assert ref.minor == ours.minor_version == 0
    assert ref.major == 2
    assert ref.stored_channels == ours.channel_count
    assert ref.frame_count == 43
    assert ref.step_ms == 50
    assert ref.compression == {"none": 0, "zstd": 1, "zlib": 2}[compression]
    assert ref.unique_id == 77
    assert ref.blocks == list(ours.blocks)
    assert ref.ranges == list(ranges or [])
    assert ref.variables == [(b"mf", b"song.mp3\0"), (b"zz", b"\x01\x02\x03")]
    stored = expected_stored(frames, ranges)
    full = expected_full(frames, ranges)
    for i in range(43):
        assert ref.frames[i] == stored[i].tobytes()
        assert ref.full_frame(i, 10) == full[i].tobytes()


def test_uncompressed_file_has_no_blocks():
    data = write_file(random_frames(30, 5), compression="none")
    assert data[21] == 0 and data[20] == 0
    assert parse_header(data).blocks == ()


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


def test_plan_blocks():
    assert plan_blocks(0, 5) == ()
    assert plan_blocks(3, 100) == (3,)
    assert plan_blocks(25, 100) == (10, 15)
    assert plan_blocks(25, 4) == (4, 4, 4, 4, 4, 4, 1)
    assert plan_blocks(31, 7) == (7, 7, 7, 7, 3)
    assert sum(plan_blocks(1234, 37)) == 1234


def test_more_than_255_blocks_use_minor_1_and_high_bits():
    frames = random_frames(300, 3)
    data = write_file(frames, chunk=17, compression="zlib", frames_per_block=1)
    assert data[6] == 1
    assert data[20] >> 4 == 1 and data[20] & 0x0F == 2
    assert data[21] == 300 - 256
    ref = read_fseq(data)
    assert ref.block_count == 300
    assert b"".join(ref.frames) == frames.tobytes()
    np.testing.assert_array_equal(FseqReader(data).read_frames(0, 300), frames)


def test_default_block_size_grows_to_stay_within_4095_blocks():
    from lightshow.protocol.fseq import _auto_frames_per_block

    per_block = _auto_frames_per_block(5000, 65536)   # 64 KiB frames: 1 per block
    assert per_block == 2
    assert len(plan_blocks(5000, per_block)) <= 4095
    assert _auto_frames_per_block(5000, 16) == 4096


def test_zero_frames():
    for compression in ("none", "zstd", "zlib"):
        reader = FseqReader(write_file(np.zeros((0, 4), np.uint8), compression=compression))
        assert reader.frame_count == 0
        assert reader.read_frames(0, 0).shape == (0, 4)


def test_uncompressed_read_is_zero_copy():
    data = write_file(random_frames(20, 6), compression="none")
    reader = FseqReader(data)
    window = reader.read_frames(4, 9)
    assert not window.flags.writeable
    assert np.shares_memory(window, np.frombuffer(data, dtype=np.uint8))


def test_reader_caches_last_block(monkeypatch):
    from lightshow.protocol import fseq

    data = write_file(random_frames(40, 4), compression="zstd", frames_per_block=10)
    reader = FseqReader(data)
    calls = []
    real = fseq.decompress_block
    monkeypatch.setattr(fseq, "decompress_block", lambda *a: calls.append(a) or real(*a))
    for i in range(10, 20):
        reader.read_frames(i, i + 1)
    assert len(calls) == 1
    reader.read_frames(35, 40)
    assert len(calls) == 2


def test_reader_over_mmap(tmp_path):
    frames = random_frames(33, 7)
    path = tmp_path / "show.fseq"
    path.write_bytes(write_file(frames, compression="none", sparse_ranges=[(2, 4)]))
    with (
        open(path, "rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mm,
        FseqReader(mm) as reader,
    ):
        np.testing.assert_array_equal(reader.read_frames(0, 33), frames[:, 2:6])
        full = reader.read_frames_full(3, 5, 9)
        assert full.shape == (2, 9)
        np.testing.assert_array_equal(full[:, 2:6], frames[3:5, 2:6])
        assert not full[:, :2].any() and not full[:, 6:].any()


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


def test_reads_fpp_style_zstd_blocks_without_content_size():
    """FPP streams zstd, so frames carry no content size; the reader must cope."""
    frames = random_frames(15, 6)
    blocks, body = [], b""
    for first, stop in [(0, 10), (10, 15)]:
        cobj = zstandard.ZstdCompressor(level=3).compressobj()
        chunk = cobj.compress(frames[first:stop].tobytes()) + cobj.flush()
        blocks.append((first, len(chunk)))
        body += chunk
    header = build_header(channel_count=6, frame_count=15, step_ms=25, compression="zstd",
                          blocks=blocks, block_slots=4)
    reader = FseqReader(header + body)
    np.testing.assert_array_equal(reader.read_frames(0, 15), frames)


def test_accepts_legacy_header_length_field():
    """Older FPP wrote the channel-data offset into bytes 8-9."""
    data = bytearray(golden_file())
    data[8:10] = (52).to_bytes(2, "little")
    assert parse_header(bytes(data)).variable_headers[0][0] == "mf"


def test_compress_block_is_independent():
    raw = bytes(range(256)) * 10
    assert zlib.decompress(compress_block(raw, "zlib")) == raw        # RFC 1950, not gzip
    assert zstandard.ZstdDecompressor().decompress(compress_block(raw, "zstd")) == raw
    assert decompress_block(compress_block(raw, "zstd", 5), "zstd", len(raw)) == raw


# ---------------------------------------------------------------- property


@settings(max_examples=40, deadline=None)
@given(
    data=st.data(),
    frame_count=st.integers(0, 40),
    channels=st.integers(1, 12),
    compression=st.sampled_from(["none", "zstd", "zlib"]),
    frames_per_block=st.one_of(st.none(), st.integers(1, 15)),
)
def test_round_trip_property(data, frame_count, channels, compression, frames_per_block):
    size = frame_count * channels
    raw = data.draw(st.binary(min_size=size, max_size=size))
    frames = np.frombuffer(raw, dtype=np.uint8).reshape(frame_count, channels)
    starts = data.draw(st.lists(st.integers(0, channels - 1), max_size=3, unique=True))
    ranges = [(s, data.draw(st.integers(1, channels - s))) for s in sorted(starts)] or None
    chunk = data.draw(st.integers(1, max(1, frame_count)))
    blob = write_file(frames, chunk=chunk, compression=compression,
                      sparse_ranges=ranges, frames_per_block=frames_per_block)
    reader = FseqReader(blob)
    np.testing.assert_array_equal(reader.read_frames(0, frame_count), expected_stored(frames, ranges))
    assert b"".join(read_fseq(blob).frames) == expected_stored(frames, ranges).tobytes()
    for first, _ in reader.header.blocks[:1]:
        assert first == 0
    if len(reader.header.blocks) > 1:
        assert reader.header.blocks[1][0] <= 10


# ---------------------------------------------------------------- corrupt input


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d[:20], "truncated FSEQ header: 20 bytes"),
        (lambda d: d[:40], "truncated FSEQ header: 40 bytes, the header runs to byte 52"),
        (lambda d: b"FSEQ" + d[4:], "magic b'FSEQ'"),
        (lambda d: d[:7] + b"\x01" + d[8:], "major version 1.0"),
        (lambda d: d[:20] + b"\x07" + d[21:], "unknown FSEQ compression type 7"),
        (lambda d: d[:4] + b"\x10\x00" + d[6:], "lies inside"),
        (lambda d: d[:8] + b"\x24\x00" + d[10:], "variable-header offset (bytes 8-9) is 36"),
        (lambda d: d[:32] + b"\x30\x00" + d[34:], "variable header at byte 32 has length 48"),
        (lambda d: d[:32] + b"\x02\x00" + d[34:], "has length 2"),
        (lambda d: d[:50] + b"\x01" + d[51:], "stray bytes"),
    ],
)
def test_corrupt_headers_raise_format_error(mutate, message):
    with pytest.raises(FormatError) as info:
        parse_header(bytes(mutate(golden_file())))
    assert message in str(info.value)


def test_truncated_uncompressed_data():
    with pytest.raises(FormatError, match="uncompressed channel data needs 60"):
        FseqReader(golden_file()[:-1])


def compressed_file(**options) -> bytes:
    return write_file(random_frames(30, 5), compression="zstd", frames_per_block=10, **options)


def test_truncated_compressed_data():
    data = compressed_file()
    with pytest.raises(FormatError, match="truncated FSEQ file"):
        FseqReader(data[:-3])


def test_corrupt_block_names_the_block():
    data = bytearray(compressed_file())
    offset = parse_header(data).channel_data_offset
    first_len = parse_header(data).blocks[0][1]
    data[offset + first_len + 4:offset + first_len + 8] = b"\xff\xff\xff\xff"
    reader = FseqReader(bytes(data))
    np.testing.assert_array_equal(reader.read_frames(0, 10), random_frames(30, 5)[:10])
    with pytest.raises(FormatError, match=r"block 1 \(frames 10\.\.19\)"):
        reader.read_frames(12, 13)


def test_block_with_wrong_size_is_rejected():
    body = compress_block(bytes(5 * 3), "zlib")
    header = build_header(channel_count=5, frame_count=4, step_ms=25, compression="zlib",
                          blocks=[(0, len(body))])
    with pytest.raises(FormatError, match="decodes to 15 bytes, expected 20"):
        FseqReader(header + body).read_frames(0, 1)


def test_block_index_must_increase_and_start_at_zero():
    bad_order = build_header(channel_count=1, frame_count=20, step_ms=25, compression="zstd",
                             blocks=[(0, 5), (10, 5), (10, 5)])
    with pytest.raises(FormatError, match="not after the previous"):
        parse_header(bad_order)
    late_start = build_header(channel_count=1, frame_count=20, step_ms=25, compression="zstd",
                              blocks=[(3, 5)])
    with pytest.raises(FormatError, match="expected 0"):
        parse_header(late_start)
    past_end = build_header(channel_count=1, frame_count=20, step_ms=25, compression="zstd",
                            blocks=[(0, 5), (25, 5)])
    with pytest.raises(FormatError, match="past the 20 frames"):
        parse_header(past_end)
    empty = build_header(channel_count=1, frame_count=20, step_ms=25, compression="zstd",
                         block_slots=2)
    with pytest.raises(FormatError, match="no non-empty blocks"):
        parse_header(empty)


def test_sparse_sum_must_match_channel_count():
    header = build_header(channel_count=5, frame_count=0, step_ms=25, sparse_ranges=[(0, 2)])
    with pytest.raises(FormatError, match="sparse ranges cover 2 channels"):
        parse_header(header)


def test_reader_rejects_bad_ranges():
    reader = FseqReader(golden_file())
    with pytest.raises(FormatError, match="outside the file's 2 frames"):
        reader.read_frames(1, 3)
    with pytest.raises(FormatError, match="past total_channels=3"):
        reader.read_frames_full(0, 1, 3)


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


# ---------------------------------------------------------------- step time


@pytest.mark.parametrize(("fps", "ms"), [(40, 25), (20, 50), (30, 33), (60, 17), (1000, 1), (4, 250)])
def test_fseq_step_ms(fps, ms):
    assert fseq_step_ms(fps) == ms


@pytest.mark.parametrize("fps", [0, -5, 3, 2001, float("nan")])
def test_fseq_step_ms_rejects(fps):
    with pytest.raises(FormatError):
        fseq_step_ms(fps)


def test_fseq_step_drift_over_nine_minutes_at_30_fps():
    drift = fseq_step_drift(30, 30 * 540)
    assert drift.step_ms == 33
    assert drift.played_fps == pytest.approx(30.303, abs=1e-3)
    assert drift.drift_s == pytest.approx(-5.4)  # 16200 frames of 33 ms: 534.6 s, not 540 s


def test_fseq_step_drift_is_late_when_the_step_rounds_up():
    drift = fseq_step_drift(44, 44 * 60)  # 22.7 ms rounds to 23 ms
    assert drift.step_ms == 23 and drift.drift_s == pytest.approx(2640 * 0.023 - 60)
    assert drift.drift_s > 0


@pytest.mark.parametrize("fps", [40, 25, 20, 10, 4])
def test_fseq_step_drift_is_none_when_the_step_is_whole_milliseconds(fps):
    assert fseq_step_drift(fps, 100_000) is None


@pytest.mark.parametrize("compression, level", [("zstd", -7), ("zstd", 3), ("zstd", 19),
                                                ("zlib", 1), ("zlib", 9), ("none", 99)])
def test_any_level_a_compression_takes_round_trips(compression, level):
    frames = random_frames(40, 24, seed=5)
    data = write_file(frames, compression=compression, level=level, frames_per_block=8)
    np.testing.assert_array_equal(FseqReader(data).read_frames(0, 40), frames)


@pytest.mark.parametrize("compression, level", [("zstd", -8), ("zstd", 20), ("zlib", 0), ("zlib", 10)])
def test_a_level_outside_the_compressions_range_is_refused(compression, level):
    with pytest.raises(FormatError, match=f"{compression} compression levels are"):
        FseqWriter(24, 25, compression=compression, level=level)


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
