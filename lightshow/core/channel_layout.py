"""How rendered frames are laid out in an FSEQ file: the one difference between compile and export.

A rendered frame is our buffer: the patched universes packed in ascending order,
512 slots each.  ``compile`` stores it as it is (:func:`packed_layout`), beside our
index.  ``export`` numbers channels as Falcon Player and xLights do
(:func:`fpp_layout`), one channel space for the whole show: universe ``u``
(Art-Net port-address, 0-based) starts at 0-based channel ``u * 512``.  Sparse
ranges keep only the slots the rig patches; when there are more runs than FSEQ's
255 ranges, the smallest gaps are closed (their channels are stored as zeros).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from lightshow.model.rig import DMX_SLOTS, Rig

MAX_RANGES = 255

Range = tuple[int, int]   # (first channel, 0-based; channel count)


def patched_ranges(rig: Rig, max_ranges: int = MAX_RANGES,
                   only_universes: Collection[int] | None = None) -> list[Range]:
    """Runs of patched slots in FPP channel numbers, at most ``max_ranges`` of them (of
    ``only_universes`` when given: one controller's)."""
    runs = sorted((s.universe * DMX_SLOTS + s.address - 1, s.n_slots)
                  for f in rig.fixtures for s in f.segments
                  if only_universes is None or s.universe in only_universes)
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


@dataclass(frozen=True)
class ChannelLayout:
    """The channels an FSEQ file numbers (``channel_count``) and stores per frame, and where each
    stored channel comes from in a rendered frame.

    ``gather`` holds, for each stored channel, its offset in the rendered frame, or the
    rendered frame's length for a channel no universe of ours holds (stored as zero);
    None: frames are stored as rendered.  ``sparse_ranges``: only those channels are stored."""

    channel_count: int
    sparse_ranges: tuple[Range, ...] | None = None
    gather: np.ndarray | None = None

    @property
    def n_stored(self) -> int:
        return self.channel_count if self.gather is None else len(self.gather)

    def stored(self, frames: np.ndarray) -> np.ndarray:
        """Rendered frames (n, rendered channels) as the file stores them (n, n_stored)."""
        if self.gather is None:
            return frames
        padded = np.zeros((len(frames), frames.shape[1] + 1), dtype=np.uint8)
        padded[:, :-1] = frames
        return padded[:, self.gather]


def packed_layout(n_channels: int) -> ChannelLayout:
    """Frames stored as rendered: our universes packed in order (``compile``)."""
    return ChannelLayout(n_channels)


def fpp_layout(rig: Rig, universes: list[int], sparse: bool,
               only_universes: Collection[int] | None = None) -> ChannelLayout:
    """Falcon Player's numbering (``export``): the patched slots as sparse ranges, or every channel
    from 1 to the end of the last patched universe.  ``only_universes`` (one controller's): only
    their patched slots, as sparse ranges, in the same numbering."""
    if only_universes is not None:
        sparse = True
    if sparse:
        ranges = patched_ranges(rig, only_universes=set(only_universes) if only_universes is not None else None)
        total = max(start + count for start, count in ranges)
    else:
        total = (max(universes) + 1) * DMX_SLOTS
        ranges = [(0, total)]
    return ChannelLayout(total, tuple(ranges) if sparse else None, stored_index(ranges, universes))
