"""Blend modes: how a cue's colours mix onto the layers below it.

``alpha`` is the cue's opacity x fade envelope x the effect's own alpha.
Colours mix by blend mode (the later cue wins: LTP); intensity merges
highest-takes-precedence (HTP) across cues that add light.  Per colour
value, with ``d`` below and ``s`` the cue's colour (all float32):

    normal    (s - d) * alpha + d
    add       min(s * alpha + d, 1)
    multiply  d * ((1 - alpha) + alpha * s)
    screen    1 - (1 - d) * (1 - s * alpha)
    max       max(d, s * alpha)
    mask      d * (1 - alpha * (1 - max(s over r, g, b)))

computed in place by the compiled :func:`mix_layer`.  The modes' names are
lightshow.model.blend's; here each has a code for the kernel.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from lightshow.core.compiled import KERNEL
from lightshow.core.hsv import channel_peak
from lightshow.model.blend import LIGHT_ADDING, BlendMode

# blend codes for mix_layer: each mode's place in BlendMode, then two for a cue that is the
# first to light its pixels (COVER: an opaque first layer; SCALE: a first layer onto black)
BLEND_CODES = {mode.value: code for code, mode in enumerate(BlendMode)}
NORMAL = BLEND_CODES[BlendMode.NORMAL.value]
ADD = BLEND_CODES[BlendMode.ADD.value]
MULTIPLY = BLEND_CODES[BlendMode.MULTIPLY.value]
SCREEN = BLEND_CODES[BlendMode.SCREEN.value]
MAX = BLEND_CODES[BlendMode.MAX.value]
MASK = BLEND_CODES[BlendMode.MASK.value]
COVER, SCALE = len(BLEND_CODES), len(BLEND_CODES) + 1


def merge_intensity(level: np.ndarray, src: np.ndarray, alpha: np.ndarray, mode: str) -> np.ndarray:
    """New (F, N) HTP intensities after a cue: light-adding cues raise, others scale."""
    peak = channel_peak(src) * alpha[..., 0]
    if mode in LIGHT_ADDING:
        if mode == BlendMode.ADD:
            return np.minimum(level + peak, 1.0)
        return np.maximum(level, peak)
    if mode == BlendMode.MULTIPLY:
        return level * (1.0 - alpha[..., 0] + peak)
    return level * (1.0 - alpha[..., 0] + peak)  # mask


@njit(inline="always")
def blend_value(mode, d, s, a, keep):
    """One colour value: ``d`` below, ``s`` the cue's, ``a`` its alpha (``keep``: see MASK)."""
    one = np.float32(1.0)
    if mode == COVER:
        return s
    if mode == SCALE:
        return s * a
    if mode == NORMAL:
        return (s - d) * a + d
    if mode == ADD:
        return min(s * a + d, one)
    if mode == MULTIPLY:
        return d * ((one - a) + a * s)
    if mode == SCREEN:
        return one - (one - d) * (one - s * a)
    if mode == MAX:
        return max(d, s * a)
    return d * keep  # MASK


@njit(inline="always")
def mix_run(mode, dst, src, a):
    """``dst[i]`` blended with ``src[i]`` by one alpha ``a``, in place, over runs of flat
    colour values (any mode but MASK, which needs whole pixels): vectorises."""
    for i in range(dst.shape[0]):
        dst[i] = blend_value(mode, dst[i], src[i], a, a)


@njit(inline="always")
def row_run(rgb, row, first, n):
    """The flat colour values of pixels ``first .. first + n`` in row ``row`` of ``rgb`` (F, P, 3)."""
    return rgb[row].reshape(-1)[3 * first:3 * (first + n)]


@njit(inline="always")
def staging(mode, dst, scratch):
    """Where a kernel mixing its own colours (see lightshow.core.effects.base.Destination)
    makes a frame's colours: straight in ``dst`` for COVER, else in ``scratch``, which
    :func:`mix_staged` then mixes onto ``dst`` while both are in the CPU cache (for colours
    gathered from a table, which do not vectorise, so blending them as they are gathered
    took longer: the gradient's)."""
    return dst if mode == COVER else scratch


@njit(inline="always")
def mix_staged(mode, dst, scratch, a):
    if mode != COVER:
        mix_run(mode, dst, scratch, a)


@njit(inline="always")
def by_blend(mode, loop, args):
    """``loop(mode, args)``, ``mode`` a constant in each branch (any blend code but MASK): a
    kernel that makes its colours and blends them onto a frame in one loop (see
    lightshow.core.effects.base.Destination) has that loop compiled once for each mode, the
    blend's branches folded away, so that it vectorises (chase: about 30 % less time than
    making a frame's colours first and blending them after, see :func:`staging`)."""
    if mode == COVER:
        loop(COVER, args)
    elif mode == SCALE:
        loop(SCALE, args)
    elif mode == NORMAL:
        loop(NORMAL, args)
    elif mode == ADD:
        loop(ADD, args)
    elif mode == MULTIPLY:
        loop(MULTIPLY, args)
    elif mode == SCREEN:
        loop(SCREEN, args)
    elif mode == MAX:
        loop(MAX, args)


@njit(inline="always")
def _mix_row(mode, dst, first, pixels, n, src, sp, alpha, ap):
    """One frame: ``dst`` (P, 3) rows ``first + j`` (or ``pixels[j]`` when first < 0)."""
    one = np.float32(1.0)
    keep = one
    for j in range(n):
        p = first + j if first >= 0 else pixels[j]
        js = j if sp else 0
        a = alpha[j] if ap else alpha[0]
        if mode == MASK:
            keep = one - a * (one - max(max(src[js, 0], src[js, 1]), src[js, 2]))
        for c in range(3):
            dst[p, c] = blend_value(mode, dst[p, c], src[js, c], a, keep)


@njit(inline="always")
def mix_colour_run(mode, dst, colour, a):
    """One colour (3,) blended by one alpha ``a`` onto every pixel of a run of flat
    colour values ``dst``, in place (any mode but MASK): three interleaved values a
    pixel, which vectorises as 2-D indexing did not."""
    c0, c1, c2 = colour[0], colour[1], colour[2]
    for j in range(dst.shape[0] // 3):
        dst[3 * j] = blend_value(mode, dst[3 * j], c0, a, a)
        dst[3 * j + 1] = blend_value(mode, dst[3 * j + 1], c1, a, a)
        dst[3 * j + 2] = blend_value(mode, dst[3 * j + 2], c2, a, a)


@njit(inline="always")
def _mix_frames(mode, rgb, row0, n_frames, first, pixels, src, alpha):
    n = pixels.shape[0]
    sf = 1 if src.shape[0] > 1 else 0
    af = 1 if alpha.shape[0] > 1 else 0
    sp = src.shape[1] > 1
    ap = alpha.shape[1] > 1
    flat = first >= 0 and sp and not ap and mode != MASK
    for f in range(n_frames):
        dst, s, a = rgb[row0 + f], src[f * sf], alpha[f * af]
        if flat:  # runs of contiguous floats, one alpha: vectorises
            mix_run(mode, row_run(rgb, row0 + f, first, n), s.reshape(-1), a[0])
        elif first >= 0 and not sp and not ap and mode != MASK:  # one colour, one alpha
            mix_colour_run(mode, row_run(rgb, row0 + f, first, n), s[0], a[0])
        elif sp and ap:
            _mix_row(mode, dst, first, pixels, n, s, True, a, True)
        elif sp:
            _mix_row(mode, dst, first, pixels, n, s, True, a, False)
        elif ap:
            _mix_row(mode, dst, first, pixels, n, s, False, a, True)
        else:
            _mix_row(mode, dst, first, pixels, n, s, False, a, False)


@njit(**KERNEL)
def mix_layer(rgb, row0, n_frames, first, pixels, src, alpha, mode):
    """Mix a cue's colours ``src`` (F|1, N|1, 3) with ``alpha`` (F|1, N|1) onto
    ``rgb[row0 + f, pixels[j]]`` (f < n_frames) in place; ``first >= 0`` says
    that ``pixels`` are ``first, first + 1, ...``.

    ``mode``: a blend code (see BLEND_CODES), COVER (just ``src``: an opaque first
    layer) or SCALE (``src * alpha``: a first layer onto black).
    """
    _mix_frames(mode, rgb, row0, n_frames, first, pixels, src, alpha)
