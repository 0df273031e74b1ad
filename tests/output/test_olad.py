"""OLA's olad (Art-Net input on 127.0.0.1, loopback): the DMX values it holds equal the compiled frames."""

import numpy as np
import pytest

from lightshow import cli
from lightshow.output.artnet_sender import ArtNetSender
from lightshow.files.compiled_file import CompiledShow
from lightshow.model.rig import DMX_SLOTS
from lightshow.protocol.artnet_header import ARTNET_PORT
from tests.olad import Olad, needs_olad
from tests.projects import RGB_PIXEL_BAR

pytestmark = needs_olad
UNIVERSES = [1, 2, 3]
# olad's Art-Net socket is bound to 0.0.0.0:6454; a socket bound to 127.0.0.1:6454 (discovery,
# here or in another test run on this machine) would take datagrams sent to 127.0.0.1 first,
# so the frames go to another loopback address that only olad listens on.
OLAD_IP = "127.0.0.5"


@pytest.fixture(scope="module")
def olad():
    olad = Olad()
    try:
        for universe in UNIVERSES:
            olad.patch(universe)
        yield olad
    finally:
        olad.close()


@pytest.fixture
def compiled(project) -> CompiledShow:
    project.fixture("bar200", RGB_PIXEL_BAR.format(n=200))  # 600 channels: universes 1 and 2
    project.rig("name: t\npatch:\n  - {id: b, profile: bar200, universe: 1, address: auto}\n"
                "  - {id: p, profile: par, universe: 3, address: 1}\n")
    project.show("title: t\nrig: rig.yaml\nfps: 40\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: b, effect: rainbow, duration: 1}\n"
                 "      - {target: p, effect: solid, duration: 1, params: {color: '#ff8000'}}\n")
    assert cli.run(["compile", "shows/show.yaml", "-o", "show.fseq", "-q"]) == 0
    with CompiledShow("show.fseq") as show:
        assert list(show.index.universes) == UNIVERSES
        yield show


def test_olad_holds_the_values_of_each_frame_we_send(olad, compiled):
    frames = compiled.frames(0, compiled.n_frames).reshape(-1, len(UNIVERSES), DMX_SLOTS)
    picked = [0, 7, 19, 33, len(frames) - 1]
    assert len({frames[k].tobytes() for k in picked}) == len(picked)  # the frames differ
    with ArtNetSender(UNIVERSES, [[(OLAD_IP, ARTNET_PORT)]] * len(UNIVERSES)) as sender:
        for step, k in enumerate(picked):
            sender.send_frame(frames[k], now_s=step * 1.0)
            for row, universe in enumerate(UNIVERSES):
                expected = frames[k][row].tolist()
                assert olad.wait_for(universe, expected) == expected, (k, universe)
    assert frames[-1][2][:4].tolist() == [255, 255, 128, 0]  # the par: dimmer and #ff8000


def test_cli_send_leaves_olad_on_the_last_compiled_frame(olad, compiled, capsys):
    assert cli.run(["send", "show.fseq", "--to", OLAD_IP]) == 0
    assert f"sent {compiled.n_frames} frames of 3 universes" in capsys.readouterr().out
    last = np.asarray(compiled.frames(compiled.n_frames - 1, compiled.n_frames))
    last = last.reshape(len(UNIVERSES), DMX_SLOTS)
    for row, universe in enumerate(UNIVERSES):
        assert olad.wait_for(universe, last[row].tolist()) == last[row].tolist()
