"""Encoding and decoding of the FSEQ v2 header: everything before the channel data
(layout in :mod:`lightshow.protocol.fseq_format`)."""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence

from lightshow.errors import FormatError
from lightshow.protocol.fseq_format import (
    BLOCK_ENTRY_SIZE,
    COMPRESSION_CODES,
    FIXED_HEADER_SIZE,
    MAGIC,
    MAJOR_VERSION,
    MAX_BLOCKS,
    MAX_BLOCKS_MINOR_0,
    MAX_SPARSE_RANGES,
    MAX_U24,
    MAX_U32,
    SPARSE_RANGE_SIZE,
    VARIABLE_HEADER_HEAD,
    Block,
    Compression,
    FseqHeader,
    SparseRange,
    VariableHeader,
)

__all__ = ["build_header", "check_sparse_ranges", "parse_header"]

_FIXED = struct.Struct("<4sHBBHIIBBBBBBQ")
_BLOCK = struct.Struct("<II")
_VARIABLE_HEAD = struct.Struct("<H2s")
_COMPRESSION_NAMES: dict[int, str] = {v: k for k, v in COMPRESSION_CODES.items()}


def _round_up_4(value: int) -> int:
    return (value + 3) & ~3


def _tables_end(block_slots: int, range_count: int) -> int:
    return FIXED_HEADER_SIZE + BLOCK_ENTRY_SIZE * block_slots + SPARSE_RANGE_SIZE * range_count


def check_sparse_ranges(ranges: Sequence[SparseRange]) -> None:
    """FormatError unless ``ranges`` fit the header: at most 255, u24 starts and counts."""
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
    if compression not in COMPRESSION_CODES:
        raise FormatError(f"unknown compression {compression!r}; use 'none', 'zstd' or 'zlib'")
    if not 1 <= step_ms <= 255:
        raise FormatError(f"step time {step_ms} ms out of range 1..255")
    if not (0 <= channel_count <= MAX_U32 and 0 <= frame_count <= MAX_U32):
        raise FormatError(f"channel count {channel_count} / frame count {frame_count} exceed u32")
    if not 0 <= unique_id < 1 << 64:
        raise FormatError(f"unique id {unique_id} does not fit in 64 bits")
    check_sparse_ranges(sparse_ranges)
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
        ((slots >> 4) & 0xF0) | COMPRESSION_CODES[compression],
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
