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
from lightshow.errors import UsageError
from lightshow.files.fseq_writing import WriteResult, media_headers, write_show
from lightshow.model.show import Show
from lightshow.protocol.compression_levels import DEFAULT_LEVEL


def export_fseq(show: Show, path: str, compression: str = "zstd", sparse: bool = False,
                renderer: ShowRenderer | None = None, jobs: int | None = None,
                level: int = DEFAULT_LEVEL, controller: str | None = None) -> WriteResult:
    """Write the whole show to ``path`` in FPP channel numbering (atomically), with ``jobs``
    threads (default: fseq_writing.default_jobs) and compression ``level``; with ``controller``
    (a name from the rig's controllers), only that controller's universes, as sparse ranges."""
    renderer = renderer or ShowRenderer(show)
    only = controller_universes(show.rig, controller) if controller is not None else None
    layout = fpp_layout(show.rig, renderer.channel_map.universes, sparse, only)
    return write_show(renderer, path, layout, 0, renderer.n_frames, zlib.crc32(layout.gather.tobytes()),
                      media_headers(show), compression=compression, level=level, jobs=jobs)


def controller_universes(rig, name: str) -> tuple[int, ...]:
    """The universes the rig's controller ``name`` outputs; an unknown name is a usage error."""
    from lightshow.diagnostics import did_you_mean

    controller = rig.controllers.get(name)
    if controller is None:
        known = ", ".join(rig.controllers) or "none: the rig has no 'controllers'"
        raise UsageError(f"--controller: the rig has no controller '{name}'"
                         f"{did_you_mean(name, rig.controllers)}; its controllers: {known}")
    return controller.universes
