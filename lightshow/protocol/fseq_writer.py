"""Streaming FSEQ v2 writer: frames in, header and compressed blocks out to a seekable
binary file object, with one block of frames buffered at a time."""

from __future__ import annotations

import copy
import math
import zlib
from collections.abc import Iterable, Sequence
from typing import BinaryIO

import numpy as np
import zstandard

from lightshow.errors import FormatError
from lightshow.protocol.compression_levels import DEFAULT_LEVEL
from lightshow.protocol.fseq_compression import check_level, compress_block
from lightshow.protocol.fseq_format import (
    COMPRESSION_CODES,
    FIRST_BLOCK_MAX_FRAMES,
    MAX_BLOCKS,
    MAX_U32,
    Block,
    Compression,
    FseqHeader,
    SparseRange,
    VariableHeader,
    default_frames_per_block,
    plan_blocks,
    sparse_channel_index,
)
from lightshow.protocol.fseq_header import build_header, check_sparse_ranges, parse_header

__all__ = ["BlockEncoder", "FseqWriter"]


def _auto_frames_per_block(frame_count: int, stored_channels: int) -> int:
    """Default block size, grown if needed to stay within 4095 blocks."""
    per_block = default_frames_per_block(stored_channels)
    first = min(FIRST_BLOCK_MAX_FRAMES, per_block, frame_count)
    needed = math.ceil(max(0, frame_count - first) / (MAX_BLOCKS - 1))
    return max(per_block, needed)


class FseqWriter:
    """Streaming FSEQ v2 writer with bounded memory.

    Usage::

        writer = FseqWriter(channels, step_ms=25, compression="zstd")
        writer.begin(fileobj, frame_count)      # fileobj: binary, seekable
        for chunk in chunks:                    # uint8 arrays (n, channels)
            writer.write_frames(chunk)
        header = writer.finish()                # rewrites the header

    Only one block of frames is buffered at a time.  The header is written at
    the file object's position when :meth:`begin` is called.  ``sparse_ranges``
    select the channels stored (0-based ``(start, count)``); ``level`` is the
    compression level (see :data:`COMPRESSION_LEVELS`).  ``frames_per_block`` defaults to
    ~64 KiB of stored data per block (grown if needed to stay within 4095
    blocks); the first block always closes after at most 10 frames.
    """

    def __init__(
        self,
        channel_count_total: int,
        step_ms: int,
        compression: Compression = "zstd",
        sparse_ranges: Sequence[SparseRange] | None = None,
        variable_headers: Iterable[VariableHeader] = (),
        unique_id: int = 0,
        frames_per_block: int | None = None,
        level: int = DEFAULT_LEVEL,
    ) -> None:
        if not 1 <= channel_count_total <= MAX_U32:
            raise FormatError(f"channel count {channel_count_total} out of range 1..{MAX_U32}")
        if compression not in COMPRESSION_CODES:
            raise FormatError(f"unknown compression {compression!r}; use 'none', 'zstd' or 'zlib'")
        if frames_per_block is not None and frames_per_block < 1:
            raise FormatError(f"frames_per_block must be >= 1, got {frames_per_block}")
        check_level(compression, level)
        ranges = tuple((int(s), int(c)) for s, c in (sparse_ranges or ()))
        check_sparse_ranges(ranges)
        for start, count in ranges:
            if start + count > channel_count_total:
                raise FormatError(
                    f"sparse range ({start}, {count}) ends at channel {start + count}, past the "
                    f"{channel_count_total} channels of a frame"
                )
        self.channel_count_total = channel_count_total
        self.compression: Compression = compression
        self.sparse_ranges = ranges
        self.stored_channels = sum(c for _, c in ranges) if ranges else channel_count_total
        self.step_ms = step_ms
        self.variable_headers = tuple((c, bytes(d)) for c, d in variable_headers)
        self.unique_id = unique_id
        self.frames_per_block = frames_per_block
        self.level = level
        self._index = sparse_channel_index(ranges)
        self._file: BinaryIO | None = None
        self._zstd: zstandard.ZstdCompressor | None = None
        self._finished = False
        # Fail fast on header problems (step time, codes, sizes) before any I/O.
        self._header(frame_count=0, blocks=(), slots=0)

    # -- public API --------------------------------------------------------

    def begin(self, fileobj: BinaryIO, frame_count: int) -> None:
        """Reserve the header (with room for the whole block index)."""
        if self._file is not None:
            raise FormatError("FseqWriter.begin() called twice")
        if not 0 <= frame_count <= MAX_U32:
            raise FormatError(f"frame count {frame_count} out of range 0..{MAX_U32}")
        self._plan = self._plan_for(frame_count)
        self._frame_count = frame_count
        self._written = 0
        self._blocks: list[Block] = []
        self._block_buffer = np.empty(
            (max(self._plan, default=0), self.stored_channels), dtype=np.uint8
        )
        self._filled = 0
        self._base = fileobj.tell()
        fileobj.write(self._header(frame_count, (), len(self._plan)))
        self._file = fileobj

    def write_frames(self, frames: np.ndarray) -> None:
        """Append full-width frames, a uint8 array of shape (n, channel_count_total)."""
        self.write_stored_frames(self.stored_frames(frames))

    def write_stored_frames(self, stored: np.ndarray) -> None:
        """Append frames already reduced to the stored channels (the sparse ranges, in order),
        a uint8 array of shape (n, stored_channels)."""
        fileobj = self._require_open()
        self._check_frames(stored, self.stored_channels)
        self._check_room(len(stored))
        if self.compression == "none":
            fileobj.write(np.ascontiguousarray(stored).data)
            self._written += len(stored)
        else:
            self._buffer_frames(fileobj, stored)

    def stored_frames(self, frames: np.ndarray) -> np.ndarray:
        """Full-width frames (n, channel_count_total) reduced to the stored channels."""
        self._check_frames(frames, self.channel_count_total)
        return frames[:, self._index] if self._index is not None else frames

    def encode_block(self, stored: np.ndarray) -> bytes:
        """Frames (stored channels) as the file holds them: one compressed block, or
        the raw bytes of an uncompressed file.  Touches no file and no state a copy of
        this writer would not have, so that other threads may encode blocks for
        :meth:`write_encoded_block` (each with its :meth:`encoding_copy`)."""
        self._check_frames(stored, self.stored_channels)
        frames = np.ascontiguousarray(stored)
        if self.compression == "none":
            return frames.tobytes()
        if self.compression == "zstd":
            return self._zstd_context().compress(frames.data)
        return compress_block(frames.data, self.compression, self.level)

    def block_encoder(self, n_frames: int) -> "BlockEncoder":
        """An encoder of one compressed block of ``n_frames`` frames fed in pieces (stored
        channels): what it finishes with decodes as :meth:`encode_block`'s bytes do, one
        zstd frame (its size pledged) or one zlib stream.  So a block longer than a render
        chunk never has to be in memory whole."""
        if self.compression == "zstd":
            size = n_frames * self.stored_channels
            return BlockEncoder(self, n_frames, self._zstd_context().compressobj(size=size))
        if self.compression == "zlib":
            return BlockEncoder(self, n_frames, zlib.compressobj(self.level))
        raise FormatError("an uncompressed file has no blocks to encode in pieces")

    def encoding_copy(self) -> "FseqWriter":
        """A copy of this writer to encode blocks with (:meth:`encode_block`,
        :meth:`block_encoder`) in another thread: it has a compression context of its
        own, as a context may not be used by two threads at once."""
        twin = copy.copy(self)
        twin._zstd = None
        return twin

    def _zstd_context(self) -> zstandard.ZstdCompressor:
        if self._zstd is None:  # one context for every block
            self._zstd = zstandard.ZstdCompressor(level=self.level)
        return self._zstd

    def write_encoded_block(self, n_frames: int, data: bytes) -> None:
        """Append ``n_frames`` frames encoded by :meth:`encode_block`; in a compressed
        file they must make up exactly the next block of :meth:`block_plan`."""
        fileobj = self._require_open()
        self._check_room(n_frames)
        if self.compression != "none":
            expected = self._plan[len(self._blocks)]
            if self._filled or n_frames != expected:
                raise FormatError(f"an encoded block must be the next whole block ({expected} "
                                  f"frames), got {n_frames} frames")
            self._blocks.append((self._written, len(data)))
        elif len(data) != n_frames * self.stored_channels:
            raise FormatError(f"{len(data)} bytes are not {n_frames} uncompressed frames")
        fileobj.write(data)
        self._written += n_frames

    def finish(self) -> FseqHeader:
        """Check the frame count, then rewrite the header with the block index."""
        fileobj = self._require_open()
        if self._written != self._frame_count:
            raise FormatError(
                f"finish() after {self._written} frames, but begin() declared {self._frame_count}"
            )
        header = self._header(self._frame_count, tuple(self._blocks), len(self._plan))
        end = fileobj.tell()
        fileobj.seek(self._base)
        fileobj.write(header)
        fileobj.seek(end)
        self._finished = True
        return parse_header(header)

    # -- internals ---------------------------------------------------------

    def _plan_for(self, frame_count: int) -> tuple[int, ...]:
        if self.compression == "none":
            return ()
        per_block = self.frames_per_block
        if per_block is None:
            per_block = _auto_frames_per_block(frame_count, self.stored_channels)
        plan = plan_blocks(frame_count, per_block)
        if len(plan) > MAX_BLOCKS:
            raise FormatError(
                f"{frame_count} frames at {per_block} frames per block need {len(plan)} blocks; "
                f"FSEQ allows {MAX_BLOCKS}"
            )
        return plan

    def _header(self, frame_count: int, blocks: tuple[Block, ...], slots: int) -> bytes:
        return build_header(
            channel_count=self.stored_channels,
            frame_count=frame_count,
            step_ms=self.step_ms,
            compression=self.compression,
            blocks=blocks,
            block_slots=slots,
            sparse_ranges=self.sparse_ranges,
            variable_headers=self.variable_headers,
            unique_id=self.unique_id,
        )

    def _require_open(self) -> BinaryIO:
        if self._file is None:
            raise FormatError("FseqWriter used before begin()")
        if self._finished:
            raise FormatError("FseqWriter used after finish()")
        return self._file

    @staticmethod
    def _check_frames(frames: np.ndarray, width: int) -> None:
        if not isinstance(frames, np.ndarray) or frames.dtype != np.uint8:
            kind = getattr(frames, "dtype", type(frames).__name__)
            raise FormatError(f"frames must be a numpy uint8 array, got {kind}")
        if frames.ndim != 2 or frames.shape[1] != width:
            raise FormatError(f"frames must have shape (n, {width}), got {frames.shape}")

    def _check_room(self, n_frames: int) -> None:
        if self._written + n_frames > self._frame_count:
            raise FormatError(
                f"writing {n_frames} more frames would exceed the {self._frame_count} "
                f"declared in begin() ({self._written} already written)"
            )

    def _buffer_frames(self, fileobj: BinaryIO, stored: np.ndarray) -> None:
        pos = 0
        while pos < len(stored):
            target = self._plan[len(self._blocks)]
            take = min(target - self._filled, len(stored) - pos)
            self._block_buffer[self._filled:self._filled + take] = stored[pos:pos + take]
            self._filled += take
            self._written += take
            pos += take
            if self._filled == target:
                self._write_block(fileobj, self._block_buffer[:self._filled])
                self._filled = 0

    def _write_block(self, fileobj: BinaryIO, frames: np.ndarray) -> None:
        compressed = self.encode_block(frames)
        fileobj.write(compressed)
        self._blocks.append((self._written - len(frames), len(compressed)))

    def block_plan(self) -> tuple[int, ...]:
        """Frames in each compressed block, in order (empty when uncompressed): the
        pieces :meth:`write_encoded_block` takes."""
        self._require_open()
        return self._plan


class BlockEncoder:
    """One compressed block fed frames in pieces (see :meth:`FseqWriter.block_encoder`)."""

    def __init__(self, writer: FseqWriter, n_frames: int, stream):
        self._writer, self._left, self._stream = writer, n_frames, stream
        self._parts: list[bytes] = []

    def add(self, stored: np.ndarray) -> None:
        """The block's next frames (n, stored channels)."""
        self._writer._check_frames(stored, self._writer.stored_channels)
        if len(stored) > self._left:
            raise FormatError(f"{len(stored)} frames overrun the block ({self._left} left)")
        self._left -= len(stored)
        self._parts.append(self._stream.compress(np.ascontiguousarray(stored).data))

    def finish(self) -> bytes:
        """The encoded block, once every frame of it has been added."""
        if self._left:
            raise FormatError(f"the block is {self._left} frames short")
        self._parts.append(self._stream.flush())
        return b"".join(self._parts)
