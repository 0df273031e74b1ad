"""Edits of a playing show: only the frames of changed cues are rendered again, the frames
equal a full render of the edited show, and a broken file never stops the show."""

import numpy as np
import pytest

from lightshow.core.render import ShowRenderer
from lightshow.core.show_diff import FrameSpans, diff_shows
from lightshow.files.compiled_file import compile_show
from lightshow.load.project import load_show
from lightshow.playback.frame_cache import FrameCache
from lightshow.playback.show_player import open_player
from lightshow.playback.show_reload import LiveShow
from tests.playback.test_player import FakeClock, Recording

# 20 fps, 12 s: cues on different fixtures at different times, so that an edit of one
# touches a part of the show only
SHOW = """\
title: edits
rig: rig.yaml
fps: 20
chapters:
  - id: one
    cues:
      - {id: roof-red, start: 0, target: roof, effect: solid, params: {color: red}, duration: 3}
      - {id: tower-green, start: 2, target: tower, effect: solid, params: {color: [0, 255, 0]}, duration: 2}
      - {id: par-blue, start: 5, target: par, effect: solid, params: {color: blue}, duration: 2}
  - id: two
    cues:
      - {id: roof-chase, start: 0, target: roof, effect: chase, params: {color: white, rate_hz: 2}, duration: 3}
      - {id: tower-white, start: 1, target: tower, effect: solid, params: {color: white}, duration: 2}
"""

EDITS = {   # name: (old text, new text, the frames that can change)
    "colour": ("{color: blue}", "{color: [255, 128, 0]}", [(100, 140)]),
    "time": ("id: tower-green, start: 2", "id: tower-green, start: 3", [(40, 100)]),
    "new cue": ("  - id: two\n", "      - {id: par-new, start: 0.5, target: par, effect: solid, params: "
                "{color: white}, duration: 1}\n  - id: two\n", [(10, 30)]),
    "deleted cue": ("      - {id: tower-white, start: 1, target: tower, effect: solid, params: "
                    "{color: white}, duration: 2}\n", "", [(160, 200)]),
}


@pytest.fixture
def show_path(project, sim_show):
    return str(project.show(SHOW))


def edit(path, old, new):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert old in text
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new, 1))


def full_render(path):
    return ShowRenderer(load_show(path)).render(0, 10**6)


@pytest.mark.parametrize("name", list(EDITS))
def test_an_edit_changes_the_frames_of_its_cue_only(show_path, name):
    old, new, span = EDITS[name]
    before = load_show(show_path)
    old_frames = ShowRenderer(before).render(0, before.n_frames)
    edit(show_path, old, new)
    after = load_show(show_path)
    diff = diff_shows(before, after)
    assert diff.changed == FrameSpans.of(span) and not diff.everything
    new_frames = full_render(show_path)
    keep = ~diff.changed.mask(0, len(new_frames))
    assert np.array_equal(old_frames[keep], new_frames[keep])      # the span is enough


def test_moving_a_cue_in_its_file_changes_nothing(show_path):
    before = load_show(show_path)
    edit(show_path, "{id: roof-red, start: 0,", "{start: 0, id: roof-red,")
    assert not diff_shows(before, load_show(show_path)).changed


def test_a_rig_change_changes_everything(show_path, project):
    before = load_show(show_path)
    rig = project.root / "shows" / "rig.yaml"
    edit(rig, "position_m: [60, 12, 0]", "position_m: [61, 12, 0]")
    diff = diff_shows(before, load_show(show_path))
    assert diff.everything and diff.changed == FrameSpans.of([(0, before.n_frames)])


@pytest.fixture
def compiled_player(show_path, tmp_path):
    """A player of the compiled show on a fake clock, and its LiveShow."""
    fseq = str(tmp_path / "show.fseq")
    compile_show(load_show(show_path), fseq, jobs=1)
    clock, sink = FakeClock(), Recording()
    player = open_player(load_show(show_path), fseq, [sink], clock=clock, sleep=clock.sleep,
                         background=False)
    player.play()
    messages = []
    yield player, LiveShow(player, load_show(show_path), messages.append), sink, messages
    player.close()


def test_edits_render_only_their_frames_and_equal_a_full_render(compiled_player, show_path, project):
    player, live, sink, _ = compiled_player
    changed = FrameSpans()
    for name, (old, new, span) in EDITS.items():
        player.run(n_ticks=5)
        edit(show_path, old, new)
        result = live.reload()
        assert result.ok, result.diagnostics
        changed = changed | FrameSpans.of(span)
        n = player.source.n_frames
        ahead = live.renderer.frames_rendered      # changed frames at the playhead, before the swap
        assert ahead <= FrameSpans.of(span).n_frames
        frames = player.source.frames(0, n)
        assert np.array_equal(frames, full_render(show_path)), name
        # every frame not changed since the compile was read from the file, not rendered
        assert live.renderer.frames_rendered - ahead == changed.clip(0, n).n_frames, name
    player.run(n_ticks=5)
    assert player.stats.ticks == 25 and player.transport.state == "playing"
    # a rig change: every frame is rendered again
    edit(project.root / "shows" / "rig.yaml", "position_m: [60, 12, 0]", "position_m: [61, 12, 0]")
    result = live.reload()
    assert result.ok and result.diff.everything
    assert np.array_equal(player.source.frames(0, player.source.n_frames), full_render(show_path))


def test_a_broken_file_keeps_the_last_good_show_playing(compiled_player, show_path):
    player, live, sink, messages = compiled_player
    player.run(n_ticks=10)
    source, frame = player.source, player.shown_frame
    edit(show_path, "effect: solid, params: {color: blue}", "effect: sold, params: {color: blue}")
    result = live.reload()
    assert not result.ok and player.source is source
    assert any(d.code and f"{d.span.path}:{d.span.line}" for d in result.diagnostics)
    assert "show.yaml:9:55: error[unknown-effect]" in messages[-1] and "sold" in messages[-1] and "plays on" in messages[-1]
    player.run(n_ticks=10)
    assert player.stats.ticks == 20 and player.shown_frame == frame + 9   # each run() starts on the frame the last ended on
    assert len(sink.frames) == 20 and player.stats.held == 0
    edit(show_path, "effect: sold", "effect: solid")
    assert live.reload().ok
    player.run(n_ticks=10)
    assert player.stats.ticks == 30 and player.shown_frame == frame + 18
    assert np.array_equal(player.source.frames(0, player.source.n_frames), full_render(show_path))


def test_the_cache_keeps_blocks_outside_the_changed_frames(show_path):
    show = load_show(show_path)
    renderer = ShowRenderer(show)
    cache = FrameCache(renderer.render, renderer.n_frames, background=False, block=20)
    cache.blocks = {s: cache._load(s) for s in range(0, renderer.n_frames, 20)}
    old, new, span = EDITS["colour"]
    edit(show_path, old, new)
    edited = ShowRenderer(load_show(show_path))
    dropped = cache.replace(edited.render, edited.n_frames, FrameSpans.of(span))
    assert dropped == 40 and sorted(cache.blocks) == [s for s in range(0, 200, 20) if s not in (100, 120)]
    for start, block in cache.blocks.items():
        assert np.array_equal(block, edited.render(start, start + 20))


def test_incremental_compile_is_byte_identical_to_a_full_compile(show_path, project, tmp_path):
    from lightshow.files.compiled_file import compile_incremental

    base, full = tmp_path / "base.fseq", tmp_path / "full.fseq"
    compile_show(load_show(show_path), str(base), jobs=1)
    for name, (old, new, span) in EDITS.items():
        edit(show_path, old, new)
        show = load_show(show_path)
        compile_show(show, str(full), jobs=1)
        patched = compile_incremental(show, str(base), str(base), jobs=1)
        assert base.read_bytes() == full.read_bytes(), name
        # only the blocks of the changed frames were rendered again
        assert patched.reason == "" and patched.copied_frames > 0, name
        assert patched.rendered_frames + patched.copied_frames == show.n_frames
        assert patched.rendered_frames < show.n_frames
    edit(project.root / "shows" / "rig.yaml", "position_m: [60, 12, 0]", "position_m: [61, 12, 0]")
    show = load_show(show_path)
    compile_show(show, str(full), jobs=1)
    patched = compile_incremental(show, str(base), str(base), jobs=1)
    assert base.read_bytes() == full.read_bytes() and patched.copied_frames == 0 and patched.reason
