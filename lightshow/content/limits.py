"""What a submission may be: sizes, pixel counts, frames and text lengths, in one record."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentLimits:
    max_file_bytes: int = 20 * 1024 * 1024       # the upload as sent
    max_pixels: int = 40_000_000                 # width × height, checked before decoding
    max_frames: int = 300                        # animation frames
    max_animation_pixels: int = 150_000_000      # width × height × frames, checked before decoding
    max_duration_s: float = 60.0                 # one loop of an animation
    min_frame_ms: int = 20                       # shorter frames are shown this long (browsers too)
    max_side_px: int = 1024                      # stored works are reduced to this (facades are coarse)
    min_side_px: int = 16                        # a facade of ~100 x 30 pixels needs at least this much
    max_aspect: float = 8.0                      # the river-front is about 5:1; beyond 8:1 a work is a line
    max_title_chars: int = 60
    max_name_chars: int = 40
    max_city_chars: int = 40
