"""``lightshow inspect``: what an FSEQ file holds, as lines of text."""

from __future__ import annotations

import mmap

import numpy as np

from lightshow.files.compiled_file import read_index
from lightshow.errors import FormatError, LightshowError
from lightshow.protocol.fseq_format import FseqHeader
from lightshow.protocol.fseq_reader import FseqReader

ROW_CHANNELS = 16
SHOWN_BLOCKS = 8
SHOWN_RANGES = 16
SHOWN_ROWS = 64


def _header_lines(header: FseqHeader) -> list[str]:
    fps = 1000 / header.step_ms
    lines = [(f"FSEQ v{header.major_version}.{header.minor_version}: {header.frame_count} frames, "
              f"step {header.step_ms} ms ({fps:g} fps), {header.channel_count} channels per frame "
              f"stored, compression {header.compression}, unique id {header.unique_id:#x}"),
             f"channel data at byte {header.channel_data_offset}"]
    if header.sparse_ranges:
        lines.append(f"{len(header.sparse_ranges)} sparse ranges (1-based channels):")
        lines += [f"  {start + 1}-{start + count} ({count} channels)"
                  for start, count in header.sparse_ranges[:SHOWN_RANGES]]
        if len(header.sparse_ranges) > SHOWN_RANGES:
            lines.append(f"  ... {len(header.sparse_ranges) - SHOWN_RANGES} more")
    else:
        lines.append(f"channels 1-{header.channel_count} (not sparse)")
    if header.compression != "none":
        lines.append(f"{len(header.blocks)} compression blocks:")
        ends = [first for first, _ in header.blocks[1:]] + [header.frame_count]
        lines += [f"  block {i}: frames {first}-{end - 1}, {length} bytes"
                  for i, ((first, length), end) in enumerate(zip(header.blocks, ends))
                  if i < SHOWN_BLOCKS]
        if len(header.blocks) > SHOWN_BLOCKS:
            lines.append(f"  ... {len(header.blocks) - SHOWN_BLOCKS} more")
    for code, data in header.variable_headers:
        shown = data.split(b"\0", 1)[0].decode("utf-8", "replace") if code in ("sp", "mf") else ""
        lines.append(f"variable header '{code}': {len(data)} bytes" + (f" '{shown}'" if shown else ""))
    return lines


def _index_lines(header: FseqHeader) -> list[str]:
    try:
        index = read_index(header)
    except FormatError as exc:
        return [f"lightshow index unreadable: {exc}"]
    if index is None:
        return ["no lightshow index"]
    lines = [f"lightshow index: '{index.title}', {index.fps:g} fps, frames "
             f"{index.first_frame}..{index.stop_frame}, universes "
             + ", ".join(str(u) for u in index.universes)]
    lines += [f"  chapter {c.id}: frames {c.start_frame}-{c.stop_frame}" for c in index.chapters]
    lines.append(f"  {len(index.cues)} cues")
    return lines


def _frame_lines(reader: FseqReader, frame: int) -> list[str]:
    if not 0 <= frame < reader.frame_count:
        raise LightshowError(f"--frame {frame} is outside the file's frames 0..{reader.frame_count - 1}")
    values = np.asarray(reader.read_frames(frame, frame + 1)[0])
    lines = [(f"frame {frame}: {np.count_nonzero(values)} of {len(values)} channels non-zero "
              f"(rows of {ROW_CHANNELS} within each stored range, all-zero rows left out)")]
    shown = 0
    for first_channel, part in _rows(values, reader.header.sparse_ranges or ((0, reader.channel_count),)):
        if not part.any():
            continue
        if shown == SHOWN_ROWS:
            lines.append("  ...")
            break
        lines.append(f"  ch {first_channel:>7}: " + " ".join(f"{v:3d}" for v in part))
        shown += 1
    return lines


def _rows(values: np.ndarray, ranges) -> list[tuple[int, np.ndarray]]:
    """(1-based first channel, values) of rows of ROW_CHANNELS that never run across the gap
    between two sparse ranges, so each row's label is the channel of its first value."""
    rows, at = [], 0
    for start, count in ranges:
        for offset in range(0, count, ROW_CHANNELS):
            width = min(ROW_CHANNELS, count - offset)
            rows.append((start + offset + 1, values[at + offset:at + offset + width]))
        at += count
    return rows


def inspect_fseq(path: str, frame: int | None = None) -> list[str]:
    try:
        with open(path, "rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError) as exc:
        raise LightshowError(f"cannot read '{path}': {exc}") from exc
    reader = None
    try:
        reader = FseqReader(data)
        lines = [path + ":", *_header_lines(reader.header), *_index_lines(reader.header)]
        if frame is not None:
            lines += _frame_lines(reader, frame)
        return lines
    except FormatError as exc:
        raise FormatError(f"'{path}' is not a readable FSEQ v2 file: {exc}") from None
    finally:
        if reader is not None:
            reader.close()
        try:
            data.close()
        except BufferError:  # a view made while a broken header was parsed; the GC unmaps it
            pass
