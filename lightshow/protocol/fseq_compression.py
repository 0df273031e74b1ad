"""Compression of FSEQ v2 channel-data blocks: one zstd frame or one RFC 1950 zlib
stream per block, each decodable on its own (see :mod:`lightshow.protocol.fseq_format`)."""

from __future__ import annotations

import zlib

import zstandard

from lightshow.errors import FormatError
from lightshow.protocol.compression_levels import COMPRESSION_LEVELS, DEFAULT_LEVEL
from lightshow.protocol.fseq_format import Compression

__all__ = ["check_level", "compress_block", "decompress_block"]


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
