"""``lightshow export``: a show as FSEQ for Falcon Player and xLights (universe u at channel u*512+1)."""

from __future__ import annotations

import argparse

from lightshow.commands.exit_codes import EXIT_OK
from lightshow.commands.fseq_options import add_fseq_arguments, compression_level, warn_about_step_drift

NAME = "export"
HELP = "export a show as FSEQ for Falcon Player / xLights (universe u at channel u*512+1)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("show", metavar="SHOW")
    p.add_argument("--fseq", metavar="OUT", required=True, help="the .fseq file to write")
    p.add_argument("--sparse", action="store_true", help="store only patched channels")
    p.add_argument("--controller", metavar="NAME", help="only this controller's universes (the rig's "
                   "'controllers'), as sparse ranges in the show's channel numbering")
    add_fseq_arguments(p)


def run(args: argparse.Namespace) -> int:
    from lightshow.core.timebase import n_frames_of
    from lightshow.files.fseq_export import export_fseq
    from lightshow.load.project import load_show

    level = compression_level(args)
    show = load_show(args.show)
    warn_about_step_drift(show.fps, n_frames_of(show.duration_s, show.fps))
    if args.controller is not None:
        from lightshow.files.fseq_export import controller_universes

        controller_universes(show.rig, args.controller)     # an unknown name before rendering
    result = export_fseq(show, args.fseq, args.compression, args.sparse, jobs=args.jobs, level=level,
                         controller=args.controller)
    what = (f" (controller {args.controller}: sparse)" if args.controller
            else " (sparse)" if args.sparse else "")
    print(f"exported {args.show} -> {result.path}: {result.n_frames} frames, {result.n_channels} "
          f"channels per frame{what}, {result.n_bytes / 1e6:.1f} MB")
    return EXIT_OK
