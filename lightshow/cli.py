"""The ``lightshow`` command: the registry of commands and the one error boundary.

Exit codes: 0 success, 1 a problem in the user's input (diagnostics printed),
2 a usage error, 3 a bug in lightshow, 130 interrupted.  Each command is a module of
:mod:`lightshow.commands` with its arguments and its ``run``.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from typing import Sequence

from lightshow.commands import (compile, effects, export, fixtures, inspect, marks, nodes, play, preview, queue,
                                report, schedule, schema, send, serve, simulate, validate)
from lightshow.commands.exit_codes import EXIT_BUG, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, EXIT_USER
from lightshow.errors import DiagnosticsError, LightshowError, UsageError

COMMANDS = (validate, compile, send, nodes, play, serve, preview, simulate, queue, fixtures, export,
            inspect, schema, effects, schedule, report, marks)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lightshow", description=(
        "Show control for architectural light shows: validate and compile YAML shows, "
        "play them to Art-Net, preview them."))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        p = sub.add_parser(command.NAME, help=command.HELP)
        command.add_arguments(p)
        p.set_defaults(run=command.run)
    return parser


def run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"lightshow: usage error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DiagnosticsError as exc:
        from lightshow.diagnostics import format_diagnostics

        print(format_diagnostics(exc.diagnostics))
        return EXIT_USER
    except LightshowError as exc:
        print(f"lightshow: error: {exc}", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        print("lightshow: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception:  # the one place a bug becomes exit code 3
        traceback.print_exc()
        print("lightshow: internal error (a bug in lightshow; please report it with the "
              "traceback above)", file=sys.stderr)
        return EXIT_BUG


def main(argv: Sequence[str] | None = None) -> None:
    sys.exit(run(argv))


if __name__ == "__main__":
    main()
