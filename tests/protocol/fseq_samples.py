"""Sample frames and FSEQ files shared by the FSEQ codec tests."""

from __future__ import annotations

import io

import numpy as np

from lightshow.protocol.fseq_format import string_variable_header
from lightshow.protocol.fseq_writer import FseqWriter


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


GOLDEN_FRAMES = np.array([[1, 2, 3, 4], [5, 6, 7, 8]], dtype=np.uint8)


def golden_file() -> bytes:
    """GOLDEN_FRAMES written uncompressed with two string headers (the bytes are spelled
    out in test_fseq_header.GOLDEN)."""
    return write_file(
        GOLDEN_FRAMES,
        compression="none",
        unique_id=0x0102030405060708,
        variable_headers=[string_variable_header("mf", "a.mp3"), string_variable_header("sp", "xy")],
    )
