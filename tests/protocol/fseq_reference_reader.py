"""An independent FSEQ v2 reader used to cross-check lightshow's codec.

Written from the format table alone (struct, zlib, zstandard; nothing from
lightshow) so that a shared misunderstanding cannot make writer and reader
agree with each other while both are wrong.

Format (little-endian):

| offset | size | field |
| 0  | 4 | b"PSEQ" |
| 4  | 2 | channel-data offset |
| 6  | 1 | minor version |
| 7  | 1 | major version (2) |
| 8  | 2 | offset of the first variable header = 32 + 8*blocks + 6*ranges |
| 10 | 4 | channels per frame as stored |
| 14 | 4 | frame count |
| 18 | 1 | step time ms |
| 19 | 1 | flags |
| 20 | 1 | bits 0-3 compression (0 none, 1 zstd, 2 zlib), bits 4-7 = block count bits 8-11 |
| 21 | 1 | block count low 8 bits |
| 22 | 1 | sparse range count |
| 23 | 1 | flags |
| 24 | 8 | unique id |
| 32 | 8*blocks | (first frame u32, compressed length u32), length 0 = unused |
| .. | 6*ranges | (start u24, count u24) |
| .. | ..       | variable headers (length u16 incl. 4-byte head, 2-char code, data) |
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

import zstandard


@dataclass
class ReferenceFseq:
    """Plain-Python view of a decoded FSEQ v2 file."""

    data_offset: int
    minor: int
    major: int
    first_variable_header: int
    stored_channels: int
    frame_count: int
    step_ms: int
    compression: int
    block_count: int
    range_count: int
    unique_id: int
    blocks: list[tuple[int, int]] = field(default_factory=list)
    ranges: list[tuple[int, int]] = field(default_factory=list)
    variables: list[tuple[bytes, bytes]] = field(default_factory=list)
    frames: list[bytes] = field(default_factory=list)

    def full_frame(self, index: int, total_channels: int) -> bytes:
        """Frame ``index`` expanded to ``total_channels``, zeros elsewhere."""
        out = bytearray(total_channels)
        data = self.frames[index]
        if not self.ranges:
            out[: len(data)] = data
            return bytes(out)
        pos = 0
        for start, count in self.ranges:
            out[start:start + count] = data[pos:pos + count]
            pos += count
        return bytes(out)


def read_fseq(data: bytes) -> ReferenceFseq:
    """Decode a whole FSEQ v2 file, all frames included."""
    (magic, data_offset, minor, major, first_var, channels, frames, step,
     _f1, comp_byte, blocks_low, ranges, _f2, uid) = struct.unpack_from("<4sHBBHIIBBBBBBQ", data, 0)
    assert magic == b"PSEQ", magic
    assert major == 2, major
    block_count = ((comp_byte >> 4) << 8) | blocks_low
    result = ReferenceFseq(
        data_offset, minor, major, first_var, channels, frames, step,
        comp_byte & 0x0F, block_count, ranges, uid,
    )
    pos = 32
    for _ in range(block_count):
        first, length = struct.unpack_from("<II", data, pos)
        pos += 8
        if length:
            result.blocks.append((first, length))
    for _ in range(ranges):
        start = data[pos] | data[pos + 1] << 8 | data[pos + 2] << 16
        count = data[pos + 3] | data[pos + 4] << 8 | data[pos + 5] << 16
        result.ranges.append((start, count))
        pos += 6
    assert pos == first_var, (pos, first_var)
    while pos + 4 <= data_offset:
        (length,) = struct.unpack_from("<H", data, pos)
        if length == 0:
            break
        result.variables.append((data[pos + 2:pos + 4], data[pos + 4:pos + length]))
        pos += length
    result.frames = _read_channel_data(result, data)
    return result


def _read_channel_data(info: ReferenceFseq, data: bytes) -> list[bytes]:
    size = info.stored_channels
    if info.compression == 0:
        body = data[info.data_offset:info.data_offset + size * info.frame_count]
        assert len(body) == size * info.frame_count
        return [body[i * size:(i + 1) * size] for i in range(info.frame_count)]
    body = bytearray()
    offset = info.data_offset
    for _first, length in info.blocks:
        chunk = data[offset:offset + length]
        offset += length
        if info.compression == 1:
            body += zstandard.ZstdDecompressor().decompressobj().decompress(chunk)
        elif info.compression == 2:
            body += zlib.decompress(chunk)
        else:
            raise AssertionError(f"compression {info.compression}")
    assert offset == len(data), (offset, len(data))
    assert len(body) == size * info.frame_count, (len(body), size * info.frame_count)
    return [bytes(body[i * size:(i + 1) * size]) for i in range(info.frame_count)]
