"""``lightshow validate``: check shows, rigs and fixture profiles."""

from __future__ import annotations

import argparse
import sys

from lightshow.commands.exit_codes import EXIT_OK, EXIT_USER
from lightshow.errors import UsageError

NAME = "validate"
HELP = "check shows, rigs and fixture profiles"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders of .yaml files")
    p.add_argument("--kind", choices=("show", "rig", "fixture", "schedule", "marks"),
                   help="read every file as this kind (default: tell by its keys)")
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing when clean")
    p.add_argument("--explain", action="store_true",
                   help="for each valid show, print every cue's resolved start and end, and how times "
                        "written at marks of the music (beats, bars, named marks) resolved")


def run(args: argparse.Namespace) -> int:
    from lightshow.diagnostics import format_diagnostics, has_errors
    from lightshow.load.project import validate_paths, yaml_files_under

    for path in args.paths:
        if not yaml_files_under(path):
            raise UsageError(f"no YAML files under '{path}'")
    diagnostics = validate_paths(args.paths, args.kind)
    if diagnostics:
        print(format_diagnostics(diagnostics))
    if has_errors(diagnostics) or (args.strict and diagnostics):
        return EXIT_USER
    if args.explain:
        explain(args.paths)
    if not args.quiet:
        print(f"ok: {len(args.paths)} path(s) valid", file=sys.stderr)
    return EXIT_OK


def explain(paths: list[str]) -> None:
    """Every cue of every show under ``paths`` with its resolved times."""
    from lightshow.load.project import Project, detect_kind, yaml_files_under
    from lightshow.load.show_file import clock
    from lightshow.load.source import read_source

    project = Project()
    for path in (p for top in paths for p in yaml_files_under(top)):
        if detect_kind(read_source(path).root) != "show":
            continue
        show, _ = project.load_show(path)
        if show is None:
            continue
        track = show.soundtrack
        sound = (f"; soundtrack {track.path} ({clock(track.duration_s)}, begins at {clock(track.offset_s)})"
                 if track else "; no soundtrack")
        print(f"{path}: {len(show.chapters)} chapter(s), {len(show.cues())} cue(s), {clock(show.duration_s)}{sound}")
        width = max((len(cue.id) for cue in show.cues()), default=0)
        for chapter in show.chapters:
            print(f"  {chapter.id}  {clock(chapter.start_s)} - {clock(chapter.end_s)}")
            for cue in chapter.cues:
                note = f"   {cue.timing}" if cue.timing else ""
                print(f"    {cue.id:<{width}}  {clock(cue.start_s)} - {clock(cue.end_s)}{note}")
