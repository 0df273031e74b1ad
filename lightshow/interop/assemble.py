"""A foreign fixture -> our profiles: names, fine aliases, pixel blocks, mode sets.

Our profile has one pixel layout, so modes are grouped by the layout of their
pixel block: the modes without pixels join the main set, and every other
layout becomes a profile of its own (``<id>-<columns>x<rows>``).  Whatever a
profile cannot say is reported as an ``unsupported-capability`` warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lightshow.diagnostics import Diagnostic, SourceSpan, warning
from lightshow.interop.foreign import (
    UNUSED,
    ForeignChannel,
    ForeignFixture,
    ForeignMode,
    ImportedProfile,
    Slot,
)
from lightshow.interop.names import NameAllocator, slug
from lightshow.interop.pixels import find_pixel_run
from lightshow.model.profile import ChannelKind, PixelLayout

UNSUPPORTED = "unsupported-capability"
FINE_SUFFIXES = ("", "_fine", "_fine2")

Identity = tuple  # ("def", key) | ("flat", key, pixel) | ("alone", key, byte, pixel, n) | ("unused", n)


@dataclass
class _PlannedMode:
    name: str
    items: list  # (identity, byte) or a pixel block: list of (identity, byte)
    layout: PixelLayout | None


@dataclass
class _Use:
    """One of our channels as the modes of a profile use it."""

    label: str
    channel: ForeignChannel
    n_bytes: int = 1
    names: tuple[str, ...] = field(default=())


def _plan_mode(fixture: ForeignFixture, mode: ForeignMode, warn) -> _PlannedMode:
    grid, size = fixture.grid_of(mode.name)
    run, note = find_pixel_run(mode.slots, grid, size)
    if note is not None:
        flattened = run is None
        warn(f"mode '{mode.name}': {note}"
             + ("; its pixel channels are imported as fixture-wide channels" if flattened else ""))
    items: list = []
    seen: set[tuple] = set()
    listed = {(s.channel, s.byte, s.pixel) for s in mode.slots if s is not None}
    single = len({s.pixel for s in mode.slots if s is not None and s.pixel is not None}) == 1

    def item_of(index: int, slot: Slot | None, in_block: bool):
        if slot is None:
            return ("unused", index), 0
        key = (slot.channel, slot.byte, slot.pixel)
        twice = key in seen
        seen.add(key)
        if twice or (slot.byte > 0 and (slot.channel, 0, slot.pixel) not in listed):
            label = slot.label or fixture.channels[slot.channel].label
            why = "it is listed twice" if twice else "its coarse byte is not in the mode"
            warn(f"mode '{mode.name}': slot {index + 1} ('{label}') is imported as a generic "
                 f"channel: {why}")
            return ("alone", slot.channel, slot.byte, slot.pixel, index), 0
        if slot.pixel is not None and not in_block and not single:
            return ("flat", slot.channel, slot.pixel), slot.byte
        return ("def", slot.channel), slot.byte

    index = 0
    while index < len(mode.slots):
        if run is not None and index == run.start:
            per_pixel = len(run.pattern)
            block = [item_of(run.start + j, mode.slots[run.start + j], True) for j in range(per_pixel)]
            for j in range(per_pixel, run.stop - run.start):  # the other heads: same channels
                item_of(run.start + j, mode.slots[run.start + j], True)
            items.append(block)
            index = run.stop
            continue
        items.append(item_of(index, mode.slots[index], False))
        index += 1
    return _PlannedMode(mode.name, items, run.layout if run is not None else None)


def _channel_of(fixture: ForeignFixture, identity: Identity) -> tuple[str, ForeignChannel]:
    """(label, channel definition) of one of our channels."""
    if identity[0] == "unused":
        return "unused", UNUSED
    channel = fixture.channels[identity[1]]
    if identity[0] == "flat":
        return f"{channel.label} {identity[2]}", channel
    if identity[0] == "alone":
        _, _, byte, pixel, _ = identity
        label = channel.label + (f" {pixel}" if pixel is not None else "") + (
            " fine" * byte if byte else "")
        return label, ForeignChannel(label, ChannelKind.GENERIC)
    return channel.label, channel


def _build_profile(fixture: ForeignFixture, profile_id: str, planned: list[_PlannedMode],
                   layout: PixelLayout | None) -> ImportedProfile:
    uses: dict[Identity, _Use] = {}
    for mode in planned:
        for item in mode.items:
            for identity, byte in (item if isinstance(item, list) else [item]):
                if identity not in uses:
                    uses[identity] = _Use(*_channel_of(fixture, identity))
                uses[identity].n_bytes = max(uses[identity].n_bytes, byte + 1)
    allocator = NameAllocator()
    for use in uses.values():
        use.names = (allocator.claim(slug(use.label)),)
    for use in uses.values():
        use.names += tuple(allocator.claim(use.names[0] + suffix)
                           for suffix in FINE_SUFFIXES[1:use.n_bytes])
    mode_names = NameAllocator("-")
    modes: dict[str, tuple] = {}
    for mode in planned:
        out: list = []
        for item in mode.items:
            if isinstance(item, list):
                out.append(tuple(uses[identity].names[byte] for identity, byte in item))
            else:
                identity, byte = item
                out.append(uses[identity].names[byte])
        modes[mode_names.claim(slug(mode.name, "mode", "-"))] = tuple(out)
    channels = {use.names[0]: (use.channel, use.names[1:]) for use in uses.values()}
    return ImportedProfile(profile_id, fixture.name, fixture.manufacturer, fixture.size_m,
                           channels, modes, layout, tuple(fixture.notes))


def assemble_profiles(fixture: ForeignFixture, path: str
                      ) -> tuple[list[ImportedProfile], list[Diagnostic]]:
    """Our profiles for ``fixture`` (one per pixel layout), and what could not be said."""
    diagnostics = list(fixture.diagnostics)
    span = SourceSpan(path)

    def warn(message: str) -> None:
        diagnostics.append(warning(UNSUPPORTED, message, span))

    planned = [_plan_mode(fixture, mode, warn) for mode in fixture.modes]
    layouts: list[PixelLayout | None] = []
    for mode in planned:
        if mode.layout is not None and mode.layout not in layouts:
            layouts.append(mode.layout)
    main_size = fixture.grid_size
    layouts.sort(key=lambda lay: (lay.columns, lay.rows) != main_size)  # the fixture's grid first
    if not layouts:
        layouts = [None]
    ids = NameAllocator("-")
    profiles = []
    for number, layout in enumerate(layouts):
        members = [m for m in planned if m.layout == layout or (m.layout is None and number == 0)]
        profile_id = ids.claim(fixture.id if number == 0
                               else f"{fixture.id}-{layout.columns}x{layout.rows}")
        profiles.append(_build_profile(fixture, profile_id, members, layout))
    return profiles, diagnostics
