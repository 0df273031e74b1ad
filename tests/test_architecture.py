"""The pure core does no I/O, and imports point one way."""

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "lightshow"
PURE = ("core", "music", "model", "protocol", "schema", "content", "interop", "diagnostics.py", "errors.py")
FORBIDDEN = {"socket", "time", "threading", "asyncio", "sqlite3", "pygame", "pythonosc",
             "subprocess", "selectors", "multiprocessing", "http", "urllib", "stupidArtnet"}
DRAWING_COMMANDS = {"preview.py", "simulate.py", "play.py", "serve.py", "queue.py"}   # the simulator's callers
# a layer may import only from layers listed after it
LAYERS = ["cli", "commands", "control", "playback", "queue", "guard", "files", "output", "interop",
          "load", "content", "music", "core", "model", "schema", "protocol", "diagnostics", "errors"]


def _modules(sub: str):
    target = PACKAGE / sub
    return [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))


def _imports(path: pathlib.Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno


def _layer(path: pathlib.Path) -> str:
    rel = path.relative_to(PACKAGE).parts
    return rel[0][:-3] if rel[0].endswith(".py") else rel[0]


@pytest.mark.parametrize("sub", PURE)
def test_pure_modules_do_no_io(sub):
    offenders = [f"{path.relative_to(PACKAGE)}:{line} imports {name}"
                 for path in _modules(sub) for name, line in _imports(path)
                 if name.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_imports_point_one_way():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        here = _layer(path)
        if here not in LAYERS:
            continue
        for name, line in _imports(path):
            parts = name.split(".")
            if parts[0] == "simulator" and not (here == "commands" and path.name in DRAWING_COMMANDS):
                offenders.append(f"{path.relative_to(PACKAGE)}:{line} imports the simulator")
            if parts[0] != "lightshow" or len(parts) < 2:
                continue
            there = parts[1]
            if there in LAYERS and there != here and LAYERS.index(there) < LAYERS.index(here):
                offenders.append(f"{path.relative_to(PACKAGE)}:{line} ({here}) imports {name}")
    assert offenders == []


def test_the_checker_sees_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import socket\nfrom time import monotonic\n")
    assert [name for name, _ in _imports(bad)] == ["socket", "time"]
