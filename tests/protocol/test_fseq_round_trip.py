"""Round trips through the FSEQ v2 writer and reader, cross-checked against an
independent reference reader (lightshow.protocol.fseq_writer, fseq_reader)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lightshow.protocol.fseq_format import string_variable_header
from lightshow.protocol.fseq_header import parse_header
from lightshow.protocol.fseq_reader import FseqReader
from tests.protocol.fseq_reference_reader import read_fseq
from tests.protocol.fseq_samples import random_frames, write_file


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
