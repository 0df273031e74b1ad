"""The effects registry: an explicit dict of small modules, each with its schema."""

from __future__ import annotations

from lightshow.core.effects import solid
from lightshow.core.effects.base import Effect, EffectInput, EffectOutput

EFFECTS: dict[str, Effect] = {effect.name: effect for effect in (
    solid.EFFECT,
)}

__all__ = ["EFFECTS", "Effect", "EffectInput", "EffectOutput"]
