"""``lightshow compile``: a show into an FSEQ file of DMX frames, with its index."""

from __future__ import annotations

import argparse

from lightshow.commands.exit_codes import EXIT_OK
from lightshow.commands.fseq_options import add_fseq_arguments, compression_level, warn_about_step_drift

NAME = "compile"
HELP = "compile a show into an FSEQ file of DMX frames"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("show", metavar="SHOW", help="show file")
    p.add_argument("-o", "--output", metavar="FILE", help="default: build/<show>.fseq")
    p.add_argument("--range", metavar="START..END|CHAPTER",
                   help="compile part of the show: seconds or mm:ss.fff, or a chapter id")
    add_fseq_arguments(p)
    p.add_argument("--incremental", nargs="?", const="", metavar="BASE.fseq",
                   help="render again only the frames of cues changed since BASE (default: the "
                        "output file) was compiled, copying the rest; the same bytes as a full compile")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    import os
    import time

    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from lightshow.core.moment import range_frames
    from lightshow.core.render import ShowRenderer
    from lightshow.core.show_index import ShowIndex
    from lightshow.files.build_folder import build_path
    from lightshow.files.compiled_file import compile_show
    from lightshow.load.project import load_show

    level = compression_level(args)
    show = load_show(args.show)
    renderer = ShowRenderer(show)
    if args.range:
        index = ShowIndex.of_show(show, renderer.channel_map.universes, 0, renderer.n_frames)
        start, stop = range_frames(args.range, index, show.duration_s)
    else:
        start, stop = 0, renderer.n_frames
    output = args.output or build_path(args.show, ".fseq")
    warn_about_step_drift(show.fps, stop - start)
    began = time.perf_counter()
    with Progress(TextColumn("[bold]compiling[/bold] {task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} frames"), TimeRemainingColumn(),
                  disable=args.quiet, transient=True) as progress:
        task = progress.add_task(os.path.basename(args.show), total=stop - start)
        update = lambda done, total: progress.update(task, completed=done)  # noqa: E731
        if args.incremental is not None:
            from lightshow.files.compiled_file import compile_incremental

            patched = compile_incremental(show, output, args.incremental or output, start, stop,
                                          args.compression, update, renderer, level, args.jobs)
            result = patched.result
        else:
            result = compile_show(show, output, start, stop, args.compression, update, renderer, args.jobs, level)
    took = time.perf_counter() - began
    if args.incremental is not None:
        print(f"incremental: rendered {patched.rendered_frames} of {result.n_frames} frames, copied "
              f"{patched.copied_frames}" + (f" ({patched.reason})" if patched.reason else ""))
    seconds = result.n_frames / show.fps
    print(f"compiled {args.show} -> {result.path}: {result.n_frames} frames "
          f"({seconds:.1f} s at {show.fps:g} fps), {len(renderer.channel_map.universes)} universes, "
          f"{result.n_bytes / 1e6:.1f} MB, in {took:.1f} s ({seconds / took:.0f}x real time)")
    return EXIT_OK
