"""Random-access FSEQ v2 reader over an in-memory buffer or an ``mmap``."""

from __future__ import annotations

from bisect import bisect_right
from typing import Self

import numpy as np

from lightshow.errors import FormatError
from lightshow.protocol.fseq_compression import decompress_block
from lightshow.protocol.fseq_format import sparse_channel_index
from lightshow.protocol.fseq_header import parse_header

__all__ = ["FseqReader"]


class FseqReader:
    """Random access to the frames of an FSEQ v2 file held in memory or mmap.

    Compressed files decode only the blocks a request touches and keep the
    last decoded block.  Returned arrays may be read-only views into the
    buffer or the cached block; copy them before modifying.  With an ``mmap``
    call :meth:`close` (or use ``with``) before closing the mmap.
    """

    def __init__(self, buffer: bytes | bytearray | memoryview) -> None:
        self._view = memoryview(buffer).cast("B")
        self.header = parse_header(self._view)
        self._row = self.header.channel_count
        self._starts, self._spans = self._locate_blocks()
        self._sparse_index = sparse_channel_index(self.header.sparse_ranges)
        self._cached: tuple[int, np.ndarray] | None = None

    @property
    def frame_count(self) -> int:
        return self.header.frame_count

    @property
    def channel_count(self) -> int:
        """Channels stored per frame."""
        return self.header.channel_count

    def close(self) -> None:
        """Release the buffer (needed before an underlying mmap can close)."""
        self._cached = None
        self._view.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def read_frames(self, start: int, stop: int) -> np.ndarray:
        """Frames ``start..stop-1`` as a uint8 array (stop-start, channel_count)."""
        self._check_range(start, stop)
        if self.header.compression == "none":
            return self._uncompressed(start, stop)
        if start == stop:
            return np.empty((0, self._row), dtype=np.uint8)
        first = bisect_right(self._starts, start) - 1
        last = bisect_right(self._starts, stop - 1) - 1
        parts = [self._block_slice(i, start, stop) for i in range(first, last + 1)]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def read_frames_full(self, start: int, stop: int, total_channels: int) -> np.ndarray:
        """Like :meth:`read_frames`, expanded to ``total_channels`` wide frames.

        Channels outside the sparse ranges are zero.  Without sparse ranges the
        stored frame is placed at channel 0.
        """
        ranges = self.header.sparse_ranges or ((0, self._row),)
        end = max(s + c for s, c in ranges)
        if end > total_channels:
            raise FormatError(
                f"stored channels reach channel {end}, past total_channels={total_channels}"
            )
        stored = self.read_frames(start, stop)
        full = np.zeros((stop - start, total_channels), dtype=np.uint8)
        if self._sparse_index is None:
            full[:, :self._row] = stored
        else:
            full[:, self._sparse_index] = stored
        return full

    # -- internals ---------------------------------------------------------

    def _check_range(self, start: int, stop: int) -> None:
        if not 0 <= start <= stop <= self.frame_count:
            raise FormatError(
                f"frame range {start}..{stop} outside the file's {self.frame_count} frames"
            )

    def _locate_blocks(self) -> tuple[list[int], list[tuple[int, int]]]:
        """First frames and (byte offset, length) of each block; checks sizes."""
        offset = self.header.channel_data_offset
        if self.header.compression == "none":
            needed = offset + self.frame_count * self._row
            if len(self._view) < needed:
                raise FormatError(
                    f"truncated FSEQ file: {len(self._view)} bytes, uncompressed channel data "
                    f"needs {needed}"
                )
            return [], []
        starts, spans = [], []
        for first, length in self.header.blocks:
            starts.append(first)
            spans.append((offset, length))
            offset += length
        if len(self._view) < offset:
            raise FormatError(
                f"truncated FSEQ file: {len(self._view)} bytes, the block index needs {offset}"
            )
        return starts, spans

    def _uncompressed(self, start: int, stop: int) -> np.ndarray:
        offset = self.header.channel_data_offset + start * self._row
        flat = np.frombuffer(self._view, dtype=np.uint8, count=(stop - start) * self._row, offset=offset)
        return flat.reshape(stop - start, self._row)

    def _block_slice(self, index: int, start: int, stop: int) -> np.ndarray:
        first = self._starts[index]
        frames = self._decode_block(index)
        return frames[max(start, first) - first:min(stop, first + len(frames)) - first]

    def _decode_block(self, index: int) -> np.ndarray:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        first = self._starts[index]
        end = self._starts[index + 1] if index + 1 < len(self._starts) else self.frame_count
        offset, length = self._spans[index]
        try:
            raw = decompress_block(
                self._view[offset:offset + length], self.header.compression, (end - first) * self._row
            )
        except FormatError as exc:
            raise FormatError(f"block {index} (frames {first}..{end - 1}): {exc}") from exc
        frames = np.frombuffer(raw, dtype=np.uint8).reshape(end - first, self._row)
        self._cached = (index, frames)
        return frames
