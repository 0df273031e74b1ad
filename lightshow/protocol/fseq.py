"""Sans-I/O codec for FSEQ v2 sequence files (xLights / Falcon Player).

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

The pure part is :func:`build_header`, :func:`parse_header`,
:func:`compress_block`, :func:`decompress_block` and :func:`plan_blocks`;
:class:`FseqWriter` is a thin stateful shell around them that writes to a
seekable binary file object, and :class:`FseqReader` decodes frames from an
in-memory buffer or an ``mmap``.
"""

from __future__ import annotations

import math
import struct
import zlib
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Literal, Self

import numpy as np
import zstandard

from lightshow.errors import FormatError
from lightshow.protocol.compression_levels import COMPRESSION_LEVELS, DEFAULT_LEVEL

__all__ = [
    "BlockEncoder",
    "Compression",
    "FseqHeader",
    "FseqReader",
    "FseqWriter",
    "StepDrift",
    "build_header",
    "check_level",
    "compress_block",
    "decompress_block",
    "default_frames_per_block",
    "fseq_step_drift",
    "fseq_step_ms",
    "parse_header",
    "plan_blocks",
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

_FIXED = struct.Struct("<4sHBBHIIBBBBBBQ")
_BLOCK = struct.Struct("<II")
_VARIABLE_HEAD = struct.Struct("<H2s")
_COMPRESSION_CODES: dict[str, int] = {"none": 0, "zstd": 1, "zlib": 2}
_COMPRESSION_NAMES: dict[int, str] = {v: k for k, v in _COMPRESSION_CODES.items()}

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


def _auto_frames_per_block(frame_count: int, stored_channels: int) -> int:
    """Default block size, grown if needed to stay within 4095 blocks."""
    per_block = default_frames_per_block(stored_channels)
    first = min(FIRST_BLOCK_MAX_FRAMES, per_block, frame_count)
    needed = math.ceil(max(0, frame_count - first) / (MAX_BLOCKS - 1))
    return max(per_block, needed)


def _round_up_4(value: int) -> int:
    return (value + 3) & ~3


def _tables_end(block_slots: int, range_count: int) -> int:
    return FIXED_HEADER_SIZE + BLOCK_ENTRY_SIZE * block_slots + SPARSE_RANGE_SIZE * range_count


# --------------------------------------------------------------------------
# Compression
# --------------------------------------------------------------------------


def check_level(compression: Compression, level: int) -> None:
    """FormatError unless ``level`` is one that ``compression`` takes (any for "none")."""
    if compression in COMPRESSION_LEVELS:
        low, high = COMPRESSION_LEVELS[compression]
        if not low <= level <= high:
            raise FormatError(f"{compression} compression levels are {low}..{high}, got {level}")


def compress_block(frames_bytes: bytes | memoryview, compression: Compression,
                   level: int = DEFAULT_LEVEL) -> bytes:
    """Compress one block of frames into an independently decodable unit.

    zstd gives one zstd frame, zlib one RFC 1950 stream; "none" is the
    identity (uncompressed files have no blocks, but this keeps callers simple).
    """
    if compression == "zstd":
        return zstandard.ZstdCompressor(level=level).compress(frames_bytes)
    if compression == "zlib":
        return zlib.compress(frames_bytes, level)
    if compression == "none":
        return bytes(frames_bytes)
    raise FormatError(f"unknown compression {compression!r}; use 'none', 'zstd' or 'zlib'")


def decompress_block(data: bytes | memoryview, compression: Compression, expected_size: int) -> bytes:
    """Decompress one block, which must hold exactly ``expected_size`` bytes.

    Output is bounded by ``expected_size`` (zstd frames written by FPP carry no
    content size, and a corrupt block must not balloon memory).
    """
    try:
        if compression == "zstd":
            out = _zstd_bounded(data, expected_size + 1)
        elif compression == "zlib":
            out = zlib.decompressobj().decompress(data, expected_size + 1)
        elif compression == "none":
            out = bytes(data)
        else:
            raise FormatError(f"unknown compression {compression!r}")
    except (zstandard.ZstdError, zlib.error) as exc:
        raise FormatError(f"corrupt {compression} block: {exc}") from exc
    if len(out) != expected_size:
        raise FormatError(
            f"{compression} block decodes to {len(out)}"
            f"{'+' if len(out) > expected_size else ''} bytes, expected {expected_size}"
        )
    return out


def _zstd_bounded(data: bytes | memoryview, limit: int) -> bytes:
    reader = zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True)
    parts: list[bytes] = []
    total = 0
    while total < limit:
        chunk = reader.read(limit - total)
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


# --------------------------------------------------------------------------
# Header encoding
# --------------------------------------------------------------------------


def _check_sparse_ranges(ranges: Sequence[SparseRange]) -> None:
    if len(ranges) > MAX_SPARSE_RANGES:
        raise FormatError(f"{len(ranges)} sparse ranges; FSEQ stores at most 255")
    for start, count in ranges:
        if not (0 <= start <= MAX_U24 and 1 <= count <= MAX_U24):
            raise FormatError(
                f"sparse range ({start}, {count}) out of range: start 0..{MAX_U24}, "
                f"count 1..{MAX_U24}"
            )


def _encode_variable_header(code: str, data: bytes) -> bytes:
    try:
        raw_code = code.encode("ascii")
    except (AttributeError, UnicodeEncodeError):
        raw_code = b""
    if len(raw_code) != 2:
        raise FormatError(f"variable header code must be 2 ASCII characters, got {code!r}")
    length = VARIABLE_HEADER_HEAD + len(data)
    if length > 0xFFFF:
        raise FormatError(f"variable header {code!r} is {len(data)} bytes; at most 65531 fit")
    return _VARIABLE_HEAD.pack(length, raw_code) + bytes(data)


def build_header(
    *,
    channel_count: int,
    frame_count: int,
    step_ms: int,
    compression: Compression = "none",
    blocks: Sequence[Block] = (),
    block_slots: int | None = None,
    sparse_ranges: Sequence[SparseRange] = (),
    variable_headers: Iterable[VariableHeader] = (),
    unique_id: int = 0,
    minor_version: int | None = None,
) -> bytes:
    """Encode a complete FSEQ v2 header (everything before the channel data).

    ``blocks`` are ``(first_frame, compressed_length)``; ``block_slots``
    reserves that many index entries (default ``len(blocks)``), unused ones
    written as zeros.  ``channel_count`` is the stored width per frame.  The
    minor version defaults to 1 when more than 255 slots are needed, else 0.
    """
    slots = len(blocks) if block_slots is None else block_slots
    if slots < len(blocks) or slots > MAX_BLOCKS:
        raise FormatError(f"{slots} block slots for {len(blocks)} blocks; at most {MAX_BLOCKS}")
    if compression not in _COMPRESSION_CODES:
        raise FormatError(f"unknown compression {compression!r}; use 'none', 'zstd' or 'zlib'")
    if not 1 <= step_ms <= 255:
        raise FormatError(f"step time {step_ms} ms out of range 1..255")
    if not (0 <= channel_count <= MAX_U32 and 0 <= frame_count <= MAX_U32):
        raise FormatError(f"channel count {channel_count} / frame count {frame_count} exceed u32")
    if not 0 <= unique_id < 1 << 64:
        raise FormatError(f"unique id {unique_id} does not fit in 64 bits")
    _check_sparse_ranges(sparse_ranges)
    minor = (1 if slots > MAX_BLOCKS_MINOR_0 else 0) if minor_version is None else minor_version

    tables_end = _tables_end(slots, len(sparse_ranges))
    variable = b"".join(_encode_variable_header(c, d) for c, d in variable_headers)
    data_offset = _round_up_4(tables_end + len(variable))
    if data_offset > 0xFFFF:
        raise FormatError(f"header is {data_offset} bytes; the channel-data offset is a u16")

    out = bytearray(data_offset)
    _FIXED.pack_into(
        out, 0, MAGIC, data_offset, minor, MAJOR_VERSION, tables_end,
        channel_count, frame_count, step_ms, 0,
        ((slots >> 4) & 0xF0) | _COMPRESSION_CODES[compression],
        slots & 0xFF, len(sparse_ranges), 0, unique_id,
    )
    pos = FIXED_HEADER_SIZE
    for first_frame, length in blocks:
        _BLOCK.pack_into(out, pos, first_frame, length)
        pos += BLOCK_ENTRY_SIZE
    pos = FIXED_HEADER_SIZE + BLOCK_ENTRY_SIZE * slots
    for start, count in sparse_ranges:
        out[pos:pos + SPARSE_RANGE_SIZE] = start.to_bytes(3, "little") + count.to_bytes(3, "little")
        pos += SPARSE_RANGE_SIZE
    out[pos:pos + len(variable)] = variable
    return bytes(out)


# --------------------------------------------------------------------------
# Header decoding
# --------------------------------------------------------------------------


def parse_header(data: bytes | bytearray | memoryview) -> FseqHeader:
    """Decode and validate an FSEQ v2 header.

    Needs only the first ``channel_data_offset`` bytes of the file (more is
    fine).  Raises :class:`FormatError` for a wrong magic or major version,
    truncation, or offsets and tables that contradict each other.
    """
    view = memoryview(data).cast("B")
    if len(view) < FIXED_HEADER_SIZE:
        raise FormatError(
            f"truncated FSEQ header: {len(view)} bytes, the fixed header needs {FIXED_HEADER_SIZE}"
        )
    (magic, data_offset, minor, major, header_length, channels, frames, step_ms,
     _flags, compression_byte, blocks_low, range_count, _flags2, unique_id) = _FIXED.unpack_from(view, 0)
    if magic != MAGIC:
        raise FormatError(f"not an FSEQ v2 file: magic {bytes(magic)!r}, expected {MAGIC!r}")
    if major != MAJOR_VERSION:
        raise FormatError(f"unsupported FSEQ major version {major}.{minor}; only 2.x is supported")
    compression = _COMPRESSION_NAMES.get(compression_byte & 0x0F)
    if compression is None:
        raise FormatError(f"unknown FSEQ compression type {compression_byte & 0x0F}")

    block_slots = ((compression_byte & 0xF0) << 4) | blocks_low
    tables_end = _tables_end(block_slots, range_count)
    _check_offsets(data_offset, header_length, tables_end, len(view))

    blocks = _parse_blocks(view, block_slots, frames, compression)
    ranges = _parse_sparse_ranges(view, FIXED_HEADER_SIZE + BLOCK_ENTRY_SIZE * block_slots, range_count)
    if ranges and sum(count for _, count in ranges) != channels:
        raise FormatError(
            f"sparse ranges cover {sum(c for _, c in ranges)} channels but the header "
            f"stores {channels} channels per frame"
        )
    return FseqHeader(
        channel_data_offset=data_offset,
        minor_version=minor,
        major_version=major,
        channel_count=channels,
        frame_count=frames,
        step_ms=step_ms,
        compression=compression,  # type: ignore[arg-type]
        blocks=blocks,
        sparse_ranges=ranges,
        variable_headers=_parse_variable_headers(view[tables_end:data_offset], tables_end),
        unique_id=unique_id,
    )


def _check_offsets(data_offset: int, header_length: int, tables_end: int, available: int) -> None:
    if data_offset < tables_end:
        raise FormatError(
            f"inconsistent FSEQ header: channel data offset {data_offset} lies inside the "
            f"block index / sparse-range tables, which end at {tables_end}"
        )
    if header_length not in (tables_end, data_offset):
        raise FormatError(
            f"inconsistent FSEQ header: variable-header offset (bytes 8-9) is {header_length}, "
            f"expected {tables_end} = 32 + 8*blocks + 6*ranges"
        )
    if available < data_offset:
        raise FormatError(
            f"truncated FSEQ header: {available} bytes, the header runs to byte {data_offset}"
        )


def _parse_blocks(view: memoryview, slots: int, frame_count: int, compression: str) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for index in range(slots):
        first, length = _BLOCK.unpack_from(view, FIXED_HEADER_SIZE + BLOCK_ENTRY_SIZE * index)
        if length == 0:
            continue
        if blocks and first <= blocks[-1][0]:
            raise FormatError(
                f"block index entry {index} starts at frame {first}, not after the previous "
                f"block's first frame {blocks[-1][0]}"
            )
        if not blocks and first != 0:
            raise FormatError(f"first compressed block starts at frame {first}, expected 0")
        if first >= frame_count:
            raise FormatError(f"block index entry {index} starts at frame {first}, past the "
                              f"{frame_count} frames of the file")
        blocks.append((first, length))
    if compression != "none" and frame_count > 0 and not blocks:
        raise FormatError(f"{compression}-compressed FSEQ file has no non-empty blocks in its index")
    return tuple(blocks)


def _parse_sparse_ranges(view: memoryview, pos: int, count: int) -> tuple[SparseRange, ...]:
    ranges = []
    for offset in range(pos, pos + SPARSE_RANGE_SIZE * count, SPARSE_RANGE_SIZE):
        start = int.from_bytes(view[offset:offset + 3], "little")
        length = int.from_bytes(view[offset + 3:offset + 6], "little")
        ranges.append((start, length))
    return tuple(ranges)


def _parse_variable_headers(area: memoryview, base: int) -> tuple[VariableHeader, ...]:
    """Variable headers between the tables and the channel data.

    Stops at zero padding (a length of 0 followed only by zeros).
    """
    headers: list[VariableHeader] = []
    pos = 0
    while len(area) - pos >= VARIABLE_HEADER_HEAD:
        length, code = _VARIABLE_HEAD.unpack_from(area, pos)
        if length == 0 and not any(area[pos:]):
            break
        if length < VARIABLE_HEADER_HEAD or pos + length > len(area):
            raise FormatError(
                f"variable header at byte {base + pos} has length {length}, which does not fit "
                f"between {VARIABLE_HEADER_HEAD} and the channel data offset {base + len(area)}"
            )
        headers.append((code.decode("latin-1"), bytes(area[pos + VARIABLE_HEADER_HEAD:pos + length])))
        pos += length
    if any(area[pos:]):
        raise FormatError(f"stray bytes after the variable headers at byte {base + pos}")
    return tuple(headers)


# --------------------------------------------------------------------------
# Writer
# --------------------------------------------------------------------------


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
        if compression not in _COMPRESSION_CODES:
            raise FormatError(f"unknown compression {compression!r}; use 'none', 'zstd' or 'zlib'")
        if frames_per_block is not None and frames_per_block < 1:
            raise FormatError(f"frames_per_block must be >= 1, got {frames_per_block}")
        check_level(compression, level)
        ranges = tuple((int(s), int(c)) for s, c in (sparse_ranges or ()))
        _check_sparse_ranges(ranges)
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
        self._index = _sparse_index(ranges)
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
        this writer would not have, so that other processes may encode blocks for
        :meth:`write_encoded_block`."""
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


def _sparse_index(ranges: Sequence[SparseRange]) -> np.ndarray | None:
    """Channel index array selecting the sparse ranges, in stored order."""
    if not ranges:
        return None
    return np.concatenate([np.arange(s, s + c, dtype=np.intp) for s, c in ranges])


# --------------------------------------------------------------------------
# Reader
# --------------------------------------------------------------------------


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
        self._sparse_index = _sparse_index(self.header.sparse_ranges)
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
