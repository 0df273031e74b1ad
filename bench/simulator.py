"""Simulator drawing speed: the full river-front rig, headless, next to a bare numpy blit.

Frames of the anniversary show are rendered first (not timed); then the painter
draws them round and round for a few seconds (frame bytes -> light -> screen
cells -> glow, washes, beams, reflection).  In the same run, the baseline
copies a prepared (W, H, 3) numpy array onto a surface of the same size with
``pygame.surfarray.blit_array`` for the same time: the least any numpy-fed
simulator must do per frame.

Last line: ``simulator: <f> fps at <n> pixels, <r> of bare blit``.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time

# run as a script, this folder comes first on sys.path, where simulator.py would hide the
# simulator package: the repository root takes its place
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import numpy as np  # noqa: E402
import pygame  # noqa: E402

from simulator.appearance import AppearanceMap  # noqa: E402
from lightshow.core.render import ShowRenderer  # noqa: E402
from lightshow.load.project import load_show  # noqa: E402
from simulator.painter import Painter  # noqa: E402

SHOW = pathlib.Path(__file__).resolve().parents[1] / "shows" / "anniversary.yaml"


def rate(step, seconds: float) -> float:
    """Calls per second of ``step`` over about ``seconds``."""
    step(0)                                                  # warm up
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step(count)
        count += 1
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", default=str(SHOW))
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--seconds", type=float, default=4.0, help="time per measurement")
    parser.add_argument("--frames", type=int, default=24, help="distinct show frames drawn")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    show = load_show(args.show)
    renderer = ShowRenderer(show)
    moments = np.linspace(0, renderer.n_frames - 1, args.frames).astype(int)
    frames = [renderer.render(k, k + 1)[0] for k in moments]
    painter = Painter(AppearanceMap(show.rig, renderer.pixels), size)
    n_pixels = renderer.pixels.n_pixels
    print(f"rig: {len(show.rig.fixtures)} fixtures, {n_pixels} pixels, {len(renderer.channel_map.universes)} "
          f"universes; window {size[0]}x{size[1]}; {args.frames} show frames")

    ours = rate(lambda n: painter.paint(frames[n % len(frames)]), args.seconds)
    surface = pygame.Surface(size)
    pictures = [np.random.default_rng(n).integers(0, 255, (size[0], size[1], 3), dtype=np.uint8)
                for n in range(2)]
    bare = rate(lambda n: pygame.surfarray.blit_array(surface, pictures[n % 2]), args.seconds)
    print(f"painter: {ours:.1f} fps ({1000 / ours:.2f} ms per frame)")
    print(f"bare numpy blit of a {size[0]}x{size[1]} surface: {bare:.1f} fps ({1000 / bare:.2f} ms)")
    print(f"simulator: {ours:.0f} fps at {n_pixels} pixels, {ours / bare:.2f} of bare blit")


if __name__ == "__main__":
    main()
