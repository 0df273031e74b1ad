"""Writing an FSEQ file: chunks of whole blocks, rendered and encoded here or in
forked worker processes, then written in order to a file that appears only when
complete.  :func:`write_show` is the one pipeline of ``compile`` and ``export``,
which differ only in their channel layout (:mod:`lightshow.core.channel_layout`).

Any frame range of a show renders the same bytes, so worker processes can each
take runs of frames; each renders a chunk and compresses its blocks while they
are still in the CPU cache, and returns the encoded blocks (about a twelfth of
the frames' size) to the parent, which writes them in frame order.
"""

from __future__ import annotations

import ctypes
import contextlib
import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from lightshow.core.channel_layout import ChannelLayout
from lightshow.core.render import ShowRenderer
from lightshow.errors import LightshowError
from lightshow.protocol.compression_levels import DEFAULT_LEVEL
from lightshow.protocol.fseq_format import fseq_step_ms, string_variable_header
from lightshow.protocol.fseq_writer import FseqWriter

CREATOR = string_variable_header("sp", "lightshow")   # the 'sp' header: the program that wrote the file


def media_headers(show) -> list[tuple[str, bytes]]:
    """The 'mf' header naming the show's soundtrack (its base name, as Falcon Player keeps it), if any."""
    if show.soundtrack is None:
        return []
    return [string_variable_header("mf", os.path.basename(show.soundtrack.path))]

MAX_JOBS = 4        # default processes: each holds its own render buffers
CHUNK_BYTES = 32 * 1024 * 1024   # at most this much of gathered frames a chunk (a re-laid-out copy)
TASK_FRAMES = 240   # frames a worker process takes at a time (measured: fewer cost more IPC)
_FORKED_JOB: tuple | None = None   # what forked worker processes render and encode


def chunk_blocks(blocks: tuple[int, ...], n_frames: int, chunk_frames: int) -> list[tuple[int, ...]]:
    """The frames of each block in each chunk: runs of as many whole ``blocks`` as make at
    most ``chunk_frames`` frames (so that a chunk is one render block, not one and a
    remnant), a block longer than that a chunk of its own (it is rendered a chunk at a
    time); without blocks (an uncompressed file), chunks of ``chunk_frames`` frames (the
    last one the rest), each one piece."""
    if not blocks:
        full, rest = divmod(n_frames, chunk_frames)
        return [(chunk_frames,)] * full + ([(rest,)] if rest else [])
    chunks, run = [], []
    for block in blocks:
        if run and sum(run) + block > chunk_frames:
            chunks.append(tuple(run))
            run = []
        if block > chunk_frames:
            chunks.append((block,))
            continue
        run.append(block)
    return chunks + ([tuple(run)] if run else [])


@contextlib.contextmanager
def atomic_file(path: str):
    """A file handle that writes ``path`` via ``path.partial``: the file appears (replacing an older
    one) only when the block ends without an error; a write error is a LightshowError."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    partial = path + ".partial"
    try:
        with open(partial, "wb") as handle:
            yield handle
        os.replace(partial, path)
    except OSError as exc:
        raise LightshowError(f"cannot write '{path}': {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def write_atomically(path: str, writer: FseqWriter, start_frame: int, stop_frame: int,
                     chunk_frames: int, render_chunk: Callable[[int, int], np.ndarray],
                     progress: Callable[[int, int], None] | None = None, *,
                     stored: bool = False, jobs: int | None = 1) -> None:
    """Write frames [start, stop) to ``path`` via ``path.partial``: ``render_chunk(a, b)``
    gives each chunk's frames, which ``writer`` takes (``stored``: already reduced to
    its sparse ranges); the file appears only when complete.

    Chunks are of ``chunk_frames`` frames; for a compressed file, of the most whole
    blocks that make at most that many, so that each block is compressed straight
    from the frames just rendered, while they are still in the CPU cache.  With
    ``jobs`` > 1, that many forked processes render and encode runs of chunks (any
    frame range renders the same bytes) and this one writes their blocks in order;
    ``jobs=None``: :func:`default_jobs`.
    """
    jobs = default_jobs() if jobs is None else jobs
    n_frames = stop_frame - start_frame
    with atomic_file(path) as handle:
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

        job = (render_chunk, writer, stored, chunk_frames)
        if (jobs > 1 and n_frames > TASK_FRAMES
                and "fork" in multiprocessing.get_all_start_methods()):
            _encode_in_processes(job, start_frame, chunks, jobs, take)
        else:
            block = start_frame
            for chunk in chunks:
                take(_encode(job, block, [chunk]))
                block += sum(chunk)
        writer.finish()


@dataclass
class WriteResult:
    path: str
    n_frames: int
    n_channels: int     # stored per frame
    n_bytes: int


def write_show(renderer: ShowRenderer, path: str, layout: ChannelLayout, start_frame: int,
               stop_frame: int, unique_id: int, headers: Sequence[tuple[str, bytes]] = (),
               compression: str = "zstd", level: int = DEFAULT_LEVEL, jobs: int | None = None,
               progress: Callable[[int, int], None] | None = None) -> WriteResult:
    """Frames [start, stop) of ``renderer``'s show, laid out by ``layout``, into an FSEQ file at
    ``path`` (atomically, see :func:`write_atomically`), with the creator's and ``headers``
    variable headers."""
    writer = show_writer(renderer, layout, unique_id, headers, compression, level)
    if layout.gather is None:
        chunk_frames, render_chunk = renderer.block_frames, renderer.render
    else:
        chunk_frames = max(1, min(40, CHUNK_BYTES // max(layout.n_stored, 1)))
        render_chunk = lambda a, b: layout.stored(renderer.render(a, b))  # noqa: E731
    write_atomically(path, writer, start_frame, stop_frame, chunk_frames, render_chunk, progress,
                     stored=True, jobs=jobs)
    return WriteResult(path, stop_frame - start_frame, layout.n_stored, os.path.getsize(path))


def show_writer(renderer: ShowRenderer, layout: ChannelLayout, unique_id: int,
                headers: Sequence[tuple[str, bytes]] = (), compression: str = "zstd",
                level: int = DEFAULT_LEVEL) -> FseqWriter:
    """The writer :func:`write_show` writes with (``compile --incremental`` writes with the same)."""
    return FseqWriter(layout.channel_count, fseq_step_ms(renderer.fps), compression=compression,
                      sparse_ranges=layout.sparse_ranges, variable_headers=[CREATOR, *headers],
                      unique_id=unique_id, level=level)


def encode_blocks(job: tuple, start: int, chunks: list[tuple[int, ...]]) -> list[tuple[int, bytes]]:
    """Render and encode ``chunks`` of whole blocks from frame ``start`` on, as a compile does:
    (frames, encoded bytes) of each block."""
    return _encode(job, start, chunks)


def _encode(job: tuple, start: int, chunks: list[tuple[int, ...]]) -> list[tuple[int, bytes]]:
    """Render each chunk from ``start`` on and encode its blocks at once, while in cache."""
    render_chunk, writer, stored, chunk_frames = job
    encoded = []
    for chunk in chunks:
        if chunk[0] > chunk_frames:  # a long block, alone in its chunk (see chunk_blocks)
            encoded.append((chunk[0], _encode_in_pieces(job, start, chunk[0])))
            start += chunk[0]
            continue
        frames = render_chunk(start, start + sum(chunk))
        if not stored:
            frames = writer.stored_frames(frames)
        at = 0
        for size in chunk:
            encoded.append((size, writer.encode_block(frames[at:at + size])))
            at += size
        start += sum(chunk)
    return encoded


def _encode_in_pieces(job: tuple, start: int, n_frames: int) -> bytes:
    """One block longer than a render chunk (a long show: FSEQ allows 4095 blocks), rendered
    a chunk at a time into a streaming encoder, so that memory stays that of a chunk
    however long the show."""
    render_chunk, writer, stored, chunk_frames = job
    encoder = writer.block_encoder(n_frames)
    for at in range(start, start + n_frames, chunk_frames):
        frames = render_chunk(at, min(at + chunk_frames, start + n_frames))
        encoder.add(frames if stored else writer.stored_frames(frames))
    return encoder.finish()


PR_SET_PDEATHSIG = 1   # Linux prctl: a signal for this process when its parent dies


def _start_worker(parent_pid: int) -> None:
    """A worker leaves Ctrl-C to the parent (it reaches the whole process group; the parent stops
    the work and cleans up) and dies with the parent, even a SIGKILLed one, instead of living on
    as an orphan holding its buffers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent_pid:          # the parent died before the request took hold
        os._exit(1)


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
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(os.getpid(),))
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
