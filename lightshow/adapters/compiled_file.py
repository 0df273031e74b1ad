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
import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
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
MAX_JOBS = 4        # default compile processes: each holds its own render buffers
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


def chunk_blocks(blocks: tuple[int, ...], n_frames: int, chunk_frames: int) -> list[tuple[int, ...]]:
    """The frames of each block in each chunk: runs of whole ``blocks`` of at least
    ``chunk_frames`` frames; without blocks (an uncompressed file), chunks of
    ``chunk_frames`` frames (the last one the rest), each one piece."""
    if not blocks:
        full, rest = divmod(n_frames, chunk_frames)
        return [(chunk_frames,)] * full + ([(rest,)] if rest else [])
    chunks, run = [], []
    for block in blocks:
        run.append(block)
        if sum(run) >= chunk_frames:
            chunks.append(tuple(run))
            run = []
    return chunks + ([tuple(run)] if run else [])


def write_atomically(path: str, writer: FseqWriter, start_frame: int, stop_frame: int,
                     chunk_frames: int, render_chunk: Callable[[int, int], np.ndarray],
                     progress: Callable[[int, int], None] | None = None, *,
                     stored: bool = False, jobs: int = 1) -> None:
    """Write frames [start, stop) to ``path`` via ``path.partial``: ``render_chunk(a, b)``
    gives each chunk's frames, which ``writer`` takes (``stored``: already reduced to
    its sparse ranges); the file appears only when complete.

    Chunks are of ``chunk_frames`` frames; for a compressed file, of the fewest whole
    blocks that make at least that many, so that each block is compressed straight
    from the frames just rendered, while they are still in the CPU cache.  With
    ``jobs`` > 1, that many forked processes render and encode runs of chunks (any
    frame range renders the same bytes) and this one writes their blocks in order.
    """
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    partial = path + ".partial"
    n_frames = stop_frame - start_frame
    try:
        with open(partial, "wb") as handle:
            writer.begin(handle, n_frames)
            chunks = chunk_blocks(writer.block_plan(), n_frames, chunk_frames)
            written = start_frame

            def take(encoded: list[tuple[int, bytes]]) -> None:
                nonlocal written
                for size, data in encoded:
                    writer.write_encoded_block(size, data)
                    written += size
                if progress is not None:
                    progress(written - start_frame, n_frames)

            job = (render_chunk, writer, stored)
            if (jobs > 1 and n_frames > TASK_FRAMES
                    and "fork" in multiprocessing.get_all_start_methods()):
                _encode_in_processes(job, start_frame, chunks, jobs, take)
            else:
                block = start_frame
                for chunk in chunks:
                    take(_encode(job, block, [chunk]))
                    block += sum(chunk)
            writer.finish()
        os.replace(partial, path)
    except OSError as exc:
        raise LightshowError(f"cannot write '{path}': {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


_FORKED_JOB: tuple | None = None   # what forked encoder processes render and encode
TASK_FRAMES = 240                  # frames an encoder process takes at a time (measured)


def _encode(job: tuple, start: int, chunks: list[tuple[int, ...]]) -> list[tuple[int, bytes]]:
    """Render each chunk from ``start`` on and encode its blocks at once, while in cache."""
    render_chunk, writer, stored = job
    encoded = []
    for chunk in chunks:
        frames = render_chunk(start, start + sum(chunk))
        if not stored:
            frames = writer.stored_frames(frames)
        at = 0
        for size in chunk:
            encoded.append((size, writer.encode_block(frames[at:at + size])))
            at += size
        start += sum(chunk)
    return encoded


def _encode_forked(start: int, chunks: list[tuple[int, ...]]) -> list[tuple[int, bytes]]:
    return _encode(_FORKED_JOB, start, chunks)


def _encode_in_processes(job: tuple, start: int, chunks: list[tuple[int, ...]], jobs: int,
                         take: Callable[[list[tuple[int, bytes]]], None]) -> None:
    """Tasks of whole chunks go to ``jobs`` forked processes, at most two each queued;
    their encoded blocks come back and are taken in frame order."""
    global _FORKED_JOB
    tasks: list[tuple[int, list[tuple[int, ...]]]] = []
    at, run = start, []
    for chunk in chunks:
        run.append(chunk)
        if sum(map(sum, run)) >= TASK_FRAMES:
            tasks.append((at, run))
            at, run = at + sum(map(sum, run)), []
    if run:
        tasks.append((at, run))
    _FORKED_JOB = job  # the processes inherit it when they fork
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    try:
        queued: deque[Future] = deque()
        for task in tasks:
            queued.append(pool.submit(_encode_forked, *task))
            while len(queued) >= 2 * jobs:
                take(queued.popleft().result())
        while queued:
            take(queued.popleft().result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _FORKED_JOB = None


def default_jobs() -> int:
    """Processes to compile with: the cores this process may use, at most ``MAX_JOBS``."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


def compile_show(show: Show, path: str, start_frame: int = 0, stop_frame: int | None = None,
                 compression: str = "zstd", progress: Callable[[int, int], None] | None = None,
                 renderer: ShowRenderer | None = None, jobs: int | None = None) -> CompileResult:
    """Render frames [start, stop) of ``show`` into an FSEQ file at ``path`` (atomically)
    with ``jobs`` processes (default: :func:`default_jobs`), see :func:`write_atomically`."""
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
                     progress, jobs=default_jobs() if jobs is None else jobs)
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
