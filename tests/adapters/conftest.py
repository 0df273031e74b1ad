import pytest

from lightshow.load.project import load_show
from tests.artnet_node import ArtNetNode
from tests.projects import RGB_PIXEL_BAR


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
