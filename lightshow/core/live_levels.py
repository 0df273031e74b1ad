"""Live intensity on top of compiled frames: grand master and per-group levels.

Only what carries intensity is scaled: the dimmer of a fixture that has one
(8 or 16 bit), else its colour channels.  A fixture with neither, switched by its
shutter or colour wheel (lightshow.model.profile.switch_channel), has it off (closed,
the black slot) when its scale is below a half, and left as it is from a half.  Pan/tilt, strobe, colour
temperature and the rest keep their bytes.  Index arrays are built once per rig; a
frame is one multiply per resolution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lightshow.core.patch import slot_offsets
from lightshow.model.profile import COLOUR_KINDS, ChannelKind, switch_channel
from lightshow.model.rig import DMX_SLOTS, PatchedFixture, Rig


def intensity_slots(fixture: PatchedFixture) -> list[list[int]]:
    """Slot numbers (coarse first) of each channel that carries the fixture's intensity: its
    dimmers (with a dimmer per pixel, those: the renderer holds a fixture-wide master
    beside them at full, and scaling both would apply a master twice), else its colours."""
    slots = fixture.mode.channel_slots
    kinds = {key: fixture.profile.channels[key[0]].kind for key in slots}
    dimmers = [key for key, kind in kinds.items() if kind is ChannelKind.INTENSITY]
    if any(head is not None for _, head in dimmers):
        dimmers = [key for key in dimmers if key[1] is not None]
    chosen = dimmers or [key for key, kind in kinds.items() if kind in COLOUR_KINDS]
    return [list(slots[key]) for key in chosen]


def switch_slots(fixture: PatchedFixture) -> list[tuple[int, int]]:
    """(slot number, off DMX value) of the shutter (or colour wheel) that switches a fixture
    with no dimmer and no emitter, if it has one."""
    channel = switch_channel(fixture.profile, fixture.mode)
    if channel is None:
        return []
    off = fixture.profile.channels[channel].off_value
    return [(numbers[0], off)
            for (name, _), numbers in fixture.mode.channel_slots.items() if name == channel]


@dataclass
class LevelMap:
    """Where intensity lies in a frame: 8-bit offsets, and (coarse, fine) pairs of 16-bit ones."""

    n_channels: int
    single: np.ndarray                 # (n,) offsets of 8-bit intensity channels
    pairs: np.ndarray                  # (m, 2) coarse and fine offsets
    group_single: dict[str, np.ndarray]   # group -> indices into ``single``
    group_pairs: dict[str, np.ndarray]    # group -> indices into ``pairs``
    # (n,) the closed value of each of ``single`` that is a switching shutter, else -1
    closed: np.ndarray | None = None

    @classmethod
    def build(cls, rig: Rig) -> "LevelMap":
        universes = rig.universes()
        universe_slot = {u: i for i, u in enumerate(universes)}
        single: list[np.ndarray] = []
        pairs: list[np.ndarray] = []
        n_single = n_pairs = 0
        single_of: dict[str, np.ndarray] = {}
        pairs_of: dict[str, np.ndarray] = {}
        closed: list[np.ndarray] = []
        by_mode: dict[tuple[int, int], tuple] = {}   # the slots of a profile's mode
        for fixture in rig.fixtures:
            key = (id(fixture.profile), id(fixture.mode))
            if key not in by_mode:
                chosen = intensity_slots(fixture)
                switches = switch_slots(fixture)
                # a 24-bit channel scales by its top two bytes
                by_mode[key] = (np.array([s[0] for s in chosen if len(s) == 1]
                                         + [n for n, _ in switches], dtype=np.int64),
                                np.array([s[:2] for s in chosen if len(s) > 1], dtype=np.int64).reshape(-1, 2),
                                np.array([-1] * sum(len(s) == 1 for s in chosen)
                                         + [v for _, v in switches], dtype=np.int64))
            one, two, shut = by_mode[key]
            offsets = slot_offsets(fixture, universe_slot)
            single.append(offsets[one])
            pairs.append(offsets[two])
            closed.append(shut)
            single_of[fixture.id] = np.arange(n_single, n_single + len(one))
            pairs_of[fixture.id] = np.arange(n_pairs, n_pairs + len(two))
            n_single, n_pairs = n_single + len(one), n_pairs + len(two)

        def of_group(index: dict[str, np.ndarray], ids) -> np.ndarray:
            parts = [index[f] for f in ids]
            return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)
        group_single = {name: of_group(single_of, g.fixture_ids) for name, g in rig.groups.items()}
        group_pairs = {name: of_group(pairs_of, g.fixture_ids) for name, g in rig.groups.items()}
        shut = np.concatenate(closed).astype(np.int64) if closed else np.zeros(0, dtype=np.int64)
        return cls(len(universes) * DMX_SLOTS,
                   np.concatenate(single).astype(np.int64) if single else np.zeros(0, dtype=np.int64),
                   np.concatenate(pairs).astype(np.int64).reshape(-1, 2) if pairs else np.zeros((0, 2), np.int64),
                   group_single, group_pairs, shut if (shut >= 0).any() else None)

    def _switch(self, values: np.ndarray, before: np.ndarray, scale) -> np.ndarray:
        """``values`` (scaled bytes of ``single``) with the switching shutters closed where
        their scale is below a half, and as they were (``before``) elsewhere."""
        if self.closed is None:
            return values
        shutter = self.closed >= 0
        return np.where(shutter & (np.asarray(scale) < 0.5), self.closed,
                        np.where(shutter, before, values)).astype(np.uint8)

    def scales(self, master: float, group_levels: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """Scale factors for ``single`` and ``pairs``: master times every level of the fixture's groups."""
        single = np.full(len(self.single), master, dtype=np.float32)
        pairs = np.full(len(self.pairs), master, dtype=np.float32)
        for name, level in group_levels.items():
            if level != 1.0:
                single[self.group_single[name]] *= level
                pairs[self.group_pairs[name]] *= level
        return single, pairs

    def apply_uniform(self, frame: np.ndarray, scale: float) -> np.ndarray:
        """A copy of one flat frame with every intensity channel scaled by ``scale`` (a table lookup)."""
        out = frame.copy()
        self.scale_frames(out[None], scale)
        return out

    def scale_frames(self, frames: np.ndarray, scale: float) -> None:
        """Scale every intensity channel of frames (F, n_channels) by ``scale`` in place: the
        grand master, applied last, after each channel's curve."""
        if len(self.single):
            table = (np.arange(256, dtype=np.float32) * np.float32(scale) + np.float32(0.5)).astype(np.uint8)
            before = frames[:, self.single]
            frames[:, self.single] = self._switch(table[before], before, scale)
        if len(self.pairs):
            self._scale_pairs(frames, frames, np.float32(scale))

    def _scale_pairs(self, frame: np.ndarray, out: np.ndarray, pair_scale) -> np.ndarray:
        """``out`` with the 16-bit pairs of ``frame`` scaled (flat frames, or (F, n_channels))."""
        coarse, fine = self.pairs[:, 0], self.pairs[:, 1]
        level = frame[..., coarse].astype(np.float32) * 256 + frame[..., fine]
        scaled = (level * pair_scale + 0.5).astype(np.uint32)
        out[..., coarse] = (scaled >> 8).astype(np.uint8)
        out[..., fine] = (scaled & 0xFF).astype(np.uint8)
        return out

    def apply(self, frame: np.ndarray, single_scale: np.ndarray, pair_scale: np.ndarray) -> np.ndarray:
        """A scaled copy of one flat frame (uint8)."""
        out = frame.copy()
        if len(self.single):
            before = frame[self.single]
            values = (before.astype(np.float32) * single_scale + 0.5).astype(np.uint8)
            out[self.single] = self._switch(values, before, single_scale)
        if len(self.pairs):
            out = self._scale_pairs(frame, out, pair_scale)
        return out
