"""Controls a cue sets directly (LTP): colour-wheel, gobo and prism slots, zoom, focus,
iris and frost levels and strobe rates, written over the block's frames after the mixed
colours.

Latest takes precedence: at frame k a fixture's control shows the cue that started last
among those running at k and setting it; when none runs, the channel keeps what the
frame holds (its profile default, or the wheel slot the colour chose).  A level fades
over the cue's fade_in (with its easing) from the value the control had on the frame
before the cue began (the profile default before any cue) to the cue's value; a slot
changes at once (a wheel shows whole slots only).  A strobe rate fades like a level, in
Hz, from 0 (no strobe) before any cue, and goes to the DMX value of its rate on every
strobe or shutter channel with rates (lightshow.core.strobe_rate).  Every value is a function of the
frame number alone, so any range of frames renders the same bytes.

DMX: a level x of an n-byte channel is floor(x * (256**n - 1) + 0.5), coarse byte first;
a slot is the middle of its DMX range.
"""

from __future__ import annotations

import numpy as np

from lightshow.core.easing import ease
from lightshow.core.patch import slot_offsets
from lightshow.core.strobe_rate import rate_dmx
from lightshow.model.profile import RATE_KINDS, SLOTTED_KINDS, ChannelDef, ChannelKind

# the control that drives a channel of a kind, where it is not the kind's own: a strobe rate
# drives shutter channels too
CONTROL_OF = {ChannelKind.SHUTTER: ChannelKind.STROBE}


class ControlCue:
    """The part of a placed cue that controls need."""

    __slots__ = ("first", "stop", "start_s", "fade_s", "easing", "value", "fixtures")

    def __init__(self, first: int, stop: int, start_s: float, fade_s: float, easing: str,
                 value, fixtures: frozenset[int]):
        self.first, self.stop, self.start_s = first, stop, start_s
        self.fade_s, self.easing, self.value, self.fixtures = fade_s, easing, value, fixtures


def build_control_cues(placed_cues, fixture_index: dict[str, int]
                       ) -> dict[ChannelKind, list[ControlCue]]:
    """Per channel kind, the cues that set it, in the order they take precedence."""
    by_kind: dict[ChannelKind, list[tuple[tuple, ControlCue]]] = {}
    for order, placed in enumerate(placed_cues):
        cue = placed.cue
        for kind_name, value in getattr(cue, "controls", ()):
            fixtures = frozenset(fixture_index[f] for f in cue.fixture_ids if f in fixture_index)
            control = ControlCue(placed.first_frame, placed.stop_frame, cue.start_s,
                                 cue.fade_in.duration_s, cue.fade_in.easing, value, fixtures)
            by_kind.setdefault(ChannelKind(kind_name), []).append(
                ((placed.first_frame, cue.start_s, order), control))
    return {kind: [c for _, c in sorted(items, key=lambda item: item[0])]
            for kind, items in by_kind.items()}


def _slot_level(definition: ChannelDef, value) -> float:
    """A slot (by name or 1-based number) as its DMX value; NaN when the fixture lacks it."""
    if isinstance(value, str):
        slot = definition.slot_named(value)
    else:
        slot = definition.slots[value - 1] if 1 <= value <= len(definition.slots) else None
    return float(slot.value) if slot is not None else float("nan")


def control_values(frames: np.ndarray, cues: list[ControlCue], fps: float, default: float,
                   slotted: bool, definition: ChannelDef) -> np.ndarray:
    """(F,) values of one fixture's control at ``frames``: a level 0..1, or a slot's DMX value
    when ``slotted``; NaN where no cue sets it (the frame keeps its bytes)."""
    out = np.full(len(frames), np.nan)
    for number, cue in enumerate(cues):
        active = (frames >= cue.first) & (frames < cue.stop)
        if not active.any():
            continue
        if slotted:
            out[active] = _slot_level(definition, cue.value)
            continue
        before = control_values(np.array([cue.first - 1]), cues[:number], fps, default,
                                slotted, definition)[0]
        previous = default if np.isnan(before) else before
        target = float(cue.value)
        if cue.fade_s <= 0:
            out[active] = target
            continue
        # in frames, so that whole frames give exact fractions
        x = (frames[active] - cue.start_s * fps) / (cue.fade_s * fps)
        out[active] = previous + (target - previous) * ease(cue.easing, x)
    return out


class ControlSlot:
    """One DMX byte of a channel a cue can control, on one patched fixture."""

    __slots__ = ("fixture", "definition", "byte", "n_bytes", "offset")

    def __init__(self, fixture: int, definition: ChannelDef, byte: int, n_bytes: int, offset: int):
        self.fixture, self.definition, self.byte = fixture, definition, byte
        self.n_bytes, self.offset = n_bytes, offset


def build_control_slots(rig, universe_slot: dict[int, int], kinds) -> list[ControlSlot]:
    """The frame bytes of every channel ``kinds`` control in the rig (fixture-wide or per head)."""
    kinds = set(kinds) | {kind for kind, control in CONTROL_OF.items() if control in kinds}
    found: list[ControlSlot] = []
    for number, fixture in enumerate(rig.fixtures):
        channels = fixture.profile.channels
        wanted = [i for i, s in enumerate(fixture.mode.channels)
                  if channels[s.channel].kind in kinds]
        if not wanted:
            continue
        offsets = slot_offsets(fixture, universe_slot)
        depth: dict[str, int] = {}
        for s in fixture.mode.channels:
            depth[s.channel] = max(depth.get(s.channel, 0), s.byte + 1)
        for i in wanted:
            s = fixture.mode.channels[i]
            found.append(ControlSlot(number, channels[s.channel], s.byte, depth[s.channel],
                                     int(offsets[i])))
    return found


def write_controls(frame: np.ndarray, start: int, slots: list[ControlSlot],
                   controls: dict[ChannelKind, list[ControlCue]], fps: float) -> None:
    """Write the controls cues set over a block of frames (F, n_channels), in place."""
    frames = np.arange(start, start + frame.shape[0])
    for slot in slots:
        definition = slot.definition
        kind = CONTROL_OF.get(definition.kind, definition.kind)
        mine = [c for c in controls.get(kind, ()) if slot.fixture in c.fixtures]
        if not mine:
            continue
        slotted = definition.kind in SLOTTED_KINDS
        rated = definition.kind in RATE_KINDS
        if (slotted or rated) and slot.byte != 0:   # slots and rates are coarse DMX values
            continue
        if rated and not definition.rates:
            continue
        top = 256 ** slot.n_bytes - 1
        default = 0.0 if rated else definition.default * 256 ** (slot.n_bytes - 1) / top
        values = control_values(frames, mine, fps, default, slotted, definition)
        keep = np.isnan(values)
        if keep.all():
            continue
        if rated:
            byte_values = rate_dmx(definition.rates, np.nan_to_num(values), definition.default)
        elif slotted:
            byte_values = np.nan_to_num(values).astype(np.int64)
        else:
            level = np.floor(np.clip(np.nan_to_num(values), 0, 1) * top + 0.5).astype(np.int64)
            byte_values = (level >> (8 * (slot.n_bytes - 1 - slot.byte))) & 0xFF
        frame[:, slot.offset] = np.where(keep, frame[:, slot.offset], byte_values).astype(np.uint8)
