"""``lightshow export``: a show as an FSEQ v2 file for Falcon Player and xLights.

Unlike ``compile`` (our packed buffer plus our index, for ``lightshow send``),
an export numbers channels as FPP does: universe ``u`` at channel ``u * 512``
(see :mod:`lightshow.core.fpp_channels`).  With ``sparse`` only the patched
slots are stored, as FSEQ sparse ranges; without, every channel from 1 to the
end of the last patched universe.
"""

from __future__ import annotations

import os
import zlib

import numpy as np

from lightshow.files.compiled_file import CompileResult
from lightshow.files.fseq_writing import write_atomically
from lightshow.core.fpp_channels import patched_ranges, stored_index
from lightshow.core.render import ShowRenderer
from lightshow.model.rig import DMX_SLOTS
from lightshow.model.show import Show
from lightshow.protocol.fseq import DEFAULT_LEVEL, FseqWriter, fseq_step_ms, string_variable_header

CHUNK_BYTES = 32 * 1024 * 1024


def export_fseq(show: Show, path: str, compression: str = "zstd", sparse: bool = False,
                renderer: ShowRenderer | None = None, jobs: int | None = None,
                level: int = DEFAULT_LEVEL) -> CompileResult:
    """Write the whole show to ``path`` in FPP channel numbering (atomically), with ``jobs``
    processes (default: fseq_writing.default_jobs) and compression ``level``."""
    renderer = renderer or ShowRenderer(show)
    universes = renderer.channel_map.universes
    if sparse:
        ranges = patched_ranges(show.rig)
        total = max(start + count for start, count in ranges)
    else:
        total = (max(universes) + 1) * DMX_SLOTS
        ranges = [(0, total)]
    index = stored_index(ranges, universes)
    headers = [string_variable_header("sp", "lightshow")]
    writer = FseqWriter(total, fseq_step_ms(show.fps), compression=compression,
                        sparse_ranges=ranges if sparse else None, variable_headers=headers,
                        unique_id=zlib.crc32(index.tobytes()), level=level)
    padded = np.zeros((0, renderer.n_channels + 1), dtype=np.uint8)

    def stored_chunk(start: int, stop: int) -> np.ndarray:
        nonlocal padded
        if len(padded) != stop - start:
            padded = np.zeros((stop - start, renderer.n_channels + 1), dtype=np.uint8)
        padded[:, :-1] = renderer.render(start, stop)
        return padded[:, index]

    chunk_frames = max(1, min(40, CHUNK_BYTES // max(len(index), 1)))
    write_atomically(path, writer, 0, renderer.n_frames, chunk_frames, stored_chunk, stored=True,
                     jobs=jobs)
    return CompileResult(path, renderer.n_frames, len(index), os.path.getsize(path))
