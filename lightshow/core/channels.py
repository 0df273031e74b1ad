"""Colours layer -> bytes: per profile and mode, with curves and fine channels.

Per pixel the mixer leaves a layered colour (LTP) and an HTP intensity.  A
fixture with a dimmer and one pixel (a washer, a flood, a moving head) shows
the intensity on its dimmer and the colour's hue on its colour channels; a
pixel fixture shows the colour directly.  White is extracted from RGB as the
common part, amber from what remains of red and green.

Quantisation: with a linear curve an 8-bit channel takes floor(x * 255 + 0.5);
otherwise x in 0..1 becomes a 16-bit level i = floor(x * 65535 + 0.5) and a
channel of n bytes takes floor(curve(i / 65535) * (256**n - 1) + 0.5).
Pixel colours, the bulk of the bytes, are quantised along runs of consecutive
channels by a compiled kernel (quantise_runs_into), which fills the channels no
cue drives with their defaults in the same pass over each frame (fill_row_runs).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numba import njit

from lightshow.core.compiled import KERNEL
from lightshow.core.patch import ChannelMap, ColourRuns, OutputGroup
from lightshow.core.wheel import choose_slots, oklab
from lightshow.core.hsv import channel_low, channel_peak, hsv_of
from lightshow.model.profile import CMY_KINDS, CORRECTION_KINDS, HSI_KINDS, ChannelKind, DimmerCurve

AMBER_GREEN = 176 / 255  # amber LEDs are about (1, 0.69, 0)
EPSILON = 1e-6


def curve_values(curve: DimmerCurve, x: np.ndarray) -> np.ndarray:
    if curve.kind == "square":
        return x * x
    if curve.kind == "s_curve":
        return x * x * (3 - 2 * x)
    if curve.kind == "gamma":
        return np.power(x, curve.gamma)
    return x


@lru_cache(maxsize=64)
def quantise_table(curve: DimmerCurve, n_bytes: int) -> np.ndarray:
    """65536-entry table: 16-bit level index -> channel value of ``n_bytes``."""
    x = np.arange(65536, dtype=np.float64) / 65535
    top = 256 ** n_bytes - 1
    dtype = np.uint8 if n_bytes == 1 else np.uint32
    return np.floor(curve_values(curve, x) * top + 0.5).astype(dtype)


LINEAR = DimmerCurve()


def level_index(x: np.ndarray) -> np.ndarray:
    """0..1 floats -> 16-bit level indices (clipped)."""
    scaled = np.clip(x, 0.0, 1.0) * 65535.0
    scaled += 0.5
    return scaled.astype(np.int32)


def quantise(x: np.ndarray, curve: DimmerCurve, n_bytes: int) -> np.ndarray:
    if n_bytes == 1 and curve.kind == "linear":
        scaled = np.clip(x, 0.0, 1.0).astype(np.float32) * np.float32(255.0)
        scaled += np.float32(0.5)
        return scaled.astype(np.uint8)
    return np.take(quantise_table(curve, n_bytes), level_index(x))


class GroupValues:
    """The float value of each channel kind for one group over a block of frames."""

    def __init__(self, group: OutputGroup, rgb: np.ndarray, level: np.ndarray,
                 pan_tilt: np.ndarray | None):
        self.group, self.rgb, self.level, self.pan_tilt = group, rgb, level, pan_tilt
        self._cache: dict[ChannelKind, np.ndarray] = {}

    def colour(self) -> np.ndarray:
        """(F, N, 3) colour as the colour channels show it, before white extraction."""
        if "colour" not in self._cache:
            rgb = self.rgb
            if self.group.has_dimmer:
                peak = channel_peak(rgb)[..., None]
                rgb = rgb / np.maximum(peak, EPSILON)
            if self.group.has_white or self.group.has_amber:
                rgb = rgb.copy()
            self._cache["colour"] = rgb
            self._split()
        return self._cache["colour"]

    def _split(self) -> None:
        rgb = self._cache["colour"]
        if self.group.has_white:
            white = channel_low(rgb)
            rgb -= white[..., None]
            self._cache[ChannelKind.WHITE] = white
        if self.group.has_amber:
            amber = np.minimum(rgb[..., 0], rgb[..., 1] / AMBER_GREEN)
            rgb[..., 0] -= amber
            rgb[..., 1] -= amber * AMBER_GREEN
            self._cache[ChannelKind.AMBER] = amber

    def value(self, kind: ChannelKind) -> np.ndarray | None:
        """(F, N) floats 0..1, or None where the kind keeps its default."""
        if kind in self._cache:
            return self._cache[kind]
        if kind in (ChannelKind.RED, ChannelKind.GREEN, ChannelKind.BLUE):
            return self.colour()[..., (ChannelKind.RED, ChannelKind.GREEN, ChannelKind.BLUE).index(kind)]
        if kind in CMY_KINDS:  # subtractive: a flag takes out what the colour lacks
            value = 1.0 - self.colour()[..., CMY_KINDS.index(kind)]
            self._cache[kind] = value
            return value
        if kind in HSI_KINDS:  # HSI fixtures: hue and saturation of the cue's colour
            hue, saturation = hsv_of(self.rgb)
            self._cache[ChannelKind.HUE], self._cache[ChannelKind.SATURATION] = hue, saturation
            return self._cache[kind]
        if kind in (ChannelKind.WHITE, ChannelKind.AMBER):
            self.colour()
            # None (keep the default) for a fixture-wide white or amber beside pixel heads
            # without one: the heads' colour is not split, so there is no value for it
            return self._cache.get(kind)
        if kind is ChannelKind.INTENSITY:
            value = self.level
        elif kind is ChannelKind.COLOR_TEMPERATURE:
            peak = np.maximum(channel_peak(self.rgb), EPSILON)
            value = np.clip(0.5 + 0.5 * (self.rgb[..., 2] - self.rgb[..., 0]) / peak, 0, 1)
        elif kind in CORRECTION_KINDS:   # a CTO by the colour's warmth, a CTB by its coolness
            peak = np.maximum(channel_peak(self.rgb), EPSILON)
            warmth = (self.rgb[..., 0] - self.rgb[..., 2]) / peak
            value = np.clip(warmth if kind is ChannelKind.CTO else -warmth, 0, 1)
        else:
            return None  # no effect drives it (UV, ...): the channel keeps its default
        self._cache[kind] = value
        return value


def _movement(values: GroupValues, output) -> np.ndarray | None:
    """Pan/tilt as 0..1 of the channel's range; NaN where no cue moves the head."""
    if values.pan_tilt is None:
        return None
    degrees = values.pan_tilt[..., 0 if output.kind is ChannelKind.PAN else 1]
    span = output.range_deg or 360.0
    return degrees / span + 0.5


@lru_cache(maxsize=256)
def _wheel_tables(slots) -> tuple[np.ndarray, np.ndarray]:
    """(slot colours in OKLab (K, 3), DMX value of each slot (K,))."""
    return (oklab(np.array([s.rgb for s in slots], dtype=np.float64)),
            np.array([s.value for s in slots], dtype=np.int64))


def _wheel_values(output, history: np.ndarray, n_history: int, frame: np.ndarray,
                  lit: np.ndarray | None = None) -> np.ndarray:
    """(F, N) DMX values of a colour wheel: the chosen slot, or what the frame holds (its
    default) where no colour was asked for yet.  A wheel that switches its fixture (``lit``
    given) shows its black slot where the fixture is off, and chooses among the others."""
    slots = output.slots
    default = frame[:, output.offsets].astype(np.int64)
    if lit is not None:
        slots = tuple(s for s in slots if s.value != output.switch[0])
        if not slots:   # nothing but the black slot: off, or the default
            return np.where(lit, default, output.switch[0])
    lab, values = _wheel_tables(slots)
    chosen = choose_slots(history[:, output.entries], lab, n_history)
    shown = np.where(chosen >= 0, values[np.maximum(chosen, 0)], default)
    return shown if lit is None else np.where(lit, shown, output.switch[0])


def write_group(frame: np.ndarray, group: OutputGroup, rgb: np.ndarray, level: np.ndarray,
                pan_tilt: np.ndarray | None, wheel_history: np.ndarray | None = None,
                n_history: int = 0) -> None:
    """Write one group's channels of a block of frames (F, n_channels) in place.

    ``wheel_history`` (n_history + F, N, 3): the group's mixed colours with the frames
    before the block first, for colour wheels (see lightshow.core.wheel)."""
    values = GroupValues(group, rgb, level, pan_tilt)
    curve = group.profile.dimmer_curve
    curve_on_colour = not group.has_dimmer
    quantised: dict[tuple[ChannelKind, int], np.ndarray] = {}
    for output in group.outputs:
        lit = None
        if output.switch is not None:   # the group's only intensity: off below half level
            lit = channel_peak(values.rgb[:, output.entries]) >= 0.5
        if output.kind is ChannelKind.COLOR_WHEEL:
            if output.byte == 0 and output.slots:
                history = rgb if wheel_history is None else wheel_history
                frame[:, output.offsets] = _wheel_values(
                    output, history, 0 if wheel_history is None else n_history,
                    frame, lit).astype(np.uint8)
            continue
        if lit is not None:
            off, on = output.switch
            frame[:, output.offsets] = np.where(lit, on, off).astype(np.uint8)
            continue
        key = (output.kind, output.n_bytes, output.reverse)
        if key not in quantised:
            if output.kind in (ChannelKind.PAN, ChannelKind.TILT):
                fraction = _movement(values, output)
                if fraction is None:
                    continue
                moved = ~np.isnan(fraction)
                if not moved.any():
                    continue
                table_values = quantise(np.where(moved, fraction, 0.0), LINEAR, output.n_bytes)
                quantised[key] = np.where(moved, table_values.astype(np.int64), -1)  # -1: keep
            else:
                value = values.value(output.kind)
                if value is None:
                    continue
                if output.reverse:   # warms as its value rises
                    value = 1.0 - value
                use_curve = curve if (output.kind is ChannelKind.INTENSITY or (
                    curve_on_colour and output.kind is not ChannelKind.COLOR_TEMPERATURE
                    and output.kind not in HSI_KINDS and output.kind not in CORRECTION_KINDS)
                ) else LINEAR
                quantised[key] = quantise(value, use_curve, output.n_bytes)
        if key not in quantised:
            continue
        full = quantised[key][:, output.entries]
        shift = 8 * (output.n_bytes - 1 - output.byte)
        if output.kind in (ChannelKind.PAN, ChannelKind.TILT):
            keep = full < 0
            byte_values = ((np.maximum(full, 0) >> shift) & 0xFF).astype(np.uint8)
            if keep.any():
                byte_values = np.where(keep, frame[:, output.offsets], byte_values)
        elif output.n_bytes == 1:
            byte_values = full
        else:
            byte_values = ((full >> shift) & 0xFF).astype(np.uint8)
        frame[:, output.offsets] = byte_values


@njit(**KERNEL)
def quantise_runs_into(rgb, scale, table, frame, dst, src, length, base, base_start, base_length):
    """Colours (F, P, 3) in 0..1 to frame bytes along runs: for run r and i < length[r],
    ``frame[f, dst[r] + i] = table[uint16(x * scale + 0.5)]`` with x the flat colour value
    ``src[r] + i`` of frame f; ``uint8(x * scale + 0.5)`` when ``table`` is empty (linear).
    Each frame then takes ``base``'s bytes along the runs ``base_start``, ``base_length``
    (as fill_runs), in the same pass, while its bytes are in cache."""
    half = np.float32(0.5)
    linear = table.shape[0] == 0
    flat = rgb.reshape(rgb.shape[0], -1)
    longest = 0
    for r in range(length.shape[0]):
        longest = max(longest, length[r])
    entry = np.empty(longest, dtype=np.uint16)
    for f in range(flat.shape[0]):
        values, row = flat[f], frame[f]
        for r in range(dst.shape[0]):
            n = length[r]
            x, out = values[src[r]:src[r] + n], row[dst[r]:dst[r] + n]
            if linear:
                for i in range(n):
                    out[i] = np.uint8(x[i] * scale + half)
                continue
            for i in range(n):  # the entries apart from the lookups: vectorises
                entry[i] = np.uint16(x[i] * scale + half)
            for i in range(n):
                out[i] = table[entry[i]]
        fill_row_runs(row, base, base_start, base_length)


@njit(**KERNEL)
def fill_row_runs(out, row, start, length):
    """``out[start[r]:start[r] + length[r]] = row[start[r]:...]`` for every run r."""
    for r in range(start.shape[0]):  # runs are mostly a few bytes: a loop, not a slice copy
        for i in range(start[r], start[r] + length[r]):
            out[i] = row[i]


@njit(**KERNEL)
def fill_runs(frame, row, start, length):
    """``frame[f, start[r]:start[r] + length[r]] = row[start[r]:...]`` for every frame f."""
    for f in range(frame.shape[0]):
        fill_row_runs(frame[f], row, start, length)


NO_TABLE = np.zeros(0, dtype=np.uint8)


NO_RUNS = np.zeros(0, dtype=np.int64)


def quantise_colour_runs(frame: np.ndarray, rgb: np.ndarray, runs: ColourRuns,
                         base: np.ndarray = NO_TABLE, base_runs=(NO_RUNS, NO_RUNS)) -> None:
    """Colours (F, P, 3) in 0..1 into the frame bytes of ``runs``, through their curve;
    ``base``'s bytes along ``base_runs`` (starts, lengths) too, in the same pass.

    Linear: uint8(x * 255 + 0.5); else the curve's table at uint16(x * 65535 + 0.5),
    in float32.
    """
    rgb = np.ascontiguousarray(rgb, dtype=np.float32)
    if runs.curve.kind == "linear":
        scale, table = np.float32(255.0), NO_TABLE
    else:
        scale = np.float32(65535.0)
        table = quantise_table(runs.curve, 1)
    quantise_runs_into(rgb, scale, table, frame, runs.frame, runs.source, runs.length, base,
                       *base_runs)


def write_frames(frame: np.ndarray, channel_map: ChannelMap, rgb: np.ndarray,
                 levels: list[np.ndarray | None], moves: list[np.ndarray | None],
                 wheel_history: list[np.ndarray | None] | None = None, n_history: int = 0) -> None:
    """Fill a block of frames (F, n_channels) from the mixed pixel buffers.

    ``rgb`` must hold values in 0..1.  ``levels[g]`` / ``moves[g]`` are group g's
    HTP intensities (F, N) and pan/tilt degrees (F, N, 2), or None.
    ``wheel_history[g]``: for a group with a colour wheel, its mixed colours
    (n_history + F, N, 3) with the ``n_history`` frames before the block first, which
    the wheel chooses its slots from; None: it chooses from this block alone.
    """
    # the colour runs and the base runs are disjoint, and no group writes colour-run bytes:
    # the first colour runs are quantised with the base filled in the same pass over the
    # frames, before the groups write over the base
    if channel_map.rgb_runs:
        first, *rest = channel_map.rgb_runs
        quantise_colour_runs(frame, rgb, first, channel_map.base, channel_map.base_runs)
    else:
        rest = []
        fill_runs(frame, channel_map.base, *channel_map.base_runs)
    for number, (group, level, pan_tilt) in enumerate(zip(channel_map.groups, levels, moves)):
        if group.rgb_offsets is not None:
            continue
        group_rgb = rgb[:, group.pixels]
        if level is None:
            level = np.zeros(group_rgb.shape[:2], dtype=np.float32)
        history = wheel_history[number] if wheel_history is not None else None
        write_group(frame, group, group_rgb, level, pan_tilt, history, n_history)
    for runs in rest:
        quantise_colour_runs(frame, rgb, runs)
