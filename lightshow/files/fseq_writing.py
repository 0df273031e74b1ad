"""Writing an FSEQ file: chunks of whole blocks, rendered and encoded by one thread or
several, then written in order to a file that appears only when complete.
:func:`write_show` is the one pipeline of ``compile`` and ``export``, which differ
only in their channel layout (:mod:`lightshow.core.channel_layout`).

Any frame range of a show renders the same bytes, so threads can each take chunks;
the compiled kernels and the compressors release the GIL, so they run on cores of
their own.  With several threads the first one only renders, and the others
compress what has been rendered first and render the next chunk only when nothing
waits to be compressed.  Compressing between chunks on the core that renders
evicts the renderer's buffers and tables from its caches: rendering the bench's
show took 1.6x as long that way, and two threads arranged so compile it faster
than two processes each rendering and compressing its own chunks did (118-131x real
time against 87-98x, bench/compile.py's show; 41x against 37x, the anniversary show).
The threads allocate from one heap (see compiled_file.keep_freed_memory).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import deque
from dataclasses import dataclass, field
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

MAX_JOBS = 4        # default threads: each holds its own render buffers
CHUNK_BYTES = 32 * 1024 * 1024   # at most this much of gathered frames a chunk (a re-laid-out copy)
WAITING_PER_THREAD = 2   # rendered chunks that may wait to be compressed, per thread


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
                     stored: bool = False, jobs: int | None = 1,
                     another_renderer: Callable[[], Callable[[int, int], np.ndarray]] | None = None
                     ) -> None:
    """Write frames [start, stop) to ``path`` via ``path.partial``: ``render_chunk(a, b)``
    gives each chunk's frames, which ``writer`` takes (``stored``: already reduced to
    its sparse ranges); the file appears only when complete.

    Chunks are of ``chunk_frames`` frames; for a compressed file, of the most whole
    blocks that make at most that many.  With ``jobs`` > 1, that many threads render
    and encode chunks (any frame range renders the same bytes; see the module's
    docstring) and this one writes their blocks in order; ``jobs=None``:
    :func:`default_jobs`.  ``another_renderer()`` gives each thread after the first
    its own ``render_chunk`` (a renderer keeps state while it renders); without it,
    ``render_chunk`` must be safe to call from several threads at once.
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
        if jobs > 1 and len(chunks) > 1:
            renderers = [render_chunk] + [another_renderer() if another_renderer else render_chunk
                                          for _ in range(jobs - 1)]
            _encode_in_threads(job, start_frame, chunks, renderers, take)
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
        chunk_frames = renderer.block_frames
    else:
        chunk_frames = max(1, min(40, CHUNK_BYTES // max(layout.n_stored, 1)))

    def rendering(renderer: ShowRenderer) -> Callable[[int, int], np.ndarray]:
        if layout.gather is None:
            return renderer.render
        return lambda a, b: layout.stored(renderer.render(a, b))

    write_atomically(path, writer, start_frame, stop_frame, chunk_frames, rendering(renderer),
                     progress, stored=True, jobs=jobs,
                     another_renderer=lambda: rendering(renderer.twin()))
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
        encoded += _encode_blocks(writer, chunk, frames if stored else writer.stored_frames(frames))
        start += sum(chunk)
    return encoded


def _encode_blocks(writer: FseqWriter, chunk: tuple[int, ...], frames: np.ndarray
                   ) -> list[tuple[int, bytes]]:
    """A chunk's frames (stored channels) encoded block by block: (frames, bytes) of each."""
    encoded, at = [], 0
    for size in chunk:
        encoded.append((size, writer.encode_block(frames[at:at + size])))
        at += size
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


@dataclass
class _SharedWork:
    """What the threads of :func:`_encode_in_threads` share, under ``lock``."""

    chunks: list[tuple[int, ...]]
    starts: list[int]                  # the first frame of each chunk
    most_waiting: int
    next_chunk: int = 0                # the next chunk to render
    rendered: deque = field(default_factory=deque)    # (chunk, frames) waiting to be compressed
    encoded: dict = field(default_factory=dict)       # chunk -> its encoded blocks, to be written
    failure: BaseException | None = None
    stopped: bool = False
    lock: threading.Condition = field(default_factory=threading.Condition)

    def next_task(self, renders_only: bool) -> tuple | None:
        """("encode", chunk, frames), ("render", chunk) or None (nothing is left for this
        thread); the caller holds ``lock``.  A thread that ``renders_only`` compresses too
        when rendered chunks pile up or nothing is left to render."""
        while not self.stopped:
            if self.rendered and (not renders_only or self.next_chunk == len(self.chunks)
                                  or len(self.rendered) >= self.most_waiting):
                return ("encode", *self.rendered.popleft())
            if self.next_chunk < len(self.chunks):
                self.next_chunk += 1
                return ("render", self.next_chunk - 1)
            if not self.rendered:
                return None     # the chunks still being rendered are compressed by their threads
            self.lock.wait()
        return None


def _work_on(work: _SharedWork, job: tuple, renders_only: bool) -> None:
    """One thread of :func:`_encode_in_threads`: tasks until none is left."""
    render_chunk, writer, stored, chunk_frames = job
    writer = writer.encoding_copy()
    job = (render_chunk, writer, stored, chunk_frames)
    try:
        while True:
            with work.lock:
                task = work.next_task(renders_only)
            if task is None:
                return
            if task[0] == "encode":
                _, number, frames = task
                result = _encode_blocks(writer, work.chunks[number], frames)
            else:
                number = task[1]
                chunk, start = work.chunks[number], work.starts[number]
                if chunk[0] > chunk_frames:  # a long block, rendered and encoded in pieces
                    result = _encode(job, start, [chunk])
                else:
                    frames = render_chunk(start, start + sum(chunk))
                    with work.lock:
                        work.rendered.append((number, frames if stored else writer.stored_frames(frames)))
                        work.lock.notify_all()
                    continue
            with work.lock:
                work.encoded[number] = result
                work.lock.notify_all()
    except BaseException as exc:   # handed to the writing thread, which raises it
        with work.lock:
            work.failure = work.failure or exc
            work.lock.notify_all()


def _encode_in_threads(job: tuple, start: int, chunks: list[tuple[int, ...]],
                       renderers: list[Callable[[int, int], np.ndarray]],
                       take: Callable[[list[tuple[int, bytes]]], None]) -> None:
    """Chunks rendered and encoded by a thread for each of ``renderers`` (the first one
    only renders, see the module's docstring); their encoded blocks are taken here, in
    frame order.  An error in any thread, or an interrupt here, stops them all."""
    starts = [start]
    for chunk in chunks:
        starts.append(starts[-1] + sum(chunk))
    work = _SharedWork(chunks, starts, WAITING_PER_THREAD * len(renderers))
    threads = [threading.Thread(target=_work_on, args=(work, (render, *job[1:]), number == 0),
                                name=f"compile-{number}", daemon=True)
               for number, render in enumerate(renderers)]
    for thread in threads:
        thread.start()
    try:
        for number in range(len(chunks)):
            with work.lock:
                while number not in work.encoded and work.failure is None:
                    work.lock.wait()
                if work.failure is not None:
                    raise work.failure
                encoded = work.encoded.pop(number)
            take(encoded)
    finally:
        with work.lock:
            work.stopped = True
            work.lock.notify_all()
        for thread in threads:
            thread.join()


def default_jobs() -> int:
    """Threads to compile with: the cores this process may use, at most ``MAX_JOBS``."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))
