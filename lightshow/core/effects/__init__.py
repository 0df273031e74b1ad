"""The effects registry: an explicit dict of small modules, each with its schema."""

from __future__ import annotations

from lightshow.core.effects import (
                                    artwork,
                                    chase,
                                    color_cycle,
                                    fade,
                                    flow,
                                    gradient,
                                    image,
                                    noise,
                                    rainbow,
                                    ripple,
                                    solid,
                                    sparkle,
                                    strobe,
                                    sweep,
                                    text,
                                    wipe,
)
from lightshow.core.effects.base import Effect, EffectInput, EffectOutput

EFFECTS: dict[str, Effect] = {effect.name: effect for effect in (
    solid.EFFECT,
    fade.EFFECT,
    chase.EFFECT,
    wipe.EFFECT,
    gradient.EFFECT,
    rainbow.EFFECT,
    color_cycle.EFFECT,
    ripple.EFFECT,
    flow.EFFECT,
    noise.EFFECT,
    sparkle.EFFECT,
    strobe.EFFECT,
    text.EFFECT,
    image.EFFECT,
    sweep.EFFECT,
    artwork.EFFECT,
)}

__all__ = ["EFFECTS", "Effect", "EffectInput", "EffectOutput"]
