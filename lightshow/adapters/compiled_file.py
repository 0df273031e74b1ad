"""Compiled show files: FSEQ v2 frames (Falcon Player / xLights) plus our index.

Frames are rendered block by block and streamed into the writer, so memory
does not grow with the show's length.  The index (chapters, cues, universes)
rides in ``LS`` variable headers, zstd-compressed JSON split into pieces that
fit the 16-bit header length; other FSEQ players ignore them.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import zlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import numpy as np
import zstandard

from lightshow.core.render import ShowRenderer
from lightshow.core.show_index import build_index, parse_index
from lightshow.errors import FormatError, LightshowError
from lightshow.model.show import Show
from lightshow.protocol.fseq import FseqReader, FseqWriter, fseq_step_ms, string_variable_header

INDEX_CODE = "LS"
PIECE_BYTES = 60_000
QUEUED_CHUNKS = 2   # rendered chunks waiting for the compressing thread
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3   # glibc mallopt parameters
_KEEP_BYTES = 32 * 1024 * 1024                  # glibc's largest mmap threshold


def keep_freed_memory() -> None:
    """Let glibc keep freed memory for reuse instead of handing it back to the OS.

    Rendering a block allocates and frees arrays of a few hundred KiB; by default
    glibc returns them (munmap, heap trim) and the next block page-faults them in
    again, which on a virtual machine costs as much as the maths.  What is kept is
    one block's worth of temporaries, so peak memory still does not grow with the
    show.  Does nothing where the C library is not glibc.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, _KEEP_BYTES)
        libc.mallopt(_M_TRIM_THRESHOLD, 8 * _KEEP_BYTES)
    except (OSError, AttributeError):
        pass


def index_headers(index: bytes) -> list[tuple[str, bytes]]:
    packed = zstandard.ZstdCompressor(level=10).compress(index)
    return [(INDEX_CODE, packed[i:i + PIECE_BYTES]) for i in range(0, len(packed), PIECE_BYTES)] or [
        (INDEX_CODE, packed)]


@dataclass
class CompileResult:
    path: str
    n_frames: int
    n_channels: int
    n_bytes: int


def chunk_sizes(blocks: tuple[int, ...], n_frames: int, chunk_frames: int) -> list[int]:
    """Frames per chunk: ``chunk_frames`` (the last one the rest), or when there are
    ``blocks``, runs of whole blocks of at least ``chunk_frames`` frames."""
    if not blocks:
        full, rest = divmod(n_frames, chunk_frames)
        return [chunk_frames] * full + ([rest] if rest else [])
    sizes, size = [], 0
    for block in blocks:
        size += block
        if size >= chunk_frames:
            sizes.append(size)
            size = 0
    return sizes + ([size] if size else [])


def write_atomically(path: str, writer: FseqWriter, start_frame: int, stop_frame: int,
                     chunk_frames: int, render_chunk: Callable[[int, int], np.ndarray],
                     progress: Callable[[int, int], None] | None = None, *,
                     stored: bool = False, threads: int = 1) -> None:
    """Write frames [start, stop) to ``path`` via ``path.partial``: ``render_chunk(a, b)``
    gives each chunk's frames, which ``writer`` takes (``stored``: already reduced to
    its sparse ranges); the file appears only when complete.

    Chunks are of ``chunk_frames`` frames; for a compressed file, of the fewest whole
    blocks that make at least that many, so that each block is compressed straight
    from the frames just rendered, while they are still in the CPU cache.  With
    ``threads`` 2 a second thread compresses and writes each chunk while the next one
    renders (zstd and file writes release the GIL); at most ``QUEUED_CHUNKS`` wait.
    """
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    partial = path + ".partial"
    n_frames = stop_frame - start_frame
    take = writer.write_stored_frames if stored else writer.write_frames
    try:
        with open(partial, "wb") as handle, ThreadPoolExecutor(max(1, threads - 1)) as pool:
            writer.begin(handle, n_frames)
            queued: deque[Future] = deque()
            block = start_frame
            for size in chunk_sizes(writer.block_plan(), n_frames, chunk_frames):
                frames = render_chunk(block, block + size)
                if threads > 1:
                    queued.append(pool.submit(take, frames))
                    while len(queued) > QUEUED_CHUNKS or (queued and queued[0].done()):
                        queued.popleft().result()
                else:
                    take(frames)
                block += size
                if progress is not None:
                    progress(block - start_frame, n_frames)
            while queued:
                queued.popleft().result()
            writer.finish()
        os.replace(partial, path)
    except OSError as exc:
        raise LightshowError(f"cannot write '{path}': {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def default_threads() -> int:
    """2 (render, and compress on another core) where the process may use 2 cores."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return 2 if cores >= 2 else 1


def compile_show(show: Show, path: str, start_frame: int = 0, stop_frame: int | None = None,
                 compression: str = "zstd", progress: Callable[[int, int], None] | None = None,
                 renderer: ShowRenderer | None = None, threads: int | None = None) -> CompileResult:
    """Render frames [start, stop) of ``show`` into an FSEQ file at ``path`` (atomically);
    ``threads`` 1 or 2 (default: :func:`default_threads`), see :func:`write_atomically`."""
    keep_freed_memory()
    renderer = renderer or ShowRenderer(show)
    stop_frame = renderer.n_frames if stop_frame is None else min(stop_frame, renderer.n_frames)
    if not 0 <= start_frame < stop_frame:
        raise LightshowError(f"nothing to compile: frames {start_frame}..{stop_frame}")
    index = build_index(show, renderer.channel_map.universes, start_frame, stop_frame)
    headers = [string_variable_header("sp", "lightshow"), *index_headers(index)]
    writer = FseqWriter(renderer.n_channels, fseq_step_ms(show.fps), compression=compression,
                        variable_headers=headers, unique_id=zlib.crc32(index))
    write_atomically(path, writer, start_frame, stop_frame, renderer.block_frames, renderer.render,
                     progress, threads=default_threads() if threads is None else threads)
    n_frames = stop_frame - start_frame
    return CompileResult(path, n_frames, renderer.n_channels, os.path.getsize(path))


class CompiledShow:
    """A compiled show file, memory-mapped: frames on demand, and its index."""

    def __init__(self, path: str):
        try:
            self._file = open(path, "rb")
            self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as exc:
            raise LightshowError(f"cannot open compiled show '{path}': {exc}") from exc
        try:
            self.reader = FseqReader(self._map)
            pieces = [data for code, data in self.reader.header.variable_headers if code == INDEX_CODE]
            if not pieces:
                raise FormatError(f"'{path}' is an FSEQ file without a lightshow index")
            self.index = parse_index(zstandard.ZstdDecompressor().decompress(
                b"".join(pieces), max_output_size=64 * 1024 * 1024))
        except (FormatError, ValueError, zstandard.ZstdError) as exc:
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
        if list(compiled.index["universes"]) != show.rig.universes():
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
        return int(self.index["frames"][0])

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
