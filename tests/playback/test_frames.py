"""A show's frames by number, rendered or from its compiled file: the same bytes, the same index."""

import numpy as np
import pytest

from lightshow.errors import LightshowError
from lightshow.files.compiled_file import compile_show
from lightshow.load.project import load_show
from lightshow.playback.frames import FrameSource


def test_rendered_and_compiled_frames_are_the_same(sim_show, tmp_path):
    show = load_show(sim_show)
    compile_show(show, str(tmp_path / "s.fseq"))
    rendered = FrameSource.of_show(show)
    with_file = FrameSource.of_show(show, str(tmp_path / "s.fseq"))
    try:
        for k in (0, 1, 7, 39, 40, 59, 10_000):
            assert np.array_equal(rendered.frame(k), with_file.frame(k)), k
        assert rendered.n_frames == with_file.n_frames == 60
        index = rendered.index
        assert [(c.id, c.start_frame) for c in index.chapters][:1] == [("first", 0)]
        assert [(q.id, q.start_frame) for q in index.cues][:1] == [("red-roof", 0)]
        assert index.at(45)[0].id == "second"
        assert with_file.index == index
    finally:
        with_file.close()


def test_a_compiled_file_of_another_rig_is_refused(sim_show, tmp_path, project):
    show = load_show(sim_show)
    project.rig("name: other\npatch:\n  - {id: p, profile: par, universe: 9, address: 1}\n", "other.yaml")
    project.show("title: o\nrig: other.yaml\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: p, effect: solid, params: {color: red}, duration: 1}\n", "other-show.yaml")
    compile_show(load_show("shows/other-show.yaml"), str(tmp_path / "o.fseq"))
    with pytest.raises(LightshowError, match="compiled for other universes"):
        FrameSource.of_show(show, str(tmp_path / "o.fseq"))
