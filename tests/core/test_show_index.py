"""The index a compiled file stores: the same from a show and from its bytes."""

import json

import pytest

from lightshow.core.show_index import ShowIndex
from lightshow.errors import FormatError
from lightshow.load.project import load_show


def test_the_index_of_a_show_round_trips_through_its_bytes(sim_show):
    show = load_show(sim_show)
    index = ShowIndex.of_show(show, show.rig.universes(), 0, 60)
    data = index.to_bytes()
    assert ShowIndex.from_bytes(data) == index
    stored = json.loads(data)
    assert stored["format"] == "lightshow-index/1" and stored["frames"] == [0, 60]
    assert [(c.id, c.start_frame, c.stop_frame) for c in index.chapters] == [("first", 0, 40),
                                                                             ("second", 40, 60)]
    chapter, cues = index.at(41)
    assert chapter.id == "second" and [q.id for q in cues] == ["blue-all"]
    assert index.cue_starts_after(0) == [40] and index.starts_before(40) == [0]


@pytest.mark.parametrize("data", [b"\xff", b"[]", b'{"format": "other/1"}',
                                  b'{"format": "lightshow-index/1", "fps": 20}'])
def test_anything_else_is_a_format_error(data):
    with pytest.raises(FormatError):
        ShowIndex.from_bytes(data)
