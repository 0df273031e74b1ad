"""Compiled show files: FSEQ v2 frames (Falcon Player / xLights) plus our index.

Frames are rendered block by block and streamed into the writer, so memory
does not grow with the show's length.  The index (chapters, cues, universes)
rides in ``LS`` variable headers, zstd-compressed JSON split into pieces that
fit the 16-bit header length; other FSEQ players ignore them.
"""

from __future__ import annotations

import ctypes
import json
import mmap
import os
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np
import zstandard

from lightshow.core.channel_layout import packed_layout
from lightshow.core.show_diff import FrameSpans, diff_shows, show_digests
from lightshow.core.show_index import ShowIndex
from lightshow.errors import FormatError, LightshowError
from lightshow.model.show import Show
from lightshow.protocol.compression_levels import DEFAULT_LEVEL
from lightshow.protocol.fseq_format import FseqHeader
from lightshow.protocol.fseq_reader import FseqReader

if TYPE_CHECKING:       # compiling brings the renderer and numba; reading a compiled file does not
    from lightshow.core.render import ShowRenderer
    from lightshow.files.fseq_writing import WriteResult

INDEX_CODE = "LS"
DIGESTS_CODE = "LH"     # what the frames were rendered from (cue digests), for compile --incremental
DIGESTS_FORMAT = "lightshow-digests/1"
PIECE_BYTES = 60_000
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8   # glibc mallopt parameters
_KEEP_BYTES = 32 * 1024 * 1024                  # glibc's largest mmap threshold


def keep_freed_memory() -> None:
    """Let glibc keep freed memory for reuse instead of handing it back to the OS.

    Rendering a block allocates and frees arrays of a few hundred KiB; by default
    glibc returns them (munmap, heap trim) and the next block page-faults them in
    again, which on a virtual machine costs as much as the maths.  What is kept is
    one block's worth of temporaries, so peak memory still does not grow with the
    show.  Threads allocate from the one main heap as well: a thread's own arena is
    made of heaps of at most 64 MiB that glibc trims on its own terms, and a
    compile's rendering thread took 22 page faults a frame there (241 us a frame of
    CPU time, against 183 us and 0.1 faults from the main heap).  Does nothing where
    the C library is not glibc.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, _KEEP_BYTES)
        libc.mallopt(_M_TRIM_THRESHOLD, 8 * _KEEP_BYTES)
        libc.mallopt(_M_ARENA_MAX, 1)
    except (OSError, AttributeError):
        pass


def index_headers(index: bytes, code: str = INDEX_CODE) -> list[tuple[str, bytes]]:
    packed = zstandard.ZstdCompressor(level=10).compress(index)
    return [(code, packed[i:i + PIECE_BYTES]) for i in range(0, len(packed), PIECE_BYTES)] or [
        (code, packed)]


def digest_headers(show: Show, start_frame: int, stop_frame: int, compression: str, level: int
                   ) -> list[tuple[str, bytes]]:
    """The ``LH`` headers: the cue digests of ``show`` and how its frames were encoded."""
    record = {"format": DIGESTS_FORMAT, "frames": [start_frame, stop_frame], "compression": compression,
              "level": level, "show": show_digests(show)}
    return index_headers(json.dumps(record, sort_keys=True, separators=(",", ":")).encode(), DIGESTS_CODE)


def read_digests(header: FseqHeader) -> dict | None:
    """What a compiled file's frames were rendered from (its ``LH`` headers); None without them."""
    pieces = [data for code, data in header.variable_headers if code == DIGESTS_CODE]
    if not pieces:
        return None
    try:
        record = json.loads(zstandard.ZstdDecompressor().decompress(b"".join(pieces),
                                                                    max_output_size=64 * 1024 * 1024))
    except (zstandard.ZstdError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("format") == DIGESTS_FORMAT else None


def read_index(header: FseqHeader) -> ShowIndex | None:
    """The index in a file's ``LS`` variable headers; None when it has none.  A damaged
    one is a :class:`FormatError`."""
    pieces = [data for code, data in header.variable_headers if code == INDEX_CODE]
    if not pieces:
        return None
    try:
        data = zstandard.ZstdDecompressor().decompress(b"".join(pieces), max_output_size=64 * 1024 * 1024)
    except zstandard.ZstdError as exc:
        raise FormatError(f"its index does not decompress: {exc}") from None
    return ShowIndex.from_bytes(data)


def compile_show(show: Show, path: str, start_frame: int = 0, stop_frame: int | None = None,
                 compression: str = "zstd", progress: Callable[[int, int], None] | None = None,
                 renderer: ShowRenderer | None = None, jobs: int | None = None,
                 level: int = DEFAULT_LEVEL) -> WriteResult:
    """Render frames [start, stop) of ``show`` into an FSEQ file at ``path`` (atomically), our
    universes packed in order with our index, with ``jobs`` threads (default:
    :func:`default_jobs`); ``level``: the compression level."""
    from lightshow.core.render import ShowRenderer
    from lightshow.files.fseq_writing import write_show

    keep_freed_memory()
    renderer = renderer or ShowRenderer(show)
    stop_frame = renderer.n_frames if stop_frame is None else min(stop_frame, renderer.n_frames)
    if not 0 <= start_frame < stop_frame:
        raise LightshowError(f"nothing to compile: frames {start_frame}..{stop_frame}")
    index = ShowIndex.of_show(show, renderer.channel_map.universes, start_frame, stop_frame).to_bytes()
    return write_show(renderer, path, packed_layout(renderer.n_channels), start_frame, stop_frame,
                      zlib.crc32(index), _headers(show, index, start_frame, stop_frame, compression, level),
                      compression, level, jobs, progress)


def _headers(show: Show, index: bytes, start_frame: int, stop_frame: int, compression: str,
             level: int) -> list[tuple[str, bytes]]:
    from lightshow.files.fseq_writing import media_headers

    return (index_headers(index) + media_headers(show)
            + digest_headers(show, start_frame, stop_frame, compression, level))


@dataclass
class IncrementalResult:
    result: WriteResult
    rendered_frames: int      # frames rendered and encoded again
    copied_frames: int        # frames whose encoded blocks were copied from the old file
    reason: str = ""          # why everything was rendered, when it was


def compile_incremental(show: Show, path: str, base_path: str, start_frame: int = 0,
                        stop_frame: int | None = None, compression: str = "zstd",
                        progress: Callable[[int, int], None] | None = None,
                        renderer: ShowRenderer | None = None, level: int = DEFAULT_LEVEL,
                        jobs: int | None = None) -> IncrementalResult:
    """Compile ``show`` into ``path`` reusing the compiled file at ``base_path`` (``path`` itself
    may be it): the encoded blocks of frames no changed cue touches are copied, the others
    rendered and encoded again; the bytes are those of :func:`compile_show`.  A base compiled
    otherwise (another rig, frame range, compression or level; no cue digests) is compiled in full."""
    from lightshow.core.render import ShowRenderer

    renderer = renderer or ShowRenderer(show)
    stop_frame = renderer.n_frames if stop_frame is None else min(stop_frame, renderer.n_frames)

    def full(reason: str) -> IncrementalResult:
        result = compile_show(show, path, start_frame, stop_frame, compression, progress, renderer, jobs, level)
        return IncrementalResult(result, stop_frame - start_frame, 0, reason)
    try:
        base = CompiledShow(base_path)
    except LightshowError as exc:
        return full(f"no compiled file to start from ({exc})")
    try:
        record = read_digests(base.reader.header)
        if record is None:
            return full(f"'{base_path}' keeps no cue digests (compiled before --incremental)")
        if (record["compression"], record["level"]) != (compression, level) or compression == "none":
            return full(f"'{base_path}' was compressed otherwise")
        if record["frames"][0] != start_frame:
            return full(f"'{base_path}' starts at another frame")
        diff = diff_shows(None, show, record["show"])
        if diff.everything:
            return full("the rig or the frame rate changed")
        changed = diff.changed | FrameSpans.of([(record["frames"][1], stop_frame)])
        return IncrementalResult(*_write_patched(show, renderer, path, base, changed, start_frame,
                                                 stop_frame, compression, level, progress))
    finally:
        try:
            base.close()
        except BufferError:
            pass


def _write_patched(show, renderer, path, base: "CompiledShow", changed: FrameSpans, start_frame: int,
                   stop_frame: int, compression: str, level: int, progress):
    from lightshow.files.fseq_writing import WriteResult, atomic_file, encode_blocks, show_writer

    layout = packed_layout(renderer.n_channels)
    index = ShowIndex.of_show(show, renderer.channel_map.universes, start_frame, stop_frame).to_bytes()
    writer = show_writer(renderer, layout, zlib.crc32(index),
                         _headers(show, index, start_frame, stop_frame, compression, level), compression, level)
    old_blocks = {}      # (first frame, frames) -> encoded bytes of the old file
    reader = base.reader
    for i, first in enumerate(reader._starts):
        end = reader._starts[i + 1] if i + 1 < len(reader._starts) else reader.frame_count
        offset, length = reader._spans[i]
        old_blocks[(first, end - first)] = (offset, length)
    chunk_frames = renderer.block_frames
    n_frames = stop_frame - start_frame
    rendered = copied = 0
    with atomic_file(path) as handle:
        writer.begin(handle, n_frames)
        at = 0
        for size in writer.block_plan():
            a, b = start_frame + at, start_frame + at + size
            kept = old_blocks.get((at, size))
            if kept is not None and not changed.overlaps(a, b):
                offset, length = kept
                writer.write_encoded_block(size, bytes(reader._view[offset:offset + length]))
                copied += size
            else:
                job = (renderer.render, writer, True, chunk_frames)
                for frames, data in encode_blocks(job, a, [(size,)]):
                    writer.write_encoded_block(frames, data)
                rendered += size
            at += size
            if progress is not None:
                progress(at, n_frames)
        writer.finish()
    return WriteResult(path, n_frames, layout.n_stored, os.path.getsize(path)), rendered, copied


class CompiledShow:
    """A compiled show file, memory-mapped: frames on demand, and its index."""

    def __init__(self, path: str):
        self.path = path
        try:
            self._file = open(path, "rb")
            self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as exc:
            raise LightshowError(f"cannot open compiled show '{path}': {exc}") from exc
        try:
            self.reader = FseqReader(self._map)
            index = read_index(self.reader.header)
            if index is None:
                raise FormatError(f"'{path}' is an FSEQ file without a lightshow index")
            self.index = index
        except (FormatError, ValueError) as exc:
            message = f"'{path}' is not a lightshow compiled show: {exc}"
        else:
            return
        try:
            self.close()
        except BufferError:  # a view made while parsing is still alive; the GC unmaps it
            pass
        raise FormatError(message)

    @classmethod
    def of_show(cls, path: str, show: Show) -> "CompiledShow":
        """The compiled file of ``show``, refused when it was compiled for other universes."""
        compiled = cls(path)
        if list(compiled.index.universes) != show.rig.universes():
            compiled.close()
            raise LightshowError(f"'{path}' was compiled for other universes than the rig of "
                                 f"'{show.path}'; compile it again")
        return compiled

    @property
    def n_frames(self) -> int:
        return self.reader.frame_count

    @property
    def first_frame(self) -> int:
        """The show frame the file starts at (a --range compile need not start at 0)."""
        return self.index.first_frame

    def frames(self, start: int, stop: int) -> np.ndarray:
        return self.reader.read_frames(start, stop)

    def show_frames(self, start: int, stop: int) -> np.ndarray:
        """Frames by their number in the show."""
        return self.frames(start - self.first_frame, stop - self.first_frame)

    def close(self) -> None:
        reader = getattr(self, "reader", None)
        if reader is not None:
            reader.close()
        self._map.close()
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
