"""The FSEQ v2 sequence file format (xLights / Falcon Player): its layout, constants,
decoded header, and the small pure helpers the codec shares.

Layout (all integers little-endian)::

    0   4  b"PSEQ"
    4   2  channel-data offset (whole header rounded up to a multiple of 4)
    6   1  minor version
    7   1  major version (2)
    8   2  offset of the first variable header = 32 + 8*blocks + 6*ranges
    10  4  channels per frame as stored (sum of sparse-range counts if sparse)
    14  4  frame count
    18  1  step time in ms
    19  1  flags (0)
    20  1  bits 0-3 compression (0 none, 1 zstd, 2 zlib); bits 4-7 = bits 8-11
           of the block count
    21  1  block count, low 8 bits
    22  1  sparse-range count
    23  1  flags (0)
    24  8  unique id
    32     block index: blocks * (first frame u32, compressed length u32)
    ...    sparse ranges: ranges * (start channel u24, channel count u24)
    ...    variable headers: (length u16 incl. its 4-byte head, 2-char code, data)
    ...    zero padding up to the channel-data offset, then the channel data.

Details checked against FPP ``src/fseq/FSEQFile.cpp`` and xLights
``xLights/FSEQFile.cpp`` (read through the code search, not run):

* Both write minor version 0 by default.  xLights'
  ``enableMinorVersionFeatures(1)`` switches on "extended blocks": up to 4095
  blocks with bits 8-11 of the count in the high nibble of byte 20
  (``header[20] = ((maxBlocks >> 4) & 0xF0) | compression``).  We write minor 1
  exactly when more than 255 block-index slots are needed, else minor 0.  The
  minor-2 ``ED`` extended-data header could not be confirmed in the sources
  found; an ``ED`` header is therefore just another variable header here.
* Byte 8 is ``32 + 8*blocks + 6*ranges`` in current FPP/xLights; older FPP
  builds wrote the channel-data offset there, so :func:`parse_header` accepts
  either value.
* The writers reserve a block index up front (FPP reserves a couple of spare
  slots) and leave unused entries zero; readers skip entries of length 0.
* The first compressed block is closed after 10 frames "so startup is quicker";
  later blocks aim at ~64 KiB of uncompressed data.
* zstd blocks are one zstd frame each, written with the streaming API, so the
  frame header carries no content size: decompress with an explicit bound.
  FPP uses level -10 for the first block; we use one ``level`` throughout.
* zlib blocks are ``deflateInit`` streams, i.e. RFC 1950 (zlib), not gzip.
* Variable headers: FPP reads while more than 5 bytes remain, a length of 0
  skips 4 bytes; ``mf`` (media file) and ``sp`` (producer) hold NUL-terminated
  strings (see :func:`string_variable_header`).
* The step time is an integer number of milliseconds (25 = 40 fps,
  50 = 20 fps); :func:`fseq_step_ms` rounds ``1000 / fps``, and
  :func:`fseq_step_drift` says how far a player keeping that step strays.
* FPP writes the current time in microseconds as unique id when it is 0; we
  keep what the caller passes so output is reproducible.

The codec is sans-I/O and split by concept.  This module holds the layout
(constants, :class:`FseqHeader`) and the small pure helpers: step time
(:func:`fseq_step_ms`, :func:`fseq_step_drift`), variable headers and block
planning (:func:`plan_blocks`).  The rest of the pure part is
:func:`~lightshow.protocol.fseq_header.build_header` and
:func:`~lightshow.protocol.fseq_header.parse_header`, and
:func:`~lightshow.protocol.fseq_compression.compress_block` and
:func:`~lightshow.protocol.fseq_compression.decompress_block`;
:class:`~lightshow.protocol.fseq_writer.FseqWriter` is a thin stateful shell
around them that writes to a seekable binary file object, and
:class:`~lightshow.protocol.fseq_reader.FseqReader` decodes frames from an
in-memory buffer or an ``mmap``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from lightshow.errors import FormatError

__all__ = [
    "Compression",
    "FseqHeader",
    "StepDrift",
    "default_frames_per_block",
    "fseq_step_drift",
    "fseq_step_ms",
    "plan_blocks",
    "sparse_channel_index",
    "string_variable_header",
]

Compression = Literal["none", "zstd", "zlib"]

MAGIC = b"PSEQ"
MAJOR_VERSION = 2
FIXED_HEADER_SIZE = 32
BLOCK_ENTRY_SIZE = 8
SPARSE_RANGE_SIZE = 6
VARIABLE_HEADER_HEAD = 4
FIRST_BLOCK_MAX_FRAMES = 10
TARGET_BLOCK_BYTES = 64 * 1024
MAX_BLOCKS = 0xFFF
MAX_BLOCKS_MINOR_0 = 0xFF
MAX_SPARSE_RANGES = 0xFF
MAX_U24 = 0xFFFFFF
MAX_U32 = 0xFFFFFFFF
COMPRESSION_CODES: dict[str, int] = {"none": 0, "zstd": 1, "zlib": 2}  # byte 20, bits 0-3

Block = tuple[int, int]
SparseRange = tuple[int, int]
VariableHeader = tuple[str, bytes]


@dataclass(frozen=True)
class FseqHeader:
    """Everything in an FSEQ v2 header up to the channel-data offset.

    ``channel_count`` is the number of channels stored per frame (the sum of
    the sparse ranges when there are any).  ``blocks`` holds the non-empty
    block-index entries as ``(first_frame, compressed_length)``;
    ``sparse_ranges`` holds ``(start_channel, count)`` with 0-based starts.
    """

    channel_data_offset: int
    minor_version: int
    major_version: int
    channel_count: int
    frame_count: int
    step_ms: int
    compression: Compression
    blocks: tuple[Block, ...]
    sparse_ranges: tuple[SparseRange, ...]
    variable_headers: tuple[VariableHeader, ...]
    unique_id: int

    def variable_header(self, code: str) -> bytes | None:
        """Data of the first variable header with ``code``, or None."""
        for found, data in self.variable_headers:
            if found == code:
                return data
        return None

    @property
    def media_filename(self) -> str | None:
        """The ``mf`` header as text (up to its NUL terminator), or None."""
        data = self.variable_header("mf")
        if data is None:
            return None
        return data.split(b"\0", 1)[0].decode("utf-8", errors="replace")


# --------------------------------------------------------------------------
# Small pure helpers
# --------------------------------------------------------------------------


def fseq_step_ms(fps: float) -> int:
    """Step time in whole milliseconds for ``fps`` (``round(1000 / fps)``)."""
    if not math.isfinite(fps) or fps <= 0:
        raise FormatError(f"frame rate must be a positive number, got {fps!r}")
    step = round(1000 / fps)
    if not 1 <= step <= 255:
        raise FormatError(
            f"{fps} fps gives a step time of {step} ms; FSEQ stores 1..255 ms"
        )
    return step


@dataclass(frozen=True)
class StepDrift:
    """How a player that keeps the stored whole-millisecond step strays from ``fps``."""

    fps: float         # the intended frame rate
    step_ms: int       # the step written, ``fseq_step_ms(fps)``
    played_fps: float  # ``1000 / step_ms``: the rate a player such as FPP keeps
    drift_s: float     # played length minus intended length (negative: the player runs ahead)


def fseq_step_drift(fps: float, frame_count: int) -> StepDrift | None:
    """The drift of ``frame_count`` frames at ``fps`` played at the stored step;
    None when ``1000 / fps`` is a whole number of milliseconds (no drift)."""
    step = fseq_step_ms(fps)
    if abs(1000 / fps - step) < 1e-9:
        return None
    return StepDrift(fps, step, 1000 / step, frame_count * (step / 1000 - 1 / fps))


def string_variable_header(code: str, text: str) -> VariableHeader:
    """A variable header holding ``text`` NUL-terminated, as FPP stores it."""
    return (code, text.encode("utf-8") + b"\0")


def default_frames_per_block(stored_channels: int) -> int:
    """Frames per block so that a block holds ~64 KiB of uncompressed data."""
    return max(1, TARGET_BLOCK_BYTES // max(1, stored_channels))


def plan_blocks(frame_count: int, frames_per_block: int) -> tuple[int, ...]:
    """Number of frames in each compressed block, in order.

    The first block closes after at most 10 frames (as FPP does, for a fast
    start); the others hold ``frames_per_block`` frames, the last one the rest.
    """
    if frames_per_block < 1:
        raise FormatError(f"frames_per_block must be >= 1, got {frames_per_block}")
    if frame_count <= 0:
        return ()
    first = min(FIRST_BLOCK_MAX_FRAMES, frames_per_block, frame_count)
    full, rest = divmod(frame_count - first, frames_per_block)
    return (first,) + (frames_per_block,) * full + ((rest,) if rest else ())


def sparse_channel_index(ranges: Sequence[SparseRange]) -> np.ndarray | None:
    """Channel index array selecting the sparse ranges, in stored order."""
    if not ranges:
        return None
    return np.concatenate([np.arange(s, s + c, dtype=np.intp) for s, c in ranges])
