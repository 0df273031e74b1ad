"""An uploaded picture checked by its content (never its name) and decoded into frames.

Order matters: the cheap checks that need no decoding come first (size, magic
bytes, markup, PNG structure), then the header (pixel count and frame count,
before a single pixel is decoded: decompression bombs), then decoding frame by
frame with the frame and duration limits.  Every refusal is a
:class:`ContentRejected` with its HTTP status.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from lightshow.content.limits import ContentLimits
from lightshow.content.rejection import ContentRejected

DEFAULT_FRAME_MS = 100       # what browsers show a GIF frame of 0 or 10 ms for

# markers of a document hiding in (or posing as) a picture: HTML, SVG, script, PHP
_MARKUP = (b"<script", b"<html", b"<svg", b"<?php", b"<iframe", b"<body", b"<!doctype",
           b"javascript:")


@dataclass(frozen=True)
class DecodedArtwork:
    """A valid work: upright frames (H, W, 3 or 4) uint8 of one size, each with its duration."""

    source_format: str                 # PNG, JPEG, GIF or WEBP (what the bytes are)
    width: int                         # of the decoded (possibly reduced) frames
    height: int
    frames: tuple[np.ndarray, ...]
    durations_ms: tuple[int, ...]      # one per frame; (0,) for a still
    upload_sha256: str

    @property
    def n_frames(self) -> int:
        return len(self.frames)

    @property
    def duration_ms(self) -> int:
        return sum(self.durations_ms)

    @property
    def has_alpha(self) -> bool:
        return self.frames[0].shape[2] == 4


def _mb(n_bytes: int) -> str:
    return f"{n_bytes / (1024 * 1024):g} MB"


def sniff_format(data: bytes) -> str:
    """The format the bytes really are (magic numbers), or a 415 that says what was found."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) or b"<svg" in head:
        found_zh, found_en = "SVG 矢量图", "an SVG drawing"
    elif head.startswith((b"<!doctype", b"<html", b"<")):
        found_zh, found_en = "网页(HTML)", "a web page (HTML)"
    else:
        found_zh, found_en = "未知格式", "an unknown format"
    raise ContentRejected(415, "format-not-allowed",
                          f"文件内容是{found_zh},不是允许的图片格式(PNG、JPEG、WebP、GIF)。",
                          f"the file is {found_en}, not an allowed picture format "
                          "(PNG, JPEG, WebP, GIF)")


def jpeg_text_segments(data: bytes) -> list[bytes]:
    """The comment and metadata segments of a JPEG before its image data (not EXIF thumbnails)."""
    segments, at = [], 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF or marker == 0x01 or 0xD0 <= marker <= 0xD8:
            at += 1 if marker == 0xFF else 2
            continue
        if marker in (0xDA, 0xD9):          # the entropy-coded image data starts (or the end)
            break
        length = int.from_bytes(data[at + 2:at + 4], "big")
        segment = data[at + 4:at + 2 + length]
        if marker == 0xFE or (0xE0 <= marker <= 0xEF and not segment.startswith(b"Exif\0")):
            segments.append(segment)
        at += 2 + length
    return segments


def check_no_markup(parts: list[bytes]) -> None:
    """Refuse a picture that also carries a document (a polyglot: image and HTML/script).

    ``parts`` are where a document can hide and a browser would find it: the first and last
    KiB, the format's text and metadata parts.  Never the compressed image data, where a
    short marker such as ``<svg`` turns up by chance about once in a hundred photos.
    """
    for part in parts:
        lowered = part.lower()
        for marker in _MARKUP:
            if marker in lowered:
                raise ContentRejected(415, "hidden-document",
                                      "图片中夹带了网页或脚本内容,无法接受。",
                                      f"the picture also contains a document or script "
                                      f"({marker.decode()!r} found); it is not accepted")


def check_webp_length(data: bytes) -> None:
    """A WebP is one RIFF chunk: anything after its declared length is refused."""
    declared = 8 + int.from_bytes(data[4:8], "little")
    if len(data) > declared + (declared & 1):
        raise ContentRejected(415, "trailing-data", "WebP 文件结尾之后还附加了其他数据,无法接受。",
                              f"the WebP has {len(data) - declared} bytes appended after its end")


def check_no_archive(data: bytes) -> None:
    """Refuse a picture that is also a ZIP archive (its end record sits in the last 64 KiB)."""
    if b"PK\x05\x06" in data[-(65_536 + 22):]:
        raise ContentRejected(415, "hidden-archive", "图片中夹带了压缩包,无法接受。",
                              "the picture also contains a ZIP archive; it is not accepted")


def check_png_chunks(data: bytes) -> list[bytes]:
    """A PNG must end with its IEND chunk (anything appended is refused); returns its text chunks."""
    at, texts = 8, []
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind = data[at + 4:at + 8]
        if kind in (b"tEXt", b"iTXt", b"zTXt"):
            texts.append(data[at + 8:at + 8 + length])
        at += 12 + length
        if kind == b"IEND":
            if at < len(data):
                raise ContentRejected(415, "trailing-data",
                                      "PNG 文件结尾之后还附加了其他数据,无法接受。",
                                      f"the PNG has {len(data) - at} bytes appended after its end")
            return texts
    raise ContentRejected(422, "damaged", "图片文件不完整或已损坏。",
                          "the picture is truncated or damaged (the PNG has no end chunk)")


def _damaged(detail: str) -> ContentRejected:
    return ContentRejected(422, "damaged", "图片文件不完整或已损坏,无法读取。",
                           f"the picture is truncated or damaged and cannot be read ({detail})")


def _open(data: bytes, fmt: str, limits: ContentLimits) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[fmt])
    except Image.DecompressionBombError:
        raise _too_many_pixels(None, limits) from None
    except UnidentifiedImageError:
        raise _damaged(f"not a readable {fmt}") from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        raise _damaged(str(exc) or type(exc).__name__) from None
    width, height = image.size
    if width < 1 or height < 1:
        raise _damaged(f"{width}×{height} pixels")
    if width * height > limits.max_pixels:
        raise _too_many_pixels((width, height), limits)
    return image


def _too_many_pixels(size, limits: ContentLimits) -> ContentRejected:
    shown = f"{size[0]}×{size[1]} pixels" if size else "more than 178 million pixels"
    return ContentRejected(413, "too-many-pixels",
                           f"图片像素过多(最多 {limits.max_pixels / 1e6:g} 百万像素)。",
                           f"the picture is too large: {shown}, at most "
                           f"{limits.max_pixels / 1e6:g} megapixels")


def check_shape(width: int, height: int, limits: ContentLimits) -> None:
    """A work must be big enough to show on a facade, and not a line."""
    if min(width, height) < limits.min_side_px:
        raise ContentRejected(422, "too-small",
                              f"图片太小:{width}×{height} 像素,每边至少 {limits.min_side_px} 像素"
                              "(立面有约 100×30 个像素点)。",
                              f"the picture is {width}×{height} pixels; each side needs at least "
                              f"{limits.min_side_px} pixels to show on a facade (about 100×30 lights)")
    if max(width, height) > limits.max_aspect * min(width, height):
        raise ContentRejected(422, "bad-aspect",
                              f"图片太细长:{width}×{height},长宽比最多 {limits.max_aspect:g}:1。",
                              f"the picture is {width}×{height}: longer than {limits.max_aspect:g}:1, it "
                              "would show as a thin line on the facades")


def _declared_frames(image: Image.Image, limits: ContentLimits) -> int:
    """Frames as the header tells (GIF: counted by skipping blocks, nothing decoded)."""
    try:
        n_frames = int(getattr(image, "n_frames", 1))
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        raise _damaged(str(exc) or type(exc).__name__) from None
    width, height = image.size
    if n_frames > limits.max_frames:
        raise ContentRejected(413, "too-many-frames",
                              f"动画帧数过多:{n_frames} 帧,最多 {limits.max_frames} 帧。",
                              f"the animation has {n_frames} frames; at most "
                              f"{limits.max_frames} are accepted")
    if width * height * n_frames > limits.max_animation_pixels:
        raise ContentRejected(413, "animation-too-large",
                              "动画太大(尺寸乘以帧数超出限制),请缩小尺寸或减少帧数。",
                              f"the animation is too large: {width}×{height} pixels × {n_frames} "
                              f"frames is more than {limits.max_animation_pixels / 1e6:g} million")
    check_shape(width, height, limits)
    return n_frames


def _frame_pixels(image: Image.Image, max_side_px: int) -> np.ndarray:
    frame = ImageOps.exif_transpose(image)
    alpha = frame.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in frame.info
    frame = frame.convert("RGBA" if alpha else "RGB")
    if max(frame.size) > max_side_px:
        frame.thumbnail((max_side_px, max_side_px), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return np.asarray(frame)


def _decode_frames(image: Image.Image, fmt: str, n_frames: int,
                   limits: ContentLimits) -> tuple[list[np.ndarray], list[int]]:
    if fmt == "JPEG":   # decode at a reduced scale straight from the DCT when the picture is big
        side = limits.max_side_px // 2
        image.draft("RGB", (side, side))
    frames, durations = [], []
    for index in range(n_frames):
        if index:
            image.seek(index)
        image.load()
        frames.append(_frame_pixels(image, limits.max_side_px))
        if n_frames > 1:
            given = int(image.info.get("duration") or 0)
            durations.append(given if given >= limits.min_frame_ms else DEFAULT_FRAME_MS)
        else:
            durations.append(0)
    if len({f.shape[:2] for f in frames}) != 1:
        raise _damaged("frames of different sizes")
    if any(f.shape[2] == 4 for f in frames):
        frames = [f if f.shape[2] == 4 else np.dstack([f, np.full(f.shape[:2], 255, np.uint8)])
                  for f in frames]
    return frames, durations


def decode_artwork(data: bytes, limits: ContentLimits = ContentLimits()) -> DecodedArtwork:
    """Check ``data`` by content and decode it, or raise :class:`ContentRejected`."""
    if not data:
        raise ContentRejected(400, "empty-file", "文件是空的。", "the file is empty (0 bytes)")
    if len(data) > limits.max_file_bytes:
        raise ContentRejected(413, "file-too-large",
                              f"文件太大(最大 {_mb(limits.max_file_bytes)})。",
                              f"the file is too large: {_mb(len(data))}, at most "
                              f"{_mb(limits.max_file_bytes)}")
    fmt = sniff_format(data)
    check_no_markup([data[:1024], data[-1024:]])
    check_no_archive(data)
    text_parts = check_png_chunks(data) if fmt == "PNG" else []
    if fmt == "JPEG":
        text_parts = jpeg_text_segments(data)
    elif fmt == "WEBP":
        check_webp_length(data)
    check_no_markup(text_parts)
    image = _open(data, fmt, limits)
    with image:
        n_frames = _declared_frames(image, limits)
        try:
            frames, durations = _decode_frames(image, fmt, n_frames, limits)
        except ContentRejected:
            raise
        except (OSError, SyntaxError, ValueError, EOFError, struct.error,
                Image.DecompressionBombError) as exc:
            raise _damaged(str(exc) or type(exc).__name__) from None
    if sum(durations) > limits.max_duration_s * 1000:
        raise ContentRejected(422, "animation-too-long",
                              f"动画太长:{sum(durations) / 1000:g} 秒,最长 {limits.max_duration_s:g} 秒。",
                              f"the animation lasts {sum(durations) / 1000:g} s; at most "
                              f"{limits.max_duration_s:g} s are accepted")
    height, width = frames[0].shape[:2]
    return DecodedArtwork(fmt, width, height, tuple(frames), tuple(durations),
                          hashlib.sha256(data).hexdigest())
