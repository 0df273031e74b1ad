"""Our frame buffer (patched universes packed in order) -> Falcon Player channel numbers.

An exported FSEQ file numbers channels as FPP and xLights do, one channel
space for the whole show: universe ``u`` (Art-Net port-address, 0-based)
starts at 0-based channel ``u * 512``.  Sparse ranges keep only the slots the
rig patches; when there are more runs than FSEQ's 255 ranges, the smallest
gaps are closed (their channels are stored as zeros).
"""

from __future__ import annotations

import numpy as np

from lightshow.model.rig import DMX_SLOTS, Rig

MAX_RANGES = 255

Range = tuple[int, int]   # (first channel, 0-based; channel count)


def patched_ranges(rig: Rig, max_ranges: int = MAX_RANGES) -> list[Range]:
    """Runs of patched slots in FPP channel numbers, at most ``max_ranges`` of them."""
    runs = sorted((s.universe * DMX_SLOTS + s.address - 1, s.n_slots)
                  for f in rig.fixtures for s in f.segments)
    merged: list[list[int]] = []
    for start, count in runs:
        if merged and start <= merged[-1][0] + merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], start + count - merged[-1][0])
        else:
            merged.append([start, count])
    while len(merged) > max_ranges:
        gaps = [merged[i + 1][0] - (merged[i][0] + merged[i][1]) for i in range(len(merged) - 1)]
        i = int(np.argmin(gaps))
        merged[i][1] = merged[i + 1][0] + merged[i + 1][1] - merged[i][0]
        del merged[i + 1]
    return [(start, count) for start, count in merged]


def stored_index(ranges: list[Range], universes: list[int]) -> np.ndarray:
    """For each stored channel, its offset in our frame buffer, or ``len(universes) * 512``
    (one past the end: a zero column) where no patched universe holds it."""
    slot_of = {u: i for i, u in enumerate(universes)}
    missing = len(universes) * DMX_SLOTS
    channels = np.concatenate([np.arange(s, s + c, dtype=np.int64) for s, c in ranges])
    universe, slot = np.divmod(channels, DMX_SLOTS)
    base = np.array([slot_of.get(int(u), -1) for u in range(int(universe.max()) + 1)], dtype=np.int64)
    row = base[universe]
    return np.where(row >= 0, row * DMX_SLOTS + slot, missing)
