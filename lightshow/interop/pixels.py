"""Finding the pixel block of a mode: one run of slots repeating the same channels per pixel.

Our profiles repeat a pixel's channels once per head, heads in one of our
wiring orders (rows, columns, snake_rows, snake_columns).  A mode whose pixel
channels fit that becomes a pixel block; one that does not (channels grouped
per colour, pixels missing, different channels per pixel) is flattened by the
caller into fixture-wide channels, with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass

from lightshow.core.pixelmap import head_grid
from lightshow.interop.foreign import Slot
from lightshow.model.profile import PIXEL_ORDERS, PixelLayout

MAX_HEAD_CHANNELS = 8


@dataclass(frozen=True)
class PixelRun:
    start: int                              # first slot of the run
    stop: int                               # one past its last slot
    pattern: tuple[tuple[str, int], ...]    # (channel, byte) of each pixel's slots
    pixels: tuple[str, ...]                 # pixel keys in slot order
    layout: PixelLayout


def _grid_order(pixels: tuple[str, ...], grid: dict[str, tuple[int, int]],
                size: tuple[int, int]) -> str | None:
    """Our wiring order that lists the whole grid as ``pixels`` does, if any."""
    columns, rows = size
    if len(pixels) != columns * rows or any(p not in grid for p in pixels):
        return None
    found = [grid[p] for p in pixels]
    for order in PIXEL_ORDERS:
        col, row = head_grid(PixelLayout(columns, rows, order))
        if found == list(zip(col.tolist(), row.tolist())):
            return order
    return None


def find_pixel_run(slots: tuple[Slot | None, ...], grid: dict[str, tuple[int, int]],
                   size: tuple[int, int] | None) -> tuple[PixelRun | None, str | None]:
    """The mode's pixel block and a note about it; (None, why) when there cannot be one.

    (None, None) when the mode has no pixel channels, or those of one pixel only.
    """
    heads = [i for i, slot in enumerate(slots) if slot is not None and slot.pixel is not None]
    if not heads:
        return None, None
    start, stop = heads[0], heads[-1] + 1
    if len(heads) != stop - start:
        return None, "its pixel channels are not one contiguous run of slots"
    runs: list[tuple[str, list[tuple[str, int]]]] = []
    for slot in slots[start:stop]:
        if not runs or runs[-1][0] != slot.pixel:
            runs.append((slot.pixel, []))
        runs[-1][1].append((slot.channel, slot.byte))
    pixels = tuple(pixel for pixel, _ in runs)
    if len(pixels) == 1:  # one pixel (or group) is the whole fixture: no heads needed
        return None, None
    if len(set(pixels)) != len(pixels):
        return None, "its pixel channels are ordered channel by channel, not pixel by pixel"
    pattern = tuple(runs[0][1])
    if any(tuple(channels) != pattern for _, channels in runs):
        return None, "its pixels do not all have the same channels"
    if len(pattern) > MAX_HEAD_CHANNELS:
        return None, f"its pixels have {len(pattern)} channels each; at most {MAX_HEAD_CHANNELS} fit"
    if size is not None:
        order = _grid_order(pixels, grid, size)
        if order is not None:
            return PixelRun(start, stop, pattern, pixels, PixelLayout(size[0], size[1], order)), None
    note = None
    if size is None or len(pixels) != size[0] * size[1] or any(p not in grid for p in pixels):
        note = (f"its {len(pixels)} pixel heads ({', '.join(pixels[:4])}"
                f"{', ...' if len(pixels) > 4 else ''}) are imported as one row of {len(pixels)}")
    else:
        note = (f"its pixels follow none of our wiring orders ({', '.join(PIXEL_ORDERS)}); "
                f"they are imported as one row of {len(pixels)}")
    return PixelRun(start, stop, pattern, pixels, PixelLayout(len(pixels), 1, "rows")), note
