"""An imported 2-D matrix keeps its columns, rows and wiring order: patched in a rig, each
DMX pixel head lands at its place in the pixel map."""

import numpy as np

from lightshow.core.pixelmap import PixelMap
from lightshow.interop.importer import import_fixture
from lightshow.load.project import load_rig_of

# 3 columns by 2 rows, named by place; wired as a snake: top row left to right,
# bottom row right to left
PANEL = """{
  "name": "Snake Panel",
  "categories": ["Matrix"],
  "meta": {"authors": ["x"], "createDate": "2024-01-01", "lastModifyDate": "2024-01-01"},
  "physical": {"dimensions": [600, 400, 50]},
  "matrix": {"pixelKeys": [[["TL", "TM", "TR"], ["BL", "BM", "BR"]]]},
  "availableChannels": {"Dimmer": {"capability": {"type": "Intensity"}}},
  "templateChannels": {
    "Red $pixelKey": {"capability": {"type": "ColorIntensity", "color": "Red"}},
    "Green $pixelKey": {"capability": {"type": "ColorIntensity", "color": "Green"}},
    "Blue $pixelKey": {"capability": {"type": "ColorIntensity", "color": "Blue"}}
  },
  "modes": [
    {"name": "snake", "channels": ["Dimmer",
      {"insert": "matrixChannels", "repeatFor": ["TL", "TM", "TR", "BR", "BM", "BL"],
       "channelOrder": "perPixel",
       "templateChannels": ["Red $pixelKey", "Green $pixelKey", "Blue $pixelKey"]}]}
  ]
}"""


def test_a_2d_matrix_pixels_land_in_their_places(project):
    result = import_fixture(PANEL.encode(), "lib/acme/snake-panel.json", {"acme": {"name": "ACME"}})
    assert not result.failed, [d.format() for d in result.diagnostics]
    (profile_id, text), = result.profiles
    assert "pixels: {columns: 3, rows: 2, order: snake_rows}" in text
    project.fixture(profile_id, text)
    project.rig(f"name: r\npatch:\n  - {{id: p, profile: {profile_id}, universe: 0, address: 1, "
                "position_m: [10, 5, 0]}\n")
    rig = load_rig_of("shows/rig.yaml")
    mode = rig.fixtures[0].mode
    # DMX: dimmer at slot 0, then heads in wiring order, 3 slots each
    heads = [(c.head, c.channel) for c in mode.channels[1:4]]
    assert heads == [(0, "red"), (0, "green"), (0, "blue")]
    assert [c.head for c in mode.channels[1::3]] == [0, 1, 2, 3, 4, 5]
    # head k (DMX slots 2 + 3k .. 4 + 3k, 1-based) sits where its key says: 0.6 m by 0.4 m,
    # centred on (10, 5); pixel centres at x 9.8, 10, 10.2 and y 5.1 (top), 4.9 (bottom)
    pos = PixelMap(rig).pos_m[:, :2]
    expected = {"TL": (9.8, 5.1), "TM": (10.0, 5.1), "TR": (10.2, 5.1),
                "BR": (10.2, 4.9), "BM": (10.0, 4.9), "BL": (9.8, 4.9)}
    np.testing.assert_allclose(pos, list(expected.values()), atol=1e-9)
