"""Helpers for effect tests: build an EffectInput from small arrays and render it."""

from __future__ import annotations

import numpy as np

from lightshow.core.effects.base import Effect, EffectInput
from lightshow.schema.reading import ReadContext
from lightshow.schema.yamltree import parse_yaml

FPS = 40.0


def grid(nx: int, ny: int) -> np.ndarray:
    """(nx·ny, 2) float32 positions 0..1 on an nx × ny grid, row by row from the bottom."""
    xs = np.linspace(0.0, 1.0, nx) if nx > 1 else np.full(1, 0.5)
    ys = np.linspace(0.0, 1.0, ny) if ny > 1 else np.full(1, 0.5)
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)


def defaults(effect: Effect, **params) -> dict:
    values = {key: spec.default for key, spec in effect.params.fields.items()}
    values.update(params)
    return values


def make_input(effect: Effect, params: dict | None = None, *, frames: tuple[int, int] = (0, 80),
               t_s=None, xy=None, nx: int = 8, ny: int = 4, size: tuple[float, float] = (8.0, 4.0),
               order=None, seed: int = 7, duration_s: float = 10.0) -> EffectInput:
    """An input for ``effect`` with its defaults overridden by ``params``."""
    xy = grid(nx, ny) if xy is None else np.asarray(xy, dtype=np.float32).reshape(-1, 2)
    if t_s is None:
        t_s = np.arange(*frames, dtype=np.float64) / FPS
    t_s = np.asarray(t_s, dtype=np.float64)
    pos = np.zeros((len(xy), 3), dtype=np.float32)
    pos[:, :2] = xy * np.asarray(size, dtype=np.float32)
    if order is None:
        order = np.linspace(0.0, 1.0, len(xy)) if len(xy) > 1 else np.zeros(1)
    return EffectInput(t_s=t_s, phase=t_s / duration_s, xy=xy, pos_m=pos,
                       order=np.asarray(order, dtype=np.float64), size_m=size, duration_s=duration_s,
                       params=defaults(effect, **(params or {})), seed=seed)


def render_rgb(effect: Effect, inp: EffectInput) -> np.ndarray:
    """The effect's colours broadcast to (F, P, 3), checked for dtype and range."""
    out = effect.render(inp)
    assert out.rgb.dtype == np.float32
    assert out.rgb.ndim == 3 and out.rgb.shape[2] == 3
    rgb = np.broadcast_to(out.rgb, (len(inp.t_s), len(inp.xy), 3))
    assert np.isfinite(rgb).all()
    assert rgb.min() >= 0.0 and rgb.max() <= 1.0
    if out.alpha is not None:
        assert out.alpha.dtype == np.float32
        np.broadcast_to(out.alpha, (len(inp.t_s), len(inp.xy)))
    return rgb


def assert_chunk_invariant(effect: Effect, params: dict | None = None, n: int = 80, split: int = 37,
                           **kwargs) -> None:
    """Frames [0, n) rendered at once equal, byte for byte, [0, split) + [split, n)."""
    whole = render_rgb(effect, make_input(effect, params, frames=(0, n), **kwargs))
    first = render_rgb(effect, make_input(effect, params, frames=(0, split), **kwargs))
    second = render_rgb(effect, make_input(effect, params, frames=(split, n), **kwargs))
    joined = np.concatenate([first, second], axis=0)
    assert joined.tobytes() == np.ascontiguousarray(whole).tobytes()
    # a block that starts late in a long cue is the same as that block of a longer render
    late = render_rgb(effect, make_input(effect, params, frames=(n - 5, n), **kwargs))
    assert late.tobytes() == np.ascontiguousarray(whole[n - 5:]).tobytes()


def read_params(effect: Effect, text: str):
    """Read a YAML params mapping through the effect's schema: (values, problems)."""
    root, problems = parse_yaml(text, "show.yaml")
    assert problems == []
    ctx = ReadContext("show.yaml")
    values = effect.params.read(root, ctx)
    return values, [d.format() for d in ctx.diagnostics]


def assert_schema_complete(effect: Effect) -> None:
    """Every param has a doc, and a default unless it is required; the JSON schema builds."""
    for key, spec in effect.params.fields.items():
        assert spec.doc, key
        assert spec.required or spec.default is not None, key
    assert effect.params.unknown_code == "unknown-param"
    schema = effect.params.json_schema()
    assert set(schema["properties"]) == set(effect.params.fields)
