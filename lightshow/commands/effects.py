"""``lightshow effects``: every effect with its parameters, types and defaults."""

from __future__ import annotations

import argparse

from lightshow.commands.exit_codes import EXIT_OK

NAME = "effects"
HELP = "list effects and their parameters"


def add_arguments(p: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from lightshow.core.effects import EFFECTS

    for name, effect in EFFECTS.items():
        print(f"{name}: {effect.description}")
        for key, spec in effect.params.fields.items():
            default = "" if spec.default is None else f" (default {default_text(spec.default)})"
            doc = f" — {spec.doc}" if spec.doc else ""
            expected = "colour" if "colour (" in spec.type.expected else spec.type.expected
            print(f"    {key}: {expected}{default}{doc}")
    return EXIT_OK


def default_text(value) -> str:
    """A parameter's default as a show would write it: a colour as ``#rrggbb``, booleans lower case."""
    if isinstance(value, tuple) and len(value) == 3 and all(isinstance(v, float) for v in value):
        return "#" + "".join(f"{round(v * 255):02x}" for v in value)
    if isinstance(value, tuple) and value and all(isinstance(v, tuple) for v in value):
        return "[" + ", ".join(default_text(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)
