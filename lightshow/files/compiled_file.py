"""Compiled show files: FSEQ v2 frames (Falcon Player / xLights) plus our index.

Frames are rendered block by block and streamed into the writer, so memory
does not grow with the show's length.  The index (chapters, cues, universes)
rides in ``LS`` variable headers, zstd-compressed JSON split into pieces that
fit the 16-bit header length; other FSEQ players ignore them.
"""

from __future__ import annotations

import ctypes
import mmap
import zlib
from typing import Callable

import numpy as np
import zstandard

from lightshow.core.channel_layout import packed_layout
from lightshow.files.fseq_writing import WriteResult, media_headers, write_show
from lightshow.core.render import ShowRenderer
from lightshow.core.show_index import ShowIndex
from lightshow.errors import FormatError, LightshowError
from lightshow.model.show import Show
from lightshow.protocol.compression_levels import DEFAULT_LEVEL
from lightshow.protocol.fseq_format import FseqHeader
from lightshow.protocol.fseq_reader import FseqReader

INDEX_CODE = "LS"
PIECE_BYTES = 60_000
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
    universes packed in order with our index, with ``jobs`` processes (default:
    :func:`default_jobs`); ``level``: the compression level."""
    keep_freed_memory()
    renderer = renderer or ShowRenderer(show)
    stop_frame = renderer.n_frames if stop_frame is None else min(stop_frame, renderer.n_frames)
    if not 0 <= start_frame < stop_frame:
        raise LightshowError(f"nothing to compile: frames {start_frame}..{stop_frame}")
    index = ShowIndex.of_show(show, renderer.channel_map.universes, start_frame, stop_frame).to_bytes()
    return write_show(renderer, path, packed_layout(renderer.n_channels), start_frame, stop_frame,
                      zlib.crc32(index), index_headers(index) + media_headers(show), compression, level, jobs, progress)


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
