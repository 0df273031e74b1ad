"""Pictures made in memory for the content tests: valid ones and hand-built hostile ones."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def solid(rgb=(200, 30, 40), size=(64, 48), fmt="PNG", mode="RGB") -> bytes:
    return encoded(Image.new(mode, size, rgb), fmt)


def gradient_jpeg(width: int, height: int, quality: int = 90) -> bytes:
    x = np.linspace(0, 255, width, dtype=np.float32)[None, :]
    y = np.linspace(0, 255, height, dtype=np.float32)[:, None]
    rgb = np.stack([np.broadcast_to(x, (height, width)), np.broadcast_to(y, (height, width)),
                    np.full((height, width), 90.0)], axis=2).astype(np.uint8)
    return encoded(Image.fromarray(rgb), "JPEG", quality=quality)


def animation(colours, durations_ms, fmt="GIF", size=(32, 24)) -> bytes:
    frames = [Image.new("RGB", size, c) for c in colours]
    return encoded(frames[0], fmt, save_all=True, append_images=frames[1:],
                   duration=list(durations_ms), loop=0)


def handmade_gif(width: int, height: int, n_frames: int, delay_cs: int = 2) -> bytes:
    """A GIF whose header says ``width``×``height`` with ``n_frames`` frames of one pixel each.

    Tiny on disk however large or long it claims to be (no encoder needed).
    """
    out = [b"GIF89a", struct.pack("<HHBBB", width, height, 0x80, 0, 0),
           bytes([0, 0, 0, 255, 255, 255]),
           b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"]
    for i in range(n_frames):
        index = i % 2
        lzw = 4 | (index << 3) | (5 << 6)         # clear, the pixel, end: 3-bit codes
        out += [b"\x21\xf9\x04\x00" + struct.pack("<H", delay_cs) + b"\x00\x00",
                b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0),
                b"\x02\x02" + struct.pack("<H", lzw) + b"\x00"]
    out.append(b"\x3b")
    return b"".join(out)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width``×``height`` (1-bit grey): a decompression bomb."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(min(height, 2000))) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + _chunk(b"IDAT", body) + _chunk(b"IEND", b""))


def with_bad_crc(png: bytes) -> bytes:
    """The PNG with one byte of its IHDR CRC flipped."""
    at = 8 + 8 + 13           # signature, IHDR length+type, IHDR data
    return png[:at] + bytes([png[at] ^ 0xFF]) + png[at + 1:]
