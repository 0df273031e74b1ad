"""``lightshow fixtures import``: Open Fixture Library and QLC+ definitions into fixture profiles."""

from __future__ import annotations

import argparse
import sys

from lightshow.commands.exit_codes import EXIT_OK, EXIT_USER
from lightshow.errors import UsageError

NAME = "fixtures"
HELP = "fixture profiles: import other programs' definitions"


def add_arguments(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = actions.add_parser("import", help="convert Open Fixture Library .json and QLC+ .qxf "
                           "files into fixture profiles")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders searched for them")
    p.add_argument("-o", "--output", metavar="DIR", required=True, help="where profiles go")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only, not warnings")


def run(args: argparse.Namespace) -> int:
    import os

    from lightshow.diagnostics import Severity
    from lightshow.files.fixture_import import import_paths

    for path in args.paths:
        if not os.path.exists(path):
            raise UsageError(f"no such file or folder: '{path}'")
    imported = import_paths(args.paths, args.output)
    for diagnostic in imported.diagnostics:
        if diagnostic.severity is Severity.ERROR or not args.quiet:
            print(diagnostic.format())
    print(f"imported {imported.n_files - imported.n_failed} of {imported.n_files} fixture files into "
          f"{len(imported.written)} profiles in {args.output}, {imported.n_failed} failed", file=sys.stderr)
    return EXIT_USER if imported.n_failed else EXIT_OK
