import os

import pytest
from hypothesis import settings

# The suite's property tests run the same examples every time, so a red run is reproducible and
# CI never fails on a new random draw; HYPOTHESIS_PROFILE=explore draws fresh examples to hunt.
settings.register_profile("suite", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

from lightshow.load.project import load_show
from tests.artnet_node import ArtNetNode
from tests.projects import SIM_RIG, SIM_SHOW, RGB_PIXEL_BAR, RGBW_PIXEL_BAR, ProjectDir


@pytest.fixture
def project(tmp_path, monkeypatch) -> ProjectDir:
    """An empty project folder (fixtures/ with a 4-channel par, shows/) as the cwd."""
    monkeypatch.chdir(tmp_path)
    return ProjectDir(tmp_path)


@pytest.fixture
def sim_show(project) -> str:
    """Path of a small show (two buildings, pixels, a washer bar, a par, a mover) in ``project``."""
    from tests.core.test_render import MOVER

    project.fixture("bar8", RGB_PIXEL_BAR.format(n=8))
    project.fixture("rgbw4", RGBW_PIXEL_BAR.format(n=4))
    project.fixture("mover", MOVER)
    project.rig(SIM_RIG)
    return str(project.show(SIM_SHOW))


@pytest.fixture
def node():
    """A small Art-Net node on 127.0.0.2 announcing universes 16..19."""
    node = ArtNetNode("127.0.0.2", [16, 17, 18, 19])
    yield node
    node.close()


SHOW = """\
title: t
rig: rig.yaml
fps: 20
chapters:
  - id: one
    cues:
      - {id: rain, target: all, effect: rainbow, duration: 2, fade_in: 0.5}
  - id: two
    cues:
      - {id: sparks, target: all, effect: chase, duration: 1.5, params: {count: 3}}
"""


@pytest.fixture
def show(project):
    """A 3.5 s show at 20 fps on 200 RGB pixels over universes 1-2 and a par on universe 9."""
    project.fixture("bar200", RGB_PIXEL_BAR.format(n=200))
    project.rig("name: t\npatch:\n  - {id: b, profile: bar200, universe: 1, address: auto}\n"
                "  - {id: p, profile: par, universe: 9, address: 1}\n")
    project.show(SHOW)
    return load_show("shows/show.yaml")
