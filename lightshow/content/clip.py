"""A work turned into a clip for a target's pixels: mapped once per distinct frame, then indexed.

The mapping is the ``image`` effect's (fit, fill or stretch; each pixel the mean
of the picture over its patch), so a citizen's work lands on a facade exactly as
a designer's picture does.  An animation keeps its own frame timing: the clip
holds each distinct artwork frame once, ``frame_of_tick`` says which one shows
at each show frame (looping), and ``alpha_of_tick`` fades the clip in and out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lightshow.content.validation import DecodedArtwork
from lightshow.core.effects import image as image_effect
from lightshow.core.effects.base import EffectInput
from lightshow.core.pixelmap import Target


@dataclass(frozen=True)
class ArtworkClip:
    frames_rgb: np.ndarray      # (K, P, 3) float32 0..1: each artwork frame on the target's pixels
    frame_of_tick: np.ndarray   # (n_ticks,) int: which of them shows at each show frame
    alpha_of_tick: np.ndarray   # (n_ticks,) float32 0..1: the fade in and out
    fps: float

    @property
    def n_ticks(self) -> int:
        return len(self.frame_of_tick)


def composite_rgb(frame: np.ndarray, background=(0.0, 0.0, 0.0)) -> np.ndarray:
    """(H, W, 3) float32 0..1 of an RGB or RGBA uint8 frame, transparency over ``background``."""
    data = frame.astype(np.float32) / np.float32(255.0)
    if data.shape[2] == 4:
        alpha = data[:, :, 3:4]
        bg = np.asarray(background, dtype=np.float32).reshape(1, 1, 3)
        data = data[:, :, :3] * alpha + bg * (1.0 - alpha)
    return np.ascontiguousarray(data, dtype=np.float32)


def map_frame(frame: np.ndarray, target: Target, fit: str = "fit",
              background=(0.0, 0.0, 0.0)) -> np.ndarray:
    """(P, 3) float32: one artwork frame on the target's pixels, by the image effect's mapping."""
    params = {"image_rgb": composite_rgb(frame, background), "fit": fit,
              "background": tuple(background), "brightness": 1.0}
    zero = np.zeros(1, dtype=np.float32)
    out = image_effect.render(EffectInput(zero, zero, target.xy, target.pos_m, target.order,
                                          target.size_m, 1.0, params, 0))
    return np.broadcast_to(out.rgb, (1, target.n_pixels, 3))[0].astype(np.float32)


def frame_of_time(durations_ms: tuple[int, ...], t_s: np.ndarray) -> np.ndarray:
    """Index of the animation frame showing at each time (seconds from the clip's start, looping)."""
    loop_ms = sum(durations_ms)
    if len(durations_ms) <= 1 or loop_ms <= 0:
        return np.zeros(len(t_s), dtype=np.int64)
    ends = np.cumsum(durations_ms)
    at_ms = np.mod(np.round(np.asarray(t_s, dtype=np.float64) * 1000.0, 6), loop_ms)
    return np.minimum(np.searchsorted(ends, at_ms, side="right"), len(durations_ms) - 1)


def fade_envelope(n_ticks: int, fps: float, fade_s: float) -> np.ndarray:
    """(n_ticks,) float32: linear fade in over ``fade_s``, hold, fade out over ``fade_s``."""
    if fade_s <= 0 or n_ticks == 0:
        return np.ones(n_ticks, dtype=np.float32)
    t_s = (np.arange(n_ticks) + 0.5) / fps
    rise = np.clip(t_s / fade_s, 0.0, 1.0)
    fall = np.clip((n_ticks / fps - t_s) / fade_s, 0.0, 1.0)
    return np.minimum(rise, fall).astype(np.float32)


def build_artwork_clip(artwork: DecodedArtwork, target: Target, fps: float, duration_s: float,
                       fit: str = "fit", background=(0.0, 0.0, 0.0),
                       fade_s: float = 0.0) -> ArtworkClip:
    """The clip of ``artwork`` on ``target`` for a slot of ``duration_s`` at ``fps``."""
    n_ticks = max(int(round(duration_s * fps)), 0)
    frames = np.stack([map_frame(f, target, fit, background) for f in artwork.frames])
    ticks = frame_of_time(artwork.durations_ms, np.arange(n_ticks) / fps)
    return ArtworkClip(frames, ticks, fade_envelope(n_ticks, fps, fade_s), fps)
