"""Every registered effect: schema defaults render, colours stay in 0..1, chunks agree."""

import numpy as np
import pytest

from lightshow.core.effects import EFFECTS, EffectInput
from lightshow.load.assets import PREPARERS


def default_params(effect):
    params = {key: spec.default for key, spec in effect.params.fields.items()}
    if effect.prepare == "text":
        params["text"] = "HI"
    if effect.prepare == "image":
        params["image_rgb"] = np.linspace(0, 1, 4 * 6 * 3, dtype=np.float32).reshape(4, 6, 3)
        return params
    if effect.prepare:
        params = PREPARERS[effect.prepare](params, ".")
    return params


def grid(n_frames: int, start: int = 0, fps: float = 10.0) -> dict:
    columns, rows = 12, 6
    xs, ys = np.meshgrid(np.arange(columns), np.arange(rows))
    pos = np.stack([xs.ravel() * 0.5, ys.ravel() * 0.5, np.zeros(columns * rows)], axis=1)
    xy = (pos[:, :2] / pos[:, :2].max(axis=0)).astype(np.float32)
    t = np.arange(start, start + n_frames) / fps
    return dict(t_s=t, phase=t / 8.0, xy=xy, pos_m=pos,
                order=np.linspace(0, 1, len(pos), dtype=np.float32), size_m=(5.5, 2.5),
                duration_s=8.0)


def render(effect, params, n_frames, start=0):
    out = effect.render(EffectInput(params=params, seed=1234, **grid(n_frames, start)))
    rgb = np.broadcast_to(out.rgb, (n_frames, 72, 3))
    return out, rgb


@pytest.mark.parametrize("name", sorted(EFFECTS))
def test_effect_defaults_render_in_range(name):
    effect = EFFECTS[name]
    out, rgb = render(effect, default_params(effect), 20)
    assert rgb.dtype == np.float32
    assert np.isfinite(rgb).all() and rgb.min() >= 0.0 and rgb.max() <= 1.0
    if out.alpha is not None:
        alpha = np.broadcast_to(out.alpha, (20, 72))
        assert alpha.min() >= 0.0 and alpha.max() <= 1.0
    assert effect.description
    assert [key for key, spec in effect.params.fields.items() if not spec.doc.strip()] == []


@pytest.mark.parametrize("name", sorted(EFFECTS))
def test_effect_chunks_render_the_same_bytes(name):
    effect = EFFECTS[name]
    params = default_params(effect)
    _, whole = render(effect, params, 30)
    _, head = render(effect, params, 11)
    _, tail = render(effect, params, 19, start=11)
    assert np.array_equal(whole, np.concatenate([head, tail]))


def test_sweep_moves_heads():
    out, _ = render(EFFECTS["sweep"], default_params(EFFECTS["sweep"]), 5)
    assert out.pan_deg is not None and out.tilt_deg is not None
    assert np.broadcast_to(out.pan_deg, (5, 72)).std() > 0
