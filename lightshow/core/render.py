"""Render any range of a show's frames into DMX frame buffers, in memory.

Cues are stacked by (layer, priority, start, order in the show); each renders
its effect over just the frames and pixels it covers and mixes onto the
pixel buffers; the channel map then turns pixels into bytes.  Work goes in
blocks of a few frames so that the float buffers stay in the CPU cache.
Nothing depends on which frames were rendered before: any range gives the
same bytes.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from lightshow.core.channels import write_frames
from lightshow.core.compiled import compact
from lightshow.core.easing import envelope
from lightshow.core.effects import EFFECTS, EffectInput, EffectOutput
from lightshow.core.effects.base import MIXED, Destination
from lightshow.core.live_levels import LevelMap
from lightshow.core.mixing import BLEND_CODES, COVER, MASK, SCALE, merge_intensity, mix_layer
from lightshow.core.patch import ChannelMap, build_channel_map
from lightshow.core.pixelmap import PixelMap, Target, as_slice
from lightshow.core.timebase import frame_of, frame_times
from lightshow.core.wheel import look_back_frames
from lightshow.core.cue_controls import build_control_cues, build_control_slots, write_controls
from lightshow.model.blend import LIGHT_ADDING
from lightshow.model.show import Cue, Show

RIG_MAPS = ("pixels", "channel_map", "dimmer_pixels", "mover_pixels", "group_levels", "group_moves")
CACHE_BYTES = 24 * 1024 * 1024  # float colour buffer per block: less Python per frame than 12 MiB
# (about 3 % less CPU time rendering bench/compile.py's show, 41 frames a block instead of 20;
# 12 MiB took 15 % less than 4 MiB); it stays under the 32 MiB that compiling keeps allocated
# for reuse (files.compiled_file.keep_freed_memory): a 36 MiB buffer, mapped afresh every
# block, took twice as long


@dataclass(frozen=True)
class PixelSubset:
    """Where a target meets a subset of pixels (dimmers or movers); runs of consecutive
    indices are slices, so that taking them is a view rather than a gather."""

    local: np.ndarray | slice    # indices into the target's pixels
    subset: np.ndarray | slice   # indices into the subset buffer
    count: int


@dataclass(frozen=True)
class PlacedCue:
    cue: Cue
    first_frame: int
    stop_frame: int
    last_s: float        # from the cue's start to its last frame, seconds
    target: Target
    seed: int
    dimmers: PixelSubset
    movers: PixelSubset


def cue_seed(cue: Cue) -> int:
    """Stable per cue: the same show compiles to the same bytes on any machine."""
    return zlib.crc32(f"{cue.chapter_id}/{cue.id}".encode("utf-8"))


def _subset_slots(n_pixels: int, members: np.ndarray) -> np.ndarray:
    slots = np.full(n_pixels, -1, dtype=np.int64)
    slots[members] = np.arange(len(members))
    return slots


def _meet(target: Target, slots: np.ndarray) -> PixelSubset:
    global_index = np.arange(slots.size)[target.pixels]
    found = slots[global_index]
    local = np.nonzero(found >= 0)[0]
    return PixelSubset(as_slice(local), as_slice(found[local]), len(local))


def _group_pixels(group, n_pixels: int) -> np.ndarray:
    return np.arange(n_pixels)[group.pixels]


class ShowRenderer:
    """Index arrays and cue placement built once; ``render`` is then indexing and maths."""

    def __init__(self, show: Show, same_rig: "ShowRenderer | None" = None):
        """``same_rig``: a renderer of a show with the same rig (an edited show), whose pixel
        and channel maps are taken instead of being built again."""
        self.show = show
        self.fps = show.fps
        self.n_frames = frame_of(show.duration_s, show.fps)
        if same_rig is not None:
            for name in RIG_MAPS:
                setattr(self, name, getattr(same_rig, name))
            dimmer_slots, mover_slots = same_rig._dimmer_slots, same_rig._mover_slots
        else:
            dimmer_slots, mover_slots = self._build_rig_maps(show)
        self._dimmer_slots, self._mover_slots = dimmer_slots, mover_slots
        order = {id(c): i for i, c in enumerate(show.cues())}
        stacked = sorted(show.cues(), key=lambda c: (c.layer, c.priority, c.start_s, order[id(c)]))
        self.cues = []
        for cue in stacked:
            if not cue.fixture_ids:
                continue
            target = self.pixels.target(cue.fixture_ids)
            first, stop = frame_of(cue.start_s, self.fps), frame_of(cue.end_s, self.fps)
            last_s = float(frame_times(stop - 1, stop, self.fps)[0]) - cue.start_s
            self.cues.append(PlacedCue(cue, first, stop, last_s, target, cue_seed(cue),
                                       _meet(target, dimmer_slots), _meet(target, mover_slots)))
        self.block_frames = max(1, min(64, CACHE_BYTES // max(1, self.pixels.n_pixels * 12)))
        # per cue, while it is being rendered (see _forget_cues_outside)
        self._still: dict[int, EffectOutput] = {}
        self._memo: dict[int, dict] = {}
        self._levels: LevelMap | None = None   # built when a master other than 1 is asked for
        self._pixel_indices: dict[int, np.ndarray] = {}
        # colour wheels choose slots with hysteresis over the frames before a block
        self.wheel_groups = [i for i, g in enumerate(self.channel_map.groups) if g.has_wheel]
        self.wheel_look_back = look_back_frames(self.fps)
        self._wheel_tail: tuple[int, list[np.ndarray]] | None = None
        # controls cues set directly (wheel slot, gobo, zoom, ...): see core/cue_controls.py
        self.control_cues = build_control_cues(self.cues, self.pixels.fixture_index)
        self.control_slots = (build_control_slots(show.rig, self.channel_map.universe_slot,
                                                  set(self.control_cues))
                              if self.control_cues else [])

    def twin(self) -> "ShowRenderer":
        """Another renderer of the same show, sharing this one's rig maps: each thread that
        renders needs its own (a renderer keeps per-cue state while it renders)."""
        return ShowRenderer(self.show, same_rig=self)

    def _build_rig_maps(self, show: Show):
        self.pixels = PixelMap(show.rig)
        self.channel_map: ChannelMap = build_channel_map(show.rig, self.pixels)
        n = self.pixels.n_pixels
        groups = self.channel_map.groups
        dimmer_members = [_group_pixels(g, n) for g in groups if g.has_dimmer]
        mover_members = [_group_pixels(g, n) for g in groups if g.moves]
        self.dimmer_pixels = np.concatenate(dimmer_members) if dimmer_members else np.zeros(0, int)
        self.mover_pixels = np.concatenate(mover_members) if mover_members else np.zeros(0, int)
        dimmer_slots = _subset_slots(n, self.dimmer_pixels)
        mover_slots = _subset_slots(n, self.mover_pixels)
        self.group_levels = [dimmer_slots[_group_pixels(g, n)] if g.has_dimmer else None
                             for g in groups]
        self.group_moves = [mover_slots[_group_pixels(g, n)] if g.moves else None for g in groups]
        return dimmer_slots, mover_slots

    @property
    def n_channels(self) -> int:
        return self.channel_map.n_channels

    def mix(self, start: int, stop: int):
        """Pixel colours (F, P, 3), dimmer intensities (F, D) and mover pan/tilt (F, M, 2)."""
        n = stop - start
        # not zeroed up front: a first layer that covers its pixels over the whole block
        # writes them without reading them, the rest is zeroed as it is needed (one pass
        # over the block's colours fewer when a cue covers the whole rig, as most shows do)
        rgb = np.empty((n, self.pixels.n_pixels, 3), dtype=np.float32)
        level = np.zeros((n, len(self.dimmer_pixels)), dtype=np.float32)
        pan_tilt = np.full((n, len(self.mover_pixels), 2), np.nan, dtype=np.float32)
        touched = np.zeros(self.pixels.n_pixels, dtype=bool)
        written = np.zeros(self.pixels.n_pixels, dtype=bool)   # rgb holds values (all rows)
        active = set()
        for placed in self.cues:
            a, b = max(start, placed.first_frame), min(stop, placed.stop_frame)
            if a < b:
                active.add(id(placed))
                self._mix_cue(placed, a, b, start, rgb, level, pan_tilt, touched, written)
        self._zero_unwritten(rgb, written, slice(None))
        self._forget_cues_outside(active)
        return rgb, level, pan_tilt

    @staticmethod
    def _zero_unwritten(rgb: np.ndarray, written: np.ndarray, px) -> None:
        """Zero the colours of pixels ``px`` that hold no values yet (every row); they do now."""
        fresh = ~written[px]
        if not fresh.any():
            return
        if fresh.all():
            rgb[:, px] = 0.0
        else:
            rgb[:, np.arange(written.size)[px][fresh]] = 0.0
        written[px] = True

    def _forget_cues_outside(self, active: set[int]) -> None:
        """Drop the kept outputs and memos of cues this block did not render: the next
        block most likely needs the same cues, and memory then stays bounded by the cues
        that play at once, not by how many cues the show has."""
        for kept in (self._still, self._memo):
            for key in kept.keys() - active:
                del kept[key]

    def _effect_output(self, placed: PlacedCue, t_s: np.ndarray,
                       onto: Destination | None = None) -> EffectOutput:
        """The cue's effect over times ``t_s``; a still effect's output is kept and reused.
        ``onto``: where the cue's colours are mixed, which the effect may do itself (see
        EffectInput.onto); not offered to a still effect."""
        cue, target = placed.cue, placed.target
        effect = EFFECTS[cue.effect]
        still = effect.still(cue.params)
        if still and id(placed) in self._still:
            return self._still[id(placed)]
        phase = np.clip(t_s / placed.last_s, 0.0, 1.0) if placed.last_s > 0 else np.ones_like(t_s)
        out = effect.render(EffectInput(
            t_s, phase, target.xy, target.pos_m, target.order, target.size_m,
            cue.duration_s, cue.params, placed.seed, self._memo.setdefault(id(placed), {}),
            None if still else onto))
        if still:
            self._still[id(placed)] = out
        return out

    def _mix_cue(self, placed: PlacedCue, a: int, b: int, start: int, rgb, level, pan_tilt,
                 touched, written) -> None:
        """``written``: the pixels whose colours hold values in every row of ``rgb``: those
        a first layer over every row writes without reading join them; those the cue would
        read, or write in some rows only, are zeroed first when they hold none."""
        cue, target = placed.cue, placed.target
        t_s = frame_times(a, b, self.fps) - cue.start_s
        n_frames, n_pixels = b - a, target.n_pixels
        fade = envelope(t_s, cue.duration_s, cue.fade_in.duration_s, cue.fade_out.duration_s,
                        cue.fade_in.easing, cue.fade_out.easing) * cue.opacity
        rows = slice(a - start, b - start)
        px = target.pixels
        first_touch = cue.blend in LIGHT_ADDING and not touched[px].any()
        touched[px] = True
        opaque = first_touch and bool(np.all(fade == 1.0))
        if first_touch and n_frames == len(rgb):
            written[px] = True       # covered (COVER or SCALE, or the effect writes them)
        else:
            self._zero_unwritten(rgb, written, px)
        fade32 = fade.astype(np.float32)
        if first_touch:  # onto black: every light-adding mode is src * alpha
            mode = COVER if opaque else SCALE   # (SCALE too when the effect has an alpha)
        else:
            mode = BLEND_CODES[cue.blend]
        onto = None
        # the colours mixed in place are lost for dimmers unless written as they are
        if isinstance(px, slice) and mode != MASK and (mode == COVER or not placed.dimmers.count):
            onto = Destination(rgb, a - start, px.start, fade32, mode)
        out = self._effect_output(placed, t_s, onto)
        alpha = fade32.reshape(-1, 1, 1)
        if out is MIXED:
            if placed.dimmers.count:
                self._merge_dimmers(placed, rgb[rows, px], alpha, rows, n_frames, n_pixels, level)
            return
        if out.alpha is not None:
            alpha = alpha * np.asarray(out.alpha, dtype=np.float32)[..., None]
            mode = SCALE if mode == COVER else mode
        src = np.asarray(out.rgb, dtype=np.float32)  # effects keep colours in 0..1
        first = px.start if isinstance(px, slice) else -1
        mix_layer(rgb, a - start, n_frames, first, self._pixel_index(target), compact(src, 3),
                  compact(alpha[..., 0], 2), mode)
        if placed.dimmers.count:
            self._merge_dimmers(placed, src, alpha, rows, n_frames, n_pixels, level)
        if placed.movers.count and out.pan_deg is not None:
            self._move_heads(placed, out, alpha, pan_tilt[rows], n_frames, n_pixels)

    @staticmethod
    def _move_heads(placed: PlacedCue, out: EffectOutput, alpha: np.ndarray, block: np.ndarray,
                    n_frames: int, n_pixels: int) -> None:
        """Pan/tilt (LTP) crossfade from the position below by the cue's alpha; a head
        no cue below positions takes the cue's position at once, so that a head fading
        in is already on its path."""
        local, subset = placed.movers.local, placed.movers.subset
        shape = (n_frames, n_pixels)
        position = np.stack([np.broadcast_to(out.pan_deg, shape)[:, local],
                             np.broadcast_to(out.tilt_deg, shape)[:, local]], axis=-1)
        weight = np.broadcast_to(alpha[..., 0], shape)[:, local, None]
        below = block[:, subset]
        crossfade = below + (position - below) * weight
        block[:, subset] = np.where(np.isnan(below) | (weight >= 1), position, crossfade)

    def _pixel_index(self, target: Target) -> np.ndarray:
        """The target's rig pixel indices as an int64 array (kept per target)."""
        key = id(target)
        if key not in self._pixel_indices:
            self._pixel_indices[key] = np.ascontiguousarray(
                np.arange(self.pixels.n_pixels, dtype=np.int64)[target.pixels])
        return self._pixel_indices[key]

    def _merge_dimmers(self, placed, src, alpha, rows, n_frames, n_pixels, level) -> None:
        local, subset = placed.dimmers.local, placed.dimmers.subset
        src_d = np.broadcast_to(src, (n_frames, n_pixels, 3))[:, local]
        alpha_d = np.broadcast_to(alpha, (n_frames, n_pixels, 1))[:, local]
        block = level[rows]
        block[:, subset] = merge_intensity(block[:, subset], src_d, alpha_d, placed.cue.blend)

    def _wheel_past(self, start: int) -> list[np.ndarray]:
        """Per wheel group, its mixed colours over the look-back frames before ``start``
        (black before the show): kept from the block before when it ended at ``start``,
        else mixed again."""
        if self._wheel_tail is not None and self._wheel_tail[0] == start:
            return self._wheel_tail[1]
        groups = self.channel_map.groups
        n = self.wheel_look_back
        past = [np.zeros((n, groups[i].n_pixels, 3), dtype=np.float32) for i in self.wheel_groups]
        first = max(0, start - n)
        for a in range(first, start, self.block_frames):
            b = min(start, a + self.block_frames)
            rgb = self.mix(a, b)[0]
            for held, i in zip(past, self.wheel_groups):
                held[n - (start - a):n - (start - b) if b < start else n] = rgb[:, groups[i].pixels]
        return past

    def render_block(self, start: int, stop: int, frame: np.ndarray) -> None:
        past = self._wheel_past(start) if self.wheel_groups else None
        rgb, level, pan_tilt = self.mix(start, stop)
        levels = [None if idx is None else level[:, idx] for idx in self.group_levels]
        moves = [None if idx is None else pan_tilt[:, idx] for idx in self.group_moves]
        history = None
        if past is not None:
            groups = self.channel_map.groups
            history = [None] * len(groups)
            for held, i in zip(past, self.wheel_groups):
                history[i] = np.concatenate([held, rgb[:, groups[i].pixels]])
            self._wheel_tail = (stop, [h[-self.wheel_look_back:] for h in history
                                       if h is not None])
        write_frames(frame, self.channel_map, rgb, levels, moves, history, self.wheel_look_back)
        if self.control_slots:
            write_controls(frame, start, self.control_slots, self.control_cues, self.fps)

    def warm_up(self) -> None:
        """Render one frame at the start of every cue, so that each compiled kernel the
        show uses is compiled (or loaded from its cache) now rather than while playing."""
        for start in sorted({placed.first_frame for placed in self.cues}):
            if start < self.n_frames:
                self.render(start, start + 1)

    def render(self, start: int, stop: int, master: float = 1.0) -> np.ndarray:
        """Frames [start, stop) as a (F, n_channels) uint8 array; ``master`` scales every
        intensity channel last, after its curve, as live playback's grand master does."""
        start, stop = max(0, start), min(stop, self.n_frames)
        frame = np.empty((max(stop - start, 0), self.n_channels), dtype=np.uint8)
        for block_start in range(start, stop, self.block_frames):
            block_stop = min(stop, block_start + self.block_frames)
            self.render_block(block_start, block_stop,
                              frame[block_start - start:block_stop - start])
        if master != 1.0:
            if self._levels is None:
                self._levels = LevelMap.build(self.show.rig)
            self._levels.scale_frames(frame, master)
        return frame
