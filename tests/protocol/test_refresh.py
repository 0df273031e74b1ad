"""Which universes go out: changed ones, keepalive every second, never above 44 Hz."""

import numpy as np

from lightshow.protocol.refresh import RefreshState, due_universes, mark_sent


def step(state, data, now):
    due = due_universes(state, data, now)
    mark_sent(state, data, due, now)
    return due.tolist()


def test_first_frame_sends_everything_then_only_changes():
    state = RefreshState(3)
    data = np.zeros((3, 512), dtype=np.uint8)
    assert step(state, data, 0.0) == [True, True, True]
    data[1, 10] = 7
    assert step(state, data, 0.025) == [False, True, False]
    assert step(state, data, 0.050) == [False, False, False]


def test_unchanged_universes_are_resent_every_second():
    state = RefreshState(2)
    data = np.zeros((2, 512), dtype=np.uint8)
    step(state, data, 0.0)
    sends = [step(state, data, k * 0.025) for k in range(1, 81)]
    sent_at = [k for k, due in enumerate(sends, start=1) if due[0]]
    assert sent_at == [40, 80]


def test_never_faster_than_44_hz():
    state = RefreshState(1)
    data = np.zeros((1, 512), dtype=np.uint8)
    step(state, data, 0.0)
    data[0, 0] = 1
    assert step(state, data, 0.010) == [False]   # 10 ms after the last send: too soon
    assert step(state, data, 0.0228) == [True]   # 22.8 ms: allowed, and the change is not lost


def test_sequences_run_1_to_255_and_wrap_to_1_per_universe():
    state = RefreshState(2)
    data = np.zeros((2, 512), dtype=np.uint8)
    seen = []
    for k in range(300):
        data[0, 0] = k % 256  # universe 0 changes every frame, universe 1 never
        due = due_universes(state, data, k * 0.025)
        sequences = mark_sent(state, data, due, k * 0.025)
        if due[0]:
            seen.append(int(sequences[0]))
    assert seen[:3] == [1, 2, 3] and seen[254:257] == [255, 1, 2]
    assert 0 not in seen
    assert int(state.sequences[1]) == 8  # first send plus one keepalive per second (7.5 s)
