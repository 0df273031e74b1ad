"""Bytes layer: where every channel of every fixture lies in a frame buffer.

A frame buffer row holds 512 slots per patched universe, universes in
ascending order.  :func:`dmx_offset` is the one place where a 1-based DMX
address becomes a 0-based buffer offset.  Index arrays are built once per rig
and grouped by (profile, mode), so that turning colours into bytes is a few
vectorised gathers and scatters per group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lightshow.core.pixelmap import PixelMap, as_slice
from lightshow.model.profile import (
    BEAM_LEVEL_KINDS,
    CMY_KINDS,
    CORRECTION_KINDS,
    ChannelKind,
    DimmerCurve,
    Mode,
    Profile,
    WheelSlot,
    switch_channel,
)
from lightshow.model.rig import DMX_SLOTS, PatchedFixture, Rig

FULL = 255


def dmx_offset(universe_slot: int, address: int) -> int:
    """Buffer offset of a 1-based DMX ``address`` in the ``universe_slot``-th universe."""
    return universe_slot * DMX_SLOTS + address - 1


@dataclass
class ChannelOutput:
    """Slots of one channel kind and byte in a group: which group pixel feeds which offset."""

    kind: ChannelKind
    byte: int            # 0 coarse, 1 fine, 2 ultra-fine
    n_bytes: int         # 1, 2 or 3: the resolution of the channel this byte belongs to
    entries: np.ndarray | slice  # index into the group's pixels
    offsets: np.ndarray  # buffer offsets, same length
    range_deg: float | None = None
    slots: tuple[WheelSlot, ...] = ()   # a colour wheel's slots
    # a shutter or wheel that switches the group's light (lightshow.model.profile.switch_channel):
    # its off DMX value below half level, and from half its open value (-1 for a wheel: the
    # slot the colour chooses)
    switch: tuple[int, int] | None = None
    # a colour-temperature channel that warms as its value rises (range_k written high to low)
    reverse: bool = False


# kinds that send their profile default: nothing a cue mixes drives them
DEFAULT_ONLY = frozenset({ChannelKind.STROBE, ChannelKind.SHUTTER, ChannelKind.GENERIC,
                          ChannelKind.GOBO, ChannelKind.PRISM, ChannelKind.TINT,
                          *BEAM_LEVEL_KINDS})
# kinds that make a mode's colour: beside them a CTO or CTB filter keeps its default (the
# mixing, CMY flags, wheel or hue already give the cue's colour, warmth included)
COLOUR_MAKING = frozenset({ChannelKind.RED, ChannelKind.GREEN, ChannelKind.BLUE,
                           ChannelKind.COLOR_WHEEL, ChannelKind.HUE, *CMY_KINDS})


@dataclass
class OutputGroup:
    """All fixtures of one profile and mode."""

    profile: Profile
    mode: Mode
    pixels: np.ndarray | slice   # rig pixel index of each group pixel
    n_pixels: int
    has_dimmer: bool             # every pixel has an intensity channel of its own
    has_white: bool
    has_amber: bool
    outputs: list[ChannelOutput] = field(default_factory=list)
    rgb_offsets: np.ndarray | None = None   # (N * 3,) when the group is plain RGB pixels

    def kinds(self) -> set[ChannelKind]:
        return {o.kind for o in self.outputs}

    @property
    def has_wheel(self) -> bool:
        return any(o.kind is ChannelKind.COLOR_WHEEL for o in self.outputs)

    @property
    def moves(self) -> bool:
        return bool(self.kinds() & {ChannelKind.PAN, ChannelKind.TILT})


@dataclass(frozen=True)
class ColourRuns:
    """Where one curve's colour values go: run r takes ``length[r]`` consecutive values of
    a frame's flat (P * 3) colours from ``source[r]`` to consecutive frame bytes from
    ``frame[r]``.  A patch of whole universes of RGB pixels is one run a universe."""

    curve: DimmerCurve
    frame: np.ndarray    # int64
    source: np.ndarray   # int64
    length: np.ndarray   # int64


def colour_runs(curve: DimmerCurve, frame_offsets: np.ndarray, sources: np.ndarray) -> ColourRuns:
    """Runs that put colour value ``sources[i]`` at frame byte ``frame_offsets[i]``."""
    by_frame = np.argsort(frame_offsets, kind="stable")
    dst, src = frame_offsets[by_frame], sources[by_frame]
    breaks = np.nonzero((np.diff(dst) != 1) | (np.diff(src) != 1))[0] + 1
    starts = np.concatenate([[0], breaks]).astype(np.int64)
    lengths = np.diff(np.concatenate([starts, [len(dst)]])).astype(np.int64)
    return ColourRuns(curve, np.ascontiguousarray(dst[starts], dtype=np.int64),
                      np.ascontiguousarray(src[starts], dtype=np.int64), lengths)


@dataclass
class ChannelMap:
    """Per block the frame starts as ``base``, the other groups write their channels,
    and the plain RGB pixel groups' colours are quantised straight into the frame
    along ``rgb_runs`` (one :class:`ColourRuns` per curve).  ``base_runs`` (starts,
    lengths) are the frame bytes those runs do not write, the only ones that need
    ``base`` copied in."""

    universes: list[int]
    n_channels: int
    base: np.ndarray             # (n_channels,) uint8: defaults, and full for master dimmers
    groups: list[OutputGroup]
    universe_slot: dict[int, int]
    rgb_runs: list[ColourRuns] = field(default_factory=list)
    n_pixels: int = 0
    base_runs: tuple[np.ndarray, np.ndarray] = (np.zeros(0, np.int64), np.zeros(0, np.int64))


def slot_offsets(fixture: PatchedFixture, universe_slot: dict[int, int]) -> np.ndarray:
    """Buffer offset of each slot of the fixture's mode."""
    offsets = np.empty(fixture.mode.n_channels, dtype=np.int64)
    for segment in fixture.segments:
        start = dmx_offset(universe_slot[segment.universe], segment.address)
        offsets[segment.first_slot:segment.first_slot + segment.n_slots] = (
            start + np.arange(segment.n_slots))
    return offsets


def _middle(dmx: tuple[int, int]) -> int:
    return (dmx[0] + dmx[1]) // 2


def _channel_bytes(mode: Mode) -> dict[str, int]:
    depth: dict[str, int] = {}
    for slot in mode.channels:
        depth[slot.channel] = max(depth.get(slot.channel, 0), slot.byte + 1)
    return depth


def _build_group(fixtures: list[PatchedFixture], pixels: PixelMap,
                 universe_slot: dict[int, int], base: np.ndarray) -> OutputGroup:
    profile, mode = fixtures[0].profile, fixtures[0].mode
    heads = max(mode.n_heads, 1)
    pixel_index = np.concatenate([
        pixels.first_pixel[pixels.fixture_index[f.id]] + np.arange(heads) for f in fixtures])
    per_fixture = np.stack([slot_offsets(f, universe_slot) for f in fixtures])  # (K, slots)
    head_kinds = {profile.channels[s.channel].kind for s in mode.channels if s.head is not None}
    wide_kinds = {profile.channels[s.channel].kind for s in mode.channels if s.head is None}
    # a pixel with an intensity channel of its own (a one-pixel fixture's, or each head's)
    # shows the HTP intensity there and the hue on its colour channels
    has_dimmer = ChannelKind.INTENSITY in (head_kinds if mode.n_heads else wide_kinds)
    colour_kinds = head_kinds if mode.n_heads else wide_kinds
    group = OutputGroup(profile, mode, as_slice(pixel_index), len(pixel_index), has_dimmer,
                        ChannelKind.WHITE in colour_kinds, ChannelKind.AMBER in colour_kinds)
    depth = _channel_bytes(mode)
    # defaults first; outputs below overwrite what effects drive
    for slot_number, slot in enumerate(mode.channels):
        definition = profile.channels[slot.channel]
        value = definition.default if slot.byte == 0 else 0
        if mode.n_heads and slot.head is None and definition.kind is ChannelKind.INTENSITY:
            value = FULL if slot.byte == 0 else FULL  # master dimmer of a pixel fixture: full
        base[per_fixture[:, slot_number]] = value
    # one output per (channel, byte, per-head or fixture-wide)
    by_key: dict[tuple[str, int, bool], list[int]] = {}
    for slot_number, slot in enumerate(mode.channels):
        by_key.setdefault((slot.channel, slot.byte, slot.head is not None), []).append(slot_number)
    switch = switch_channel(profile, mode)
    coloured = bool({profile.channels[s.channel].kind for s in mode.channels} & COLOUR_MAKING)
    for (channel, byte, per_head), slot_numbers in by_key.items():
        definition = profile.channels[channel]
        kind = definition.kind
        switches = channel == switch and byte == 0
        if (kind in DEFAULT_ONLY and not switches) or (kind in CORRECTION_KINDS and coloured):
            continue  # defaults only
        if per_head:
            heads_of = [mode.channels[n].head for n in slot_numbers]
            order = np.argsort(heads_of)
            offsets = per_fixture[:, np.asarray(slot_numbers)[order]].reshape(-1)
            entries = as_slice(np.arange(len(offsets)))
        else:
            if mode.n_heads and kind is ChannelKind.INTENSITY:
                continue  # stays full
            offsets = per_fixture[:, slot_numbers[0]]
            entries = as_slice(np.arange(len(fixtures)) * heads)
        group.outputs.append(ChannelOutput(
            kind, byte, depth[channel], entries, offsets, definition.range_deg, definition.slots,
            (definition.off_value, -1 if kind is ChannelKind.COLOR_WHEEL else _middle(definition.open))
            if switches else None,
            kind is ChannelKind.COLOR_TEMPERATURE and not definition.cooler_up))
    plain = {(o.kind, o.byte, o.n_bytes) for o in group.outputs}
    if (not has_dimmer and len(group.outputs) == 3 and all(isinstance(o.entries, slice) for o in group.outputs)
            and plain == {(ChannelKind.RED, 0, 1), (ChannelKind.GREEN, 0, 1), (ChannelKind.BLUE, 0, 1)}
            and all(len(o.offsets) == group.n_pixels for o in group.outputs)):
        by_kind = {o.kind: o.offsets for o in group.outputs}
        group.rgb_offsets = np.stack([by_kind[ChannelKind.RED], by_kind[ChannelKind.GREEN],
                                      by_kind[ChannelKind.BLUE]], axis=1).reshape(-1)
    return group


def build_channel_map(rig: Rig, pixels: PixelMap) -> ChannelMap:
    universes = rig.universes()
    universe_slot = {u: i for i, u in enumerate(universes)}
    n_channels = len(universes) * DMX_SLOTS
    base = np.zeros(n_channels, dtype=np.uint8)
    by_mode: dict[tuple[str, str], list[PatchedFixture]] = {}
    for fixture in rig.fixtures:
        by_mode.setdefault((fixture.profile.path or fixture.profile.id, fixture.mode.name),
                           []).append(fixture)
    groups = [_build_group(fixtures, pixels, universe_slot, base) for fixtures in by_mode.values()]
    channel_map = ChannelMap(universes, n_channels, base, groups, universe_slot, [],
                             pixels.n_pixels)
    by_curve: dict[DimmerCurve, tuple[list, list]] = {}
    for group in groups:
        if group.rgb_offsets is None:
            continue
        offsets, sources = by_curve.setdefault(group.profile.dimmer_curve, ([], []))
        group_pixels = np.arange(pixels.n_pixels)[group.pixels]
        sources.append((group_pixels[:, None] * 3 + np.arange(3)).reshape(-1))
        offsets.append(group.rgb_offsets)
    channel_map.rgb_runs = [colour_runs(curve, np.concatenate(offsets), np.concatenate(sources))
                            for curve, (offsets, sources) in by_curve.items()]
    channel_map.base_runs = uncovered_runs(n_channels, channel_map.rgb_runs)
    return channel_map


def uncovered_runs(n_channels: int, runs: list[ColourRuns]) -> tuple[np.ndarray, np.ndarray]:
    """(starts, lengths) of the frame bytes that no colour run writes."""
    covered = np.zeros(n_channels + 2, dtype=np.int8)
    for run in runs:
        np.add.at(covered, run.frame + 1, 1)
        np.add.at(covered, run.frame + run.length + 1, -1)
    free = np.cumsum(covered)[1:-1] == 0
    edges = np.diff(np.concatenate([[False], free, [False]]).astype(np.int8))
    starts = np.nonzero(edges == 1)[0].astype(np.int64)
    return starts, np.nonzero(edges == -1)[0].astype(np.int64) - starts
