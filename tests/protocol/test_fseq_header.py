"""Tests for the FSEQ v2 header codec (lightshow.protocol.fseq_header)."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from lightshow.errors import FormatError
from lightshow.protocol.fseq_format import FseqHeader
from lightshow.protocol.fseq_header import build_header, parse_header
from lightshow.protocol.fseq_reader import FseqReader
from tests.protocol.fseq_reference_reader import read_fseq
from tests.protocol.fseq_samples import golden_file, random_frames, write_file

# ---------------------------------------------------------------- golden bytes


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


def test_uncompressed_file_has_no_blocks():
    data = write_file(random_frames(30, 5), compression="none")
    assert data[21] == 0 and data[20] == 0
    assert parse_header(data).blocks == ()


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


def test_accepts_legacy_header_length_field():
    """Older FPP wrote the channel-data offset into bytes 8-9."""
    data = bytearray(golden_file())
    data[8:10] = (52).to_bytes(2, "little")
    assert parse_header(bytes(data)).variable_headers[0][0] == "mf"


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
