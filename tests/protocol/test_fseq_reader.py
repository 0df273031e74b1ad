"""Tests for the FSEQ v2 reader (lightshow.protocol.fseq_reader)."""

from __future__ import annotations

import mmap

import numpy as np
import pytest
import zstandard

from lightshow.errors import FormatError
from lightshow.protocol.fseq_compression import compress_block
from lightshow.protocol.fseq_header import build_header, parse_header
from lightshow.protocol.fseq_reader import FseqReader
from tests.protocol.fseq_samples import golden_file, random_frames, write_file


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
    from lightshow.protocol import fseq_reader

    data = write_file(random_frames(40, 4), compression="zstd", frames_per_block=10)
    reader = FseqReader(data)
    calls = []
    real = fseq_reader.decompress_block
    monkeypatch.setattr(fseq_reader, "decompress_block", lambda *a: calls.append(a) or real(*a))
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


# ---------------------------------------------------------------- corrupt input


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


def test_reader_rejects_bad_ranges():
    reader = FseqReader(golden_file())
    with pytest.raises(FormatError, match="outside the file's 2 frames"):
        reader.read_frames(1, 3)
    with pytest.raises(FormatError, match="past total_channels=3"):
        reader.read_frames_full(0, 1, 3)
