"""Blend modes: how a cue's colours mix onto the layers below it (a cue's ``blend``).

The one vocabulary of them: a show file's ``blend`` is checked against
BLEND_MODES, and the renderer numbers its compiled blend codes after BlendMode
(lightshow.core.mixing, which also gives each mode's formula).
"""

from __future__ import annotations

from enum import Enum


class BlendMode(str, Enum):
    NORMAL = "normal"
    ADD = "add"
    MULTIPLY = "multiply"
    SCREEN = "screen"
    MAX = "max"
    MASK = "mask"


# the names as a show file writes them, in BlendMode's order
BLEND_MODES: tuple[str, ...] = tuple(mode.value for mode in BlendMode)

# the modes that only add light: under them a cue's intensity raises the HTP level, and
# onto black each of them is the cue's colour times its alpha
LIGHT_ADDING = frozenset(mode.value for mode in (BlendMode.NORMAL, BlendMode.ADD, BlendMode.SCREEN,
                                                 BlendMode.MAX))
