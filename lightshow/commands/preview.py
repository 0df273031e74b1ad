"""``lightshow preview``: a show drawn headless, as a picture, a contact sheet or a video."""

from __future__ import annotations

import argparse
import contextlib
import sys

from lightshow.commands.exit_codes import EXIT_OK

NAME = "preview"
HELP = "draw a show headless: a picture, a contact sheet or a video"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("show", metavar="SHOW", help="show file")
    p.add_argument("--compiled", metavar="FILE.fseq", help="read frames from this compiled show")
    p.add_argument("--at", metavar="TIME|ID", help="seconds, mm:ss.fff, or a chapter or cue id")
    p.add_argument("-o", "--output", metavar="FILE", help="picture to write (default: build/...)")
    p.add_argument("--sheet", action="store_true", help="a contact sheet of every chapter")
    p.add_argument("--video", metavar="FILE", help="a video: .mp4 (ffmpeg), .webp or .gif")
    p.add_argument("--from", dest="start", metavar="TIME|ID", help="video start (default 0)")
    p.add_argument("--duration", type=float, metavar="SECONDS", help="video length (default: to the end)")
    p.add_argument("--size", default="1280x720", metavar="WxH")
    p.add_argument("--no-glow", action="store_true", help="points only: no glow, beams or reflections")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from lightshow.core.moment import moment_s
    from lightshow.files.build_folder import build_path
    from simulator import headless
    from simulator.app import open_preview, parse_size

    size = parse_size(args.size)
    preview = open_preview(args.show, args.compiled, size, glow=not args.no_glow)
    index, duration_s = preview.frames.index, preview.show.duration_s
    try:
        if args.sheet:
            output = args.output or build_path(args.show, "-sheet.png")
            headless.sheet(preview.frames, preview.painter, output)
        elif args.video:
            output = args.video
            start_s = moment_s(args.start, index, duration_s) if args.start else 0.0
            length_s = args.duration if args.duration else duration_s - start_s
            with _progress(args.quiet, "rendering video") as progress:
                encoder = headless.video(preview.frames, preview.painter, output, start_s, length_s, progress,
                                         soundtrack=preview.show.soundtrack)
            output = f"{output} ({encoder})"
        else:
            at_s = moment_s(args.at, index, duration_s) if args.at else 0.0
            output = args.output or build_path(args.show, f"-{at_s:07.2f}s.png")
            headless.still(preview.frames, preview.painter, at_s, output)
    finally:
        preview.frames.close()
    print(f"wrote {output}", file=sys.stderr)
    return EXIT_OK


def _progress(quiet: bool, label: str):
    """A context giving a progress(done, total) callback: a rich bar, or nothing when quiet."""
    if quiet:
        return contextlib.nullcontext(None)
    from rich.progress import Progress

    @contextlib.contextmanager
    def bar():
        with Progress(transient=True) as shown:
            task = shown.add_task(label, total=None)
            yield lambda done, total: shown.update(task, completed=done, total=total)
    return bar()
