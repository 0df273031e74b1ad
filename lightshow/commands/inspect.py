"""``lightshow inspect``: an FSEQ file's header, index and a frame."""

from __future__ import annotations

import argparse

from lightshow.commands.exit_codes import EXIT_OK

NAME = "inspect"
HELP = "print an FSEQ file's header, index and a frame"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.fseq")
    p.add_argument("--frame", type=int, metavar="N", help="print the channel values of frame N")


def run(args: argparse.Namespace) -> int:
    from lightshow.files.fseq_inspect import inspect_fseq

    print("\n".join(inspect_fseq(args.file, args.frame)))
    return EXIT_OK
