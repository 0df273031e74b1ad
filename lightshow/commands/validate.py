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
    p.add_argument("--kind", choices=("show", "rig", "fixture", "schedule"),
                   help="read every file as this kind (default: tell by its keys)")
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing when clean")


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
    if not args.quiet:
        print(f"ok: {len(args.paths)} path(s) valid", file=sys.stderr)
    return EXIT_OK
