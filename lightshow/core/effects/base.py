"""What an effect is: a pure, vectorised function of time and pixel position.

An effect never keeps state between calls: the colour of a pixel at time t
depends only on (t, the pixel's place, the cue's params and seed), so any frame
range renders the same whether it is compiled ahead or on demand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from lightshow.core.mixing import COVER
from lightshow.schema.records import Field, Record
from lightshow.schema.scalars import Name

# A colour-wheel slot by name in place of an effect's ``color``: the show loader checks it
# against the cue's fixtures, gives the effect the slot's colour (what fixtures without that
# wheel show) and turns the wheels of the cue's fixtures to the slot (lightshow.load.cue_controls).
WHEEL_SLOT = Field(Name("a colour-wheel slot name"), default="",
                   doc="a colour-wheel slot by name instead of color: wheel fixtures show that "
                       "slot, the others its colour")


@dataclass(frozen=True)
class Destination:
    """Where an effect's colours go: frame f of the cue onto the colour values
    ``row_run(rgb, row0 + f, first, n_pixels)`` by ``alpha[f]`` with the blend code ``mode``
    (lightshow.core.mixing's ``mix_run``; COVER: written as they are, alpha unread)."""

    rgb: np.ndarray      # float32 (rows, pixels, 3), C-contiguous
    row0: int
    first: int
    alpha: np.ndarray    # float32 (F,)
    mode: int


NO_ALPHA = np.zeros(0, dtype=np.float32)


@dataclass(frozen=True)
class EffectInput:
    """Everything an effect may look at for one cue and one block of frames.

    ``t_s``        (F,) seconds since the cue's output began
    ``phase``      (F,) 0..1 progress through the cue: 0 on its first frame, 1 on its
                   last, so that what completes over the cue (a fade, a wipe) shows its end
    ``xy``         (P, 2) pixel positions normalised to the target's box: x 0..1
                   left to right, y 0..1 bottom to top (aspect kept in ``size_m``)
    ``pos_m``      (P, 3) pixel positions in metres
    ``order``      (P,) 0..1 place of each pixel along the target's pixel order
    ``size_m``     (width, height) of the target's bounding box in metres
    ``heads``      (H,) index into pixels of each moving head's position
    ``memo``       a dict that lives while the renderer renders this cue: effects may
                   keep values derived from the geometry, params and seed alone there
                   (never anything that depends on time or on earlier calls), so that
                   they are computed once per cue rather than once per block
    ``onto``       None, or where the renderer would mix the colours anyway (a
                   :class:`Destination`): an effect may mix them there itself, frame by
                   frame while they are in the CPU cache, and return :data:`MIXED`
                   (see :meth:`destination`)
    """

    t_s: np.ndarray
    phase: np.ndarray
    xy: np.ndarray
    pos_m: np.ndarray
    order: np.ndarray
    size_m: tuple[float, float]
    duration_s: float
    params: dict[str, Any]
    seed: int
    memo: dict = field(default_factory=dict, compare=False, repr=False)
    onto: Destination | None = field(default=None, compare=False, repr=False)

    def destination(self, n_frames: int, n_pixels: int) -> Destination:
        """``onto`` when given, else a new (F, P, 3) float32 buffer to write the colours in."""
        if self.onto is not None:
            return self.onto
        return Destination(np.empty((n_frames, n_pixels, 3), dtype=np.float32), 0, 0, NO_ALPHA, COVER)

    def output(self, destination: Destination) -> EffectOutput:
        """What an effect that put its colours at ``destination`` returns."""
        return MIXED if destination is self.onto else EffectOutput(destination.rgb)


@dataclass
class EffectOutput:
    """Colours (F, P, 3) float32 0..1 and optionally alpha (F, P) and pan/tilt.

    Arrays may broadcast: (1, P, 3) for a still picture, (F, 1, 3) for a
    colour that is the same on every pixel.
    """

    rgb: np.ndarray | None      # None: mixed onto the renderer's buffer (MIXED)
    alpha: np.ndarray | None = None
    pan_deg: np.ndarray | None = None
    tilt_deg: np.ndarray | None = None


MIXED = EffectOutput(None)   # the colours are mixed already, at EffectInput.onto


@dataclass(frozen=True)
class Effect:
    """A registered effect.

    ``prepare`` names an asset step of the load layer (``lightshow.load.assets``)
    that turns file-backed params (an image path, a text and font) into arrays
    before compiling, so that ``render`` never touches a file.  ``still`` says
    whether, for given params, the output does not depend on time at all, so
    that a renderer may compute it once per cue.  ``check_fps`` says what is
    wrong with params at a show's frame rate: (param name, message), or None.
    """

    name: str
    description: str
    params: Record
    render: Callable[[EffectInput], EffectOutput] = field(repr=False)
    prepare: str | None = None
    moves_heads: bool = False
    still: Callable[[dict[str, Any]], bool] = field(default=lambda params: False, repr=False)
    check_fps: Callable[[dict[str, Any], float], tuple[str, str] | None] | None = field(
        default=None, repr=False)
