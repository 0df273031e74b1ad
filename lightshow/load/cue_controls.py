"""Cue fields that set a fixture's channels directly (LTP): a colour-wheel slot by name,
gobo and prism slots by name or number, zoom, focus, iris and frost levels, a strobe rate.

Checked against the profiles of the fixtures the cue targets: a slot name no targeted
wheel has is an error where it is written, with the closest names; a control no targeted
fixture has is a warning there.

An effect's ``slot`` param (lightshow.core.effects.base.WHEEL_SLOT) asks for a colour-wheel
slot by name: the effect gets the slot's colour (from the first targeted fixture, in rig
order, whose wheel has it), which fixtures without the wheel show, and the cue turns the
wheels to the slot as its ``wheel`` field would.
"""

from __future__ import annotations

from typing import Any

from lightshow.diagnostics import SourceSpan, did_you_mean, warning
from lightshow.model.profile import RATE_KINDS, ChannelKind
from lightshow.model.rig import Rig
from lightshow.schema.combinators import OneOf
from lightshow.schema.reading import ReadContext
from lightshow.schema.records import Field
from lightshow.schema.scalars import Float, Int, Name

LEVEL_FIELDS = ("zoom", "focus", "iris", "frost")
SLOT_FIELDS = {"wheel": ChannelKind.COLOR_WHEEL, "gobo": ChannelKind.GOBO,
               "prism": ChannelKind.PRISM}
CONTROL_FIELDS = {
    "wheel": Field(Name("a colour-wheel slot name"),
                   doc="colour-wheel slot the cue's fixtures show while it runs (LTP)"),
    "gobo": Field(OneOf(Int(1, 256), Name("a gobo slot name"), what="a gobo slot name or number"),
                  doc="gobo slot by name or 1-based number (LTP)"),
    "prism": Field(OneOf(Int(1, 256), Name("a prism slot name"),
                         what="a prism slot name or number"),
                   doc="prism slot by name or 1-based number (LTP)"),
    **{name: Field(Float(0, 1), doc=f"{name} 0..1 of its range, faded over fade_in from the "
                                    "value before (LTP)") for name in LEVEL_FIELDS},
    "strobe_hz": Field(Float(0, 100, "Hz"),
                       doc="strobe rate of strobe and shutter channels with rates in their "
                           "profile (0: none, the shutter open), faded over fade_in (LTP)"),
}


def _kinds(field: str) -> ChannelKind:
    if field == "strobe_hz":
        return ChannelKind.STROBE
    return SLOT_FIELDS.get(field) or ChannelKind(field)


def _controls(definition, kind: ChannelKind) -> bool:
    """Whether a cue's control of ``kind`` drives this channel."""
    if kind is ChannelKind.STROBE:
        return definition.kind in RATE_KINDS and bool(definition.rates)
    return definition.kind is kind


def check_controls(got: dict[str, tuple[Any, SourceSpan]], rig: Rig | None,
                   fixture_ids: tuple[str, ...], ctx: ReadContext) -> tuple[tuple[str, Any], ...] | None:
    """The cue's controls as (channel kind, value), or None when one is wrong."""
    controls: list[tuple[str, Any]] = []
    ok = True
    by_id = {f.id: f for f in rig.fixtures} if rig is not None else {}
    for field in CONTROL_FIELDS:
        value, span = got.get(field, (None, None))
        if value is None:
            continue
        kind = _kinds(field)
        channels = {id(d): d for fid in fixture_ids if fid in by_id
                    for d in (by_id[fid].profile.channels[s.channel]
                              for s in by_id[fid].mode.channels) if _controls(d, kind)}
        if rig is not None and not channels:
            what = ("strobe or shutter channel with rates" if kind is ChannelKind.STROBE
                    else f"{kind.value} channel")
            ctx.diagnostics.append(warning(
                "no-such-channel", f"{field}: no fixture this cue targets has a {what}; "
                "nothing is set", span))
            continue
        if field in SLOT_FIELDS and isinstance(value, str):
            names = {s.name for d in channels.values() for s in d.slots}
            if channels and value not in names:
                _unknown_slot(ctx, span, kind, value, names)
                ok = False
                continue
        elif field in SLOT_FIELDS:
            most = max((len(d.slots) for d in channels.values()), default=0)
            if channels and value > most:
                ctx.error_at(span, "unknown-slot",
                             f"{field} slot {value}: the targeted {kind.value} channels have at "
                             f"most {most} slots")
                ok = False
                continue
        controls.append((kind.value, value))
    return tuple(controls) if ok else None


def _unknown_slot(ctx: ReadContext, span: SourceSpan, kind: ChannelKind, value: str,
                  names: set[str]) -> None:
    ctx.error_at(span, "unknown-slot", f"unknown {kind.value} slot '{value}'"
                 + (did_you_mean(value, sorted(names)) or "; slots: " + ", ".join(sorted(names)[:12])))


def slot_param(params: dict, spans: dict[str, SourceSpan], wheel: tuple[Any, SourceSpan | None],
               rig: Rig | None, fixture_ids: tuple[str, ...], ctx: ReadContext
               ) -> tuple[tuple[str, Any], ...] | None:
    """An effect's ``slot`` param: sets ``params["color"]`` to the slot's colour and returns
    the wheel control to add to the cue (none when the cue's ``wheel`` names the same slot);
    None when the slot is wrong (an error where it is written)."""
    name = params.get("slot")
    if not name or rig is None:
        return ()
    span = spans.get("slot")
    if "color" in spans:
        ctx.error_at(span, "invalid-value", f"slot '{name}' and color both set the colour; give one")
        return None
    by_id = {f.id: f for f in rig.fixtures}
    found, names, wheels, seen = None, set(), False, set()
    for fixture_id in fixture_ids:
        fixture = by_id.get(fixture_id)
        if fixture is None or (fixture.profile.id, fixture.mode.name) in seen:
            continue
        seen.add((fixture.profile.id, fixture.mode.name))
        for channel in fixture.mode.channel_slots:
            definition = fixture.profile.channels[channel[0]]
            if definition.kind is not ChannelKind.COLOR_WHEEL:
                continue
            wheels = True
            names.update(s.name for s in definition.slots)
            found = found or definition.slot_named(name)
    if not wheels:
        ctx.error_at(span, "no-such-channel",
                     f"slot '{name}': no fixture this cue targets has a colour wheel")
        return None
    if found is None:
        _unknown_slot(ctx, span, ChannelKind.COLOR_WHEEL, name, names)
        return None
    written, wheel_span = wheel
    if written is not None and written != name:
        ctx.error_at(span, "invalid-value",
                     f"slot '{name}' and wheel '{written}' (at {wheel_span}) ask for different slots")
        return None
    params["color"] = found.rgb
    return () if written is not None else ((ChannelKind.COLOR_WHEEL.value, name),)
