"""Tests for FSEQ v2 block compression (lightshow.protocol.fseq_compression)."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
import zstandard

from lightshow.errors import FormatError
from lightshow.protocol.fseq_compression import compress_block, decompress_block
from lightshow.protocol.fseq_reader import FseqReader
from lightshow.protocol.fseq_writer import FseqWriter
from tests.protocol.fseq_samples import random_frames, write_file


def test_compress_block_is_independent():
    raw = bytes(range(256)) * 10
    assert zlib.decompress(compress_block(raw, "zlib")) == raw        # RFC 1950, not gzip
    assert zstandard.ZstdDecompressor().decompress(compress_block(raw, "zstd")) == raw
    assert decompress_block(compress_block(raw, "zstd", 5), "zstd", len(raw)) == raw


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
