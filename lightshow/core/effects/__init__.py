"""The effects registry: an explicit dict of small modules, each with its schema."""

from __future__ import annotations

from lightshow.core.effects import (chase, color_cycle, fade, gradient, rainbow, solid, strobe,
                                    sweep, wipe)
from lightshow.core.effects.base import Effect, EffectInput, EffectOutput

EFFECTS: dict[str, Effect] = {effect.name: effect for effect in (
    solid.EFFECT,
    fade.EFFECT,
    chase.EFFECT,
    wipe.EFFECT,
    gradient.EFFECT,
    rainbow.EFFECT,
    color_cycle.EFFECT,
    strobe.EFFECT,
    sweep.EFFECT,
)}

__all__ = ["EFFECTS", "Effect", "EffectInput", "EffectOutput"]
