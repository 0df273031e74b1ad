"""Citizen content queue: acceptance throughput, and upload-to-playable-clip time.

A real server (``lightshow queue serve``, uvicorn) on 127.0.0.1 with a fresh store.

1. Throughput: 50 concurrent clients upload a mix of distinct pictures (PNG, JPEG,
   animated GIF, WebP) as fast as they are answered; every answer must be 201.
2. Ready time, for a 4000×3000 JPEG: from the start of the upload to a playable
   clip of it on the rig's facades (upload acknowledged durably → the stored work
   read and decoded → mapped onto the facade pixels, 10 s at 40 fps with fades), one
   upload at a time.  Like with like: interleaved with each upload, the same file goes
   through a bare pipeline that does the unavoidable work and nothing else (Pillow
   opens it, decodes it at the reduced scale the JPEG allows, and resizes it to the
   stored size, as any server must before a facade can show it), so the ratio of the
   two p99s is our overhead: HTTP, checks, durable storage, re-reading and mapping.

Last line: ``queue: <n> uploads/s, ready p99 <t> ms, <r>x bare decode-and-resize`` where r
is ready p99 over the bare pipeline's p99.
"""

from __future__ import annotations

import os
import sys

# this file's name shadows the standard library's queue module: put the repository first instead
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse
import asyncio
import io
import tempfile
import time

import httpx
import numpy as np
from PIL import Image

from lightshow.queue.content_store import ContentStore  # noqa: E402
from lightshow.queue.content_web import load_facades  # noqa: E402
from lightshow.content.clip import build_artwork_clip  # noqa: E402
from lightshow.content.limits import ContentLimits  # noqa: E402
from tests.queue.content_server import ContentServer  # noqa: E402

CLIENTS = 50


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def mix_picture(i: int, rng: np.random.Generator) -> tuple[str, bytes, str]:
    """A distinct picture of one of four kinds."""
    kind = i % 4
    tint = np.array([i % 251, (i * 7) % 253, (i * 13) % 241], dtype=np.int16)
    if kind == 0:       # a logo-like PNG
        rgb = np.zeros((256, 256, 3), np.int16) + tint
        rgb[64:192, 64:192] = 255 - tint
        return "logo.png", encoded(Image.fromarray(rgb.astype(np.uint8)), "PNG"), "image/png"
    if kind == 1:       # a phone-sized photo
        noise = rng.integers(0, 60, (768, 1024, 3), dtype=np.int16)
        rgb = np.clip(noise + tint + np.linspace(0, 150, 1024, dtype=np.int16)[None, :, None], 0, 255)
        return "photo.jpg", encoded(Image.fromarray(rgb.astype(np.uint8)), "JPEG", quality=88), "image/jpeg"
    if kind == 2:       # an animated GIF, 12 frames
        frames = [Image.new("RGB", (96, 96), tuple(int(v) for v in (tint + 20 * f) % 256))
                  for f in range(12)]
        return "anim.gif", encoded(frames[0], "GIF", save_all=True, append_images=frames[1:],
                                   duration=80, loop=0), "image/gif"
    rgb = np.clip(rng.integers(0, 40, (300, 400, 3), dtype=np.int16) + tint, 0, 255)
    return "still.webp", encoded(Image.fromarray(rgb.astype(np.uint8)), "WEBP", quality=85), "image/webp"


def big_jpeg(i: int) -> bytes:
    """A distinct 4000×3000 photo-like JPEG."""
    rng = np.random.default_rng(1000 + i)
    x = np.linspace(0, 200, 4000, dtype=np.float32)[None, :, None]
    y = np.linspace(0, 120, 3000, dtype=np.float32)[:, None, None]
    base = np.broadcast_to(x + y * np.array([0.2, 0.6, 1.0], np.float32), (3000, 4000, 3))
    rgb = (base + rng.integers(0, 40, (3000, 4000, 1), dtype=np.uint8)).clip(0, 255).astype(np.uint8)
    return encoded(Image.fromarray(rgb), "JPEG", quality=90)


async def throughput(url: str, uploads: list[tuple[str, bytes, str]]) -> tuple[float, int, int]:
    todo = list(enumerate(uploads))
    accepted, errors = 0, 0

    async def client(http: httpx.AsyncClient):
        nonlocal accepted, errors
        while todo:
            i, (name, data, media) = todo.pop()
            answer = await http.post(f"{url}/api/artworks", files={"file": (name, data, media)},
                                     data={"title": f"bench {i}", "consent": "yes"})
            if answer.status_code == 201:
                accepted += 1
            else:
                errors += 1
                print(f"  upload {i} ({name}): {answer.status_code} {answer.text[:120]}")

    limits = httpx.Limits(max_connections=CLIENTS)
    async with httpx.AsyncClient(timeout=120.0, limits=limits) as http:
        began = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(CLIENTS)))
        took = time.perf_counter() - began
    return accepted / took, accepted, errors


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=400, help="uploads in the throughput phase")
    parser.add_argument("--samples", type=int, default=20, help="4000×3000 uploads timed")
    args = parser.parse_args()

    rng = np.random.default_rng(7)
    mix = [mix_picture(i, rng) for i in range(args.uploads)]
    bigs = [big_jpeg(i) for i in range(args.samples)]
    facades = load_facades(os.path.join(sys.path[0], "shows", "riverfront.rig.yaml"))
    print(f"mix of {len(mix)} uploads ({sum(len(d) for _, d, _ in mix) / 1e6:.1f} MB), "
          f"{args.samples} JPEGs of 4000×3000 ({len(bigs[0]) / 1e6:.1f} MB each), "
          f"facades {facades.n_pixels} pixels, {os.cpu_count()} cores")

    with tempfile.TemporaryDirectory() as store_dir, ContentServer(store_dir) as server:
        rate, accepted, errors = asyncio.run(throughput(server.url, mix))
        print(f"throughput: {accepted} accepted, {errors} errors, {rate:.1f} uploads/s "
              f"with {CLIENTS} concurrent clients")

        ready_ms, decode_ms = [], []
        with ContentStore(store_dir) as store, httpx.Client(timeout=60.0) as http:
            side = ContentLimits().max_side_px
            for i, data in enumerate(bigs):
                began = time.perf_counter()
                image = Image.open(io.BytesIO(data))
                image.draft("RGB", (side // 2, side // 2))
                image.load()                         # decoded (thumbnail alone may not need to)
                image.convert("RGB").thumbnail((side, side), Image.Resampling.LANCZOS, reducing_gap=3.0)
                decode_ms.append((time.perf_counter() - began) * 1000)

                began = time.perf_counter()
                answer = http.post(f"{server.url}/api/artworks",
                                   files={"file": ("big.jpg", data, "image/jpeg")},
                                   data={"title": f"big {i}", "consent": "yes"})
                if answer.status_code != 201:
                    errors += 1
                    print(f"  big upload {i}: {answer.status_code} {answer.text[:120]}")
                    continue
                work = store.get(answer.json()["id"])
                clip = build_artwork_clip(store.decoded(work), facades, fps=40.0, duration_s=10.0,
                                          fit="fill", fade_s=1.0)
                ready_ms.append((time.perf_counter() - began) * 1000)
                assert clip.n_ticks == 400 and clip.frames_rgb.shape[1] == facades.n_pixels
    p50, p99 = percentile(ready_ms, 50), percentile(ready_ms, 99)
    bare = percentile(decode_ms, 99)
    print(f"ready (upload to playable clip, 4000×3000 JPEG): p50 {p50:.0f} ms, p99 {p99:.0f} ms; "
          f"bare decode-and-resize p50 {percentile(decode_ms, 50):.0f} ms, p99 {bare:.0f} ms; "
          f"errors {errors}")
    print(f"queue: {rate:.0f} uploads/s, ready p99 {p99:.0f} ms, {p99 / bare:.1f}x bare decode-and-resize")


if __name__ == "__main__":
    main()
