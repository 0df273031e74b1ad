"""Channel layouts: compile stores frames as rendered, export in Falcon Player's numbering."""

import numpy as np

from lightshow.core.channel_layout import fpp_layout, packed_layout, patched_ranges
from lightshow.load.project import load_show


def test_packed_frames_are_stored_as_rendered():
    layout = packed_layout(1024)
    frames = np.arange(2048, dtype=np.uint32).astype(np.uint8).reshape(2, 1024)
    assert layout.stored(frames) is frames and layout.n_stored == layout.channel_count == 1024


def test_fpp_numbering_puts_universe_u_at_u_times_512_and_sparse_keeps_the_patched_slots(project):
    project.rig("name: t\npatch:\n  - {id: a, profile: par, universe: 1, address: 3}\n"
                "  - {id: b, profile: par, universe: 3, address: 1}\n")
    project.show("title: t\nrig: rig.yaml\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: all, effect: solid, duration: 1}\n")
    rig = load_show("shows/show.yaml").rig
    universes = rig.universes()
    frames = np.zeros((1, 2 * 512), dtype=np.uint8)
    frames[0, 2:6] = [1, 2, 3, 4]              # universe 1, slots 3..6
    frames[0, 512:516] = [5, 6, 7, 8]          # universe 3, slots 1..4
    dense = fpp_layout(rig, universes, sparse=False)
    assert dense.channel_count == dense.n_stored == 4 * 512 and dense.sparse_ranges is None
    stored = dense.stored(frames)[0]
    assert stored[512 + 2:512 + 6].tolist() == [1, 2, 3, 4] and stored[1536:1540].tolist() == [5, 6, 7, 8]
    assert not stored[:512].any() and not stored[1024:1536].any()   # universes 0 and 2: zeros
    sparse = fpp_layout(rig, universes, sparse=True)
    assert sparse.sparse_ranges == ((514, 4), (1536, 4)) == tuple(patched_ranges(rig))
    assert sparse.channel_count == 1540 and sparse.stored(frames)[0].tolist() == [1, 2, 3, 4, 5, 6, 7, 8]
