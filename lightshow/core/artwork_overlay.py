"""Artwork over compiled frames: a work's colours as the target fixtures' bytes, blended in.

The work's frames are turned into channel bytes once (through the same colour
to channel code as compiling), then each output frame takes
``compiled * (1 - a) + work * a`` on the target's colour and dimmer channels,
``a`` being the slot's fade.  Other channels (pan/tilt, strobe...) are left as
compiled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lightshow.core.channels import write_frames
from lightshow.core.patch import ChannelMap, slot_offsets
from lightshow.model.profile import COLOUR_KINDS, ChannelKind
from lightshow.model.rig import Rig

CHUNK_FRAMES = 8


def light_offsets(rig: Rig, fixture_ids: tuple[str, ...], universe_slot: dict[int, int]) -> np.ndarray:
    """Buffer offsets of the colour and intensity channels (every byte) of these fixtures."""
    fixtures = rig.fixture_index()
    out = []
    for fixture_id in fixture_ids:
        fixture = fixtures[fixture_id]
        offsets = slot_offsets(fixture, universe_slot)
        kinds = [fixture.profile.channels[s.channel].kind for s in fixture.mode.channels]
        out += [int(o) for o, kind in zip(offsets, kinds)
                if kind in COLOUR_KINDS or kind is ChannelKind.INTENSITY]
    return np.array(sorted(out), dtype=np.int64)


@dataclass
class SlotBytes:
    offsets: np.ndarray     # (M,) buffer offsets the work drives
    values: np.ndarray      # (K, M) uint8: those channels for each of the work's frames

    def overlay(self, frame: np.ndarray, k: int, alpha: float) -> np.ndarray:
        """A copy of the flat ``frame`` with work frame ``k`` laid over at ``alpha``."""
        out = frame.copy()
        if alpha >= 1.0:
            out[self.offsets] = self.values[k]
        elif alpha > 0.0:
            below = frame[self.offsets].astype(np.float32)
            out[self.offsets] = (below + (self.values[k] - below) * np.float32(alpha) + 0.5).astype(np.uint8)
        return out


def slot_bytes(channel_map: ChannelMap, rig: Rig, fixture_ids: tuple[str, ...], target_pixels,
               frames_rgb: np.ndarray) -> SlotBytes:
    """Bytes of the work's frames (K, P_target, 3) on the target fixtures (rig pixels ``target_pixels``)."""
    n_pixels = channel_map.n_pixels
    offsets = light_offsets(rig, fixture_ids, channel_map.universe_slot)
    values = np.empty((len(frames_rgb), len(offsets)), dtype=np.uint8)
    for start in range(0, len(frames_rgb), CHUNK_FRAMES):
        chunk = frames_rgb[start:start + CHUNK_FRAMES]
        rgb = np.zeros((len(chunk), n_pixels, 3), dtype=np.float32)
        rgb[:, target_pixels] = np.clip(chunk, 0.0, 1.0)
        peak = rgb.max(axis=2)
        levels = [peak[:, group.pixels] if group.has_dimmer else None for group in channel_map.groups]
        frame = np.empty((len(chunk), channel_map.n_channels), dtype=np.uint8)
        write_frames(frame, channel_map, rgb, levels, [None] * len(channel_map.groups))
        values[start:start + len(chunk)] = frame[:, offsets]
    return SlotBytes(offsets, values)
