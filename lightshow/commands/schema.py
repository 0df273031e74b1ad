"""``lightshow schema``: the JSON Schema of a file kind, for editors."""

from __future__ import annotations

import argparse

from lightshow.commands.exit_codes import EXIT_OK

NAME = "schema"
HELP = "print the JSON Schema of a file kind"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", choices=("show", "rig", "fixture", "schedule", "marks"))


def run(args: argparse.Namespace) -> int:
    import json

    from lightshow.load.schemas import SCHEMAS

    print(json.dumps(SCHEMAS[args.kind](), indent=2, ensure_ascii=False))
    return EXIT_OK
