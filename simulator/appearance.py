"""What a frame of DMX looks like: the light of every pixel, and where beams point.

The inverse of the bytes layer, for previews: index arrays are built once per
rig from the profiles' channel kinds, then each frame is a few gathers.  Any
frame buffer works, compiled by us or received from another console.

Channel values are taken as linear light (LED drivers are linear in PWM), so
a dimmer curve in a profile shows the way the fixture would show it.  Colour:
red, green and blue, plus white as (1, 1, 1) and amber as (1, 0.69, 0).  A
fixture with an intensity channel and no colour channel is a white source,
warm to cool along its colour-temperature channel if it has one (and warmer or cooler
by a CTO or CTB filter's amount); so is one with neither dimmer nor colour that a
shutter switches.  A shutter, strobe or gobo channel at a value of its ``closed``
range darkens its fixture.  Pan/tilt come back in
degrees with the convention of the sweep effect (tilt 0 up).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lightshow.core.patch import slot_offsets
from lightshow.core.pixelmap import PixelMap
from lightshow.model.profile import CMY_KINDS, OPENING_KINDS, ChannelKind, switch_channel
from lightshow.model.rig import PatchedFixture, Rig

WARM_WHITE = np.array([1.0, 0.78, 0.52], dtype=np.float32)   # about 2700 K
COOL_WHITE = np.array([0.86, 0.92, 1.0], dtype=np.float32)   # about 6500 K
AMBER = np.array([1.0, 176 / 255, 0.0], dtype=np.float32)
KINDS = (ChannelKind.RED, ChannelKind.GREEN, ChannelKind.BLUE, ChannelKind.WHITE,
         ChannelKind.AMBER, ChannelKind.INTENSITY, ChannelKind.COLOR_TEMPERATURE,
         ChannelKind.PAN, ChannelKind.TILT, ChannelKind.CTO, ChannelKind.CTB, *CMY_KINDS)


def wheel_table(slots) -> np.ndarray:
    """(256, 3): the light through a colour wheel at each DMX value; white (open) where no
    slot is whole (rotation, split colours)."""
    table = np.ones((256, 3), dtype=np.float32)
    for slot in slots:
        table[slot.dmx[0]:slot.dmx[1] + 1] = slot.rgb
    return table


@dataclass
class ChannelSource:
    """For one channel kind: which rig pixel reads which buffer offsets (coarse, fine)."""

    pixels: np.ndarray       # (N,) rig pixel index
    offsets: np.ndarray      # (N, n_bytes) buffer offsets, coarse first

    def values(self, frame: np.ndarray) -> np.ndarray:
        """(N,) float32 in 0..1 at the channel's full resolution."""
        n_bytes = self.offsets.shape[1]
        if n_bytes == 1:
            return frame[self.offsets[:, 0]].astype(np.float32) * np.float32(1 / 255)
        total = np.zeros(len(self.pixels), dtype=np.float64)
        for byte in range(n_bytes):
            total = total * 256 + frame[self.offsets[:, byte]]
        return (total / (256 ** n_bytes - 1)).astype(np.float32)


@dataclass
class Beams:
    """Moving heads in one frame."""

    pixels: np.ndarray       # (M,) rig pixel index of each head
    pan_deg: np.ndarray      # (M,)
    tilt_deg: np.ndarray     # (M,)


def _fixture_sources(fixtures: list[PatchedFixture], pixels: PixelMap, universe_slot: dict[int, int],
                     out: dict[ChannelKind, list[tuple[np.ndarray, np.ndarray]]],
                     ranges: dict[ChannelKind, list[np.ndarray]],
                     wheels: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
                     shutters: list[tuple[np.ndarray, np.ndarray, int, int]],
                     switched: list[np.ndarray], warming_up: list[np.ndarray]) -> None:
    """Sources of one (profile, mode) group of fixtures, appended to ``out``."""
    profile, mode = fixtures[0].profile, fixtures[0].mode
    heads = max(mode.n_heads, 1)
    first = pixels.first_pixel[[pixels.fixture_index[f.id] for f in fixtures]]
    per_fixture = np.stack([slot_offsets(f, universe_slot) for f in fixtures])   # (K, slots)
    if switch_channel(profile, mode) is not None:
        switched.append((first[:, None] + np.arange(heads)).reshape(-1))
    for (channel, head), numbers in mode.channel_slots.items():
        definition = profile.channels[channel]
        if definition.kind in OPENING_KINDS and definition.closed is not None \
                and mode.channels[numbers[0]].byte == 0:
            at = (first[:, None] + np.arange(heads)).reshape(-1) if head is None else first + head
            column = per_fixture[:, numbers[0]]
            shutters.append((at, np.repeat(column, heads) if head is None else column,
                             *definition.closed))
        wheel = definition.kind is ChannelKind.COLOR_WHEEL and definition.slots
        if (definition.kind not in KINDS and not wheel) or mode.channels[numbers[0]].byte != 0:
            continue
        offsets = per_fixture[:, list(numbers)]                                    # (K, n_bytes)
        if head is None:   # fixture-wide: every head of the fixture reads it
            pixel_index = (first[:, None] + np.arange(heads)).reshape(-1)
            offsets = np.repeat(offsets, heads, axis=0)
        else:
            pixel_index = first + head
        if wheel:
            wheels.append((pixel_index, offsets[:, 0], wheel_table(definition.slots)))
            continue
        out.setdefault(definition.kind, []).append((pixel_index, offsets))
        if definition.kind is ChannelKind.COLOR_TEMPERATURE and not definition.cooler_up:
            warming_up.append(pixel_index)
        if definition.kind in (ChannelKind.PAN, ChannelKind.TILT):
            span = definition.range_deg or 360.0
            ranges.setdefault(definition.kind, []).append(np.full(len(pixel_index), span, np.float32))


class AppearanceMap:
    """Built once per rig; turns frame buffers into light and beams."""

    def __init__(self, rig: Rig, pixels: PixelMap | None = None):
        self.pixels = pixels or PixelMap(rig)
        self.n_pixels = self.pixels.n_pixels
        universes = rig.universes()
        self.universes = universes
        self.universe_slot = {u: i for i, u in enumerate(universes)}
        by_mode: dict[tuple[str, str], list[PatchedFixture]] = {}
        for fixture in rig.fixtures:
            by_mode.setdefault((fixture.profile.path or fixture.profile.id, fixture.mode.name),
                               []).append(fixture)
        found: dict[ChannelKind, list[tuple[np.ndarray, np.ndarray]]] = {}
        ranges: dict[ChannelKind, list[np.ndarray]] = {}
        self.wheels: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # pixels, offsets, table
        self.shutters: list[tuple[np.ndarray, np.ndarray, int, int]] = []  # pixels, offsets, closed
        switched: list[np.ndarray] = []
        warming_up: list[np.ndarray] = []
        for fixtures in by_mode.values():
            _fixture_sources(fixtures, self.pixels, self.universe_slot, found, ranges, self.wheels,
                             self.shutters, switched, warming_up)
        # pixels whose colour-temperature channel warms as its value rises
        self.warming_up = np.zeros(self.n_pixels, dtype=bool)
        for pixel_index in warming_up:
            self.warming_up[pixel_index] = True
        self.sources: dict[ChannelKind, list[ChannelSource]] = {}
        for kind, parts in found.items():   # one gather per kind and resolution
            for n_bytes in sorted({o.shape[1] for _, o in parts}):
                same = [(p, o) for p, o in parts if o.shape[1] == n_bytes]
                self.sources.setdefault(kind, []).append(ChannelSource(
                    np.concatenate([p for p, _ in same]), np.concatenate([o for _, o in same])))
            if kind in ranges:
                ranges[kind] = [np.concatenate([span for (_, o), span in zip(parts, ranges[kind])
                                                if o.shape[1] == n])
                                for n in sorted({o.shape[1] for _, o in parts})]
        coloured = np.zeros(self.n_pixels, dtype=bool)
        for kind in (ChannelKind.RED, ChannelKind.GREEN, ChannelKind.BLUE, ChannelKind.WHITE,
                     ChannelKind.AMBER):
            for source in self.sources.get(kind, []):
                coloured[source.pixels] = True
        filtered = np.zeros(self.n_pixels, dtype=bool)   # white light through a wheel or CMY
        for kind in CMY_KINDS:
            for source in self.sources.get(kind, []):
                filtered[source.pixels] = True
        for wheel_pixels, _, _ in self.wheels:
            filtered[wheel_pixels] = True
        self.filtered = np.flatnonzero(filtered & ~coloured)
        coloured |= filtered
        dimmed = np.zeros(self.n_pixels, dtype=bool)
        for source in self.sources.get(ChannelKind.INTENSITY, []):
            dimmed[source.pixels] = True
        for pixels_switched in switched:   # a lamp behind a shutter: white when it is open
            dimmed[pixels_switched] = True
        self.white_sources = np.flatnonzero(dimmed & ~coloured)   # a dimmer and no colour: white
        pan = self.sources.get(ChannelKind.PAN, [])
        tilt = self.sources.get(ChannelKind.TILT, [])
        self.beam_pixels = np.unique(np.concatenate(
            [s.pixels for s in pan + tilt] or [np.zeros(0, np.int64)]))
        self._pan_span = self._per_beam(pan, ranges.get(ChannelKind.PAN, []))
        self._tilt_span = self._per_beam(tilt, ranges.get(ChannelKind.TILT, []))

    def _per_beam(self, sources: list[ChannelSource], spans: list[np.ndarray]) -> np.ndarray:
        out = np.full(len(self.beam_pixels), 360.0, dtype=np.float32)
        for source, span in zip(sources, spans):
            out[np.searchsorted(self.beam_pixels, source.pixels)] = span
        return out

    def _channel(self, frame: np.ndarray, kind: ChannelKind, fill: float) -> np.ndarray:
        values = np.full(self.n_pixels, fill, dtype=np.float32)
        for source in self.sources.get(kind, []):
            values[source.pixels] = source.values(frame)
        return values

    def light(self, frame: np.ndarray) -> np.ndarray:
        """(n_pixels, 3) float32 linear light in 0..1 for one frame buffer (uint8)."""
        rgb = np.stack([self._channel(frame, kind, 0.0)
                        for kind in (ChannelKind.RED, ChannelKind.GREEN, ChannelKind.BLUE)], axis=1)
        if ChannelKind.WHITE in self.sources:
            rgb += self._channel(frame, ChannelKind.WHITE, 0.0)[:, None]
        if ChannelKind.AMBER in self.sources:
            rgb += self._channel(frame, ChannelKind.AMBER, 0.0)[:, None] * AMBER
        if len(self.white_sources):
            if ChannelKind.COLOR_TEMPERATURE in self.sources:
                cct = self._channel(frame, ChannelKind.COLOR_TEMPERATURE, 0.0)
                cct = np.where(self.warming_up, 1.0 - cct, cct)[self.white_sources]
                tint = WARM_WHITE + (COOL_WHITE - WARM_WHITE) * cct[:, None]
            else:
                tint = np.broadcast_to(WARM_WHITE, (len(self.white_sources), 3))
            for kind, towards in ((ChannelKind.CTO, WARM_WHITE), (ChannelKind.CTB, COOL_WHITE)):
                if kind in self.sources:   # a correction filter mixed in by its amount
                    amount = self._channel(frame, kind, 0.0)[self.white_sources, None]
                    tint = tint + (towards - tint) * amount
            rgb[self.white_sources] = tint
        if len(self.filtered):
            light = np.ones((self.n_pixels, 3), dtype=np.float32)
            for number, kind in enumerate(CMY_KINDS):   # a flag takes out its complement
                for source in self.sources.get(kind, []):
                    light[source.pixels, number] *= 1.0 - source.values(frame)
            for wheel_pixels, offsets, table in self.wheels:   # the slot's colour
                light[wheel_pixels] *= table[frame[offsets]]
            rgb[self.filtered] = light[self.filtered]
        if ChannelKind.INTENSITY in self.sources:   # a master and per-pixel dimmers multiply
            level = np.ones(self.n_pixels, dtype=np.float32)
            for source in self.sources[ChannelKind.INTENSITY]:
                np.multiply.at(level, source.pixels, source.values(frame))
            rgb *= level[:, None]
        for shut_pixels, offsets, low, high in self.shutters:   # a closed shutter: dark
            value = frame[offsets]
            rgb[shut_pixels[(value >= low) & (value <= high)]] = 0.0
        np.clip(rgb, 0.0, 1.0, out=rgb)
        return rgb

    def beams(self, frame: np.ndarray) -> Beams:
        """Pan/tilt of every moving head (degrees from the centre of its range)."""
        index = self.beam_pixels
        pan = np.full(len(index), 0.5, dtype=np.float32)
        tilt = np.full(len(index), 0.5, dtype=np.float32)
        for source in self.sources.get(ChannelKind.PAN, []):
            pan[np.searchsorted(index, source.pixels)] = source.values(frame)
        for source in self.sources.get(ChannelKind.TILT, []):
            tilt[np.searchsorted(index, source.pixels)] = source.values(frame)
        return Beams(index, (pan - 0.5) * self._pan_span, (tilt - 0.5) * self._tilt_span)
