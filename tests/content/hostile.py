"""The hostile-input corpus: each case is an upload the content queue must refuse.

A case gives the file's bytes and name, the text fields, and the HTTP status and
error code it must be refused with.  Built in memory (nothing committed is needed).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from tests.content.pictures import (animation, gradient_jpeg, handmade_gif, png_claiming, solid,
                                    with_bad_crc)

GOOD_FIELDS = {"title": "江上明月 Moon over the river", "name": "小林", "city": "武汉", "consent": "yes"}
MB = 1024 * 1024


@dataclass(frozen=True)
class HostileCase:
    id: str
    data: bytes
    status: int
    code: str
    file_name: str = "work.png"
    fields: dict = field(default_factory=lambda: dict(GOOD_FIELDS))
    in_file: bool = True        # refused for the file's content (not its name or text)


def _fields(**changes) -> dict:
    return {**GOOD_FIELDS, **changes}


def jpeg_comment(text: bytes) -> bytes:
    return b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text


def hostile_cases() -> list[HostileCase]:
    png = solid()
    jpeg = gradient_jpeg(320, 240)
    html_page = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
    svg = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
           b'<rect width="10" height="10"/></svg>')
    zip_tail = b"PK\x03\x04" + b"\x00" * 26 + b"PK\x05\x06" + b"\x00" * 18
    return [
        HostileCase("decompression-bomb-png", png_claiming(8_000, 8_000), 413, "too-many-pixels"),
        HostileCase("decompression-bomb-of-400-megapixels", png_claiming(20_000, 20_000), 413,
                    "too-many-pixels"),
        HostileCase("decompression-bomb-beyond-pillow", png_claiming(100_000, 100_000), 413,
                    "too-many-pixels"),
        HostileCase("file-of-100-mb", png + b"\x00" * (100 * MB), 413, "file-too-large"),
        HostileCase("truncated-png", png[: len(png) // 2], 422, "damaged"),
        HostileCase("truncated-jpeg", jpeg[: len(jpeg) // 2], 422, "damaged", "work.jpg"),
        HostileCase("png-with-bad-crc", with_bad_crc(png), 422, "damaged"),
        HostileCase("jpeg-with-garbage-body", jpeg[:200] + bytes(range(256)) * 40, 422, "damaged",
                    "work.jpg"),
        HostileCase("webp-header-only", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20, 422, "damaged",
                    "work.webp"),
        HostileCase("png-of-zero-width", png_claiming(0, 10), 422, "damaged"),
        HostileCase("svg", svg, 415, "format-not-allowed", "work.svg"),
        HostileCase("svg-named-png", svg, 415, "format-not-allowed"),
        HostileCase("html-named-png", html_page, 415, "format-not-allowed"),
        HostileCase("polyglot-png-and-html", png + html_page, 415, "hidden-document"),
        HostileCase("polyglot-gif-and-zip", handmade_gif(4, 4, 1) + zip_tail, 415, "hidden-archive",
                    "work.gif"),
        HostileCase("script-in-jpeg-comment", jpeg[:2] + jpeg_comment(b"<script>alert(1)</script>")
                    + jpeg[2:], 415, "hidden-document", "work.jpg"),
        HostileCase("zero-byte-file", b"", 400, "empty-file"),
        HostileCase("one-pixel-picture", solid(size=(1, 1)), 422, "too-small"),
        HostileCase("thin-strip-of-40-to-1", solid(size=(800, 20)), 422, "bad-aspect"),
        HostileCase("gif-of-10000-frames", handmade_gif(1, 1, 10_000), 413, "too-many-frames",
                    "work.gif"),
        HostileCase("gif-too-large-to-animate", handmade_gif(4000, 4000, 20), 413,
                    "animation-too-large", "work.gif"),
        HostileCase("gif-too-long", animation([(255, 0, 0), (0, 0, 255)] * 4, [20_000] * 8), 422,
                    "animation-too-long", "work.gif"),
        HostileCase("bmp", solid(fmt="BMP"), 415, "format-not-allowed", "work.bmp"),
        HostileCase("tiff", solid(fmt="TIFF"), 415, "format-not-allowed", "work.tif"),
        HostileCase("pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", 415,
                    "format-not-allowed", "work.pdf"),
        HostileCase("elf-executable", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, 415,
                    "format-not-allowed", "work.png"),
        HostileCase("path-traversal-file-name", png, 400, "bad-file-name", "../../../etc/passwd.png",
                    in_file=False),
        HostileCase("windows-path-file-name", png, 400, "bad-file-name", "..\\..\\boot.ini",
                    in_file=False),
        HostileCase("script-in-title", png, 422, "title-markup",
                    fields=_fields(title="<script>alert(1)</script>"), in_file=False),
        HostileCase("img-onerror-in-name", png, 422, "name-markup",
                    fields=_fields(name='<img src=x onerror="alert(1)">'), in_file=False),
        HostileCase("bidi-override-in-city", png, 422, "city-invalid-character",
                    fields=_fields(city="Wuhan\u202egnp.exe"), in_file=False),
        HostileCase("newline-in-title", png, 422, "title-invalid-character",
                    fields=_fields(title="line one\r\nSet-Cookie: x=1"), in_file=False),
        HostileCase("title-of-10000-characters", png, 422, "title-too-long",
                    fields=_fields(title="长" * 10_000), in_file=False),
        HostileCase("missing-title", png, 422, "title-missing", fields=_fields(title="   "),
                    in_file=False),
        HostileCase("no-consent", png, 422, "consent-missing", fields=_fields(consent=""),
                    in_file=False),
    ]
