"""The frame cache's read-ahead thread with a clock to keep out of the way of: blocks in steps."""

import threading
import time

import numpy as np

from lightshow.playback.frame_cache import FETCH_STEP, FrameCache


def test_a_block_is_fetched_in_steps_each_when_between_ticks_lets_it():
    data = (np.arange(100 * 4) % 251).astype(np.uint8).reshape(100, 4)
    calls, lock = [], threading.Lock()

    def fetch(a, b):
        with lock:
            calls.append(("fetch", a, b))
        return data[a:b]

    def between_ticks():
        with lock:
            calls.append(("between",))
    cache = FrameCache(fetch, 100, 0, between_ticks=between_ticks)
    try:
        assert cache.wait_ready(0, 5.0)
        deadline = time.monotonic() + 5.0
        while len(cache.blocks) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert sorted(cache.blocks) == [0, 40, 80]
        assert all(np.array_equal(cache.get(k), data[k]) for k in (0, 7, 8, 39, 40, 95, 99))
    finally:
        cache.close()
    fetches = [c for c in calls if c[0] == "fetch"]
    assert fetches[:5] == [("fetch", a, a + FETCH_STEP) for a in range(0, 40, FETCH_STEP)]
    assert fetches[-1] == ("fetch", 96, 100)
    assert all(calls[i - 1] == ("between",) for i, c in enumerate(calls) if c[0] == "fetch")
