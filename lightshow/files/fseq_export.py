"""``lightshow export``: a show as an FSEQ v2 file for Falcon Player and xLights.

Unlike ``compile`` (our packed buffer plus our index, for ``lightshow send``),
an export numbers channels as FPP does: universe ``u`` at channel ``u * 512``
(see :func:`lightshow.core.channel_layout.fpp_layout`).  With ``sparse`` only the
patched slots are stored, as FSEQ sparse ranges; without, every channel from 1 to
the end of the last patched universe.
"""

from __future__ import annotations

import zlib

from lightshow.core.channel_layout import fpp_layout
from lightshow.core.render import ShowRenderer
from lightshow.files.fseq_writing import WriteResult, media_headers, write_show
from lightshow.model.show import Show
from lightshow.protocol.compression_levels import DEFAULT_LEVEL


def export_fseq(show: Show, path: str, compression: str = "zstd", sparse: bool = False,
                renderer: ShowRenderer | None = None, jobs: int | None = None,
                level: int = DEFAULT_LEVEL) -> WriteResult:
    """Write the whole show to ``path`` in FPP channel numbering (atomically), with ``jobs``
    processes (default: fseq_writing.default_jobs) and compression ``level``."""
    renderer = renderer or ShowRenderer(show)
    layout = fpp_layout(show.rig, renderer.channel_map.universes, sparse)
    return write_show(renderer, path, layout, 0, renderer.n_frames, zlib.crc32(layout.gather.tobytes()),
                      media_headers(show), compression=compression, level=level, jobs=jobs)
