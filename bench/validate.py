"""Validate a generated rig of N fixtures (default 10,000) and a show on it.

Prints the time to validate (best of --repeat runs), fixtures per second, and in the same
run the time PyYAML's C loader takes only to parse the same files, as a baseline.
Last line: ``validate: <n> fixtures in <t> s, <f> fixtures/s, <r>x a bare YAML parse``.
"""

from __future__ import annotations

import os
import sys

# run as a script, this folder comes first on sys.path, where queue.py would hide the
# standard library's queue module: the repository root takes its place
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse
import pathlib
import shutil
import tempfile
import time

import yaml

from lightshow.load.project import validate_paths

REPO = pathlib.Path(__file__).resolve().parents[1]


def write_project(folder: pathlib.Path, n_fixtures: int) -> tuple[pathlib.Path, pathlib.Path]:
    shutil.copytree(REPO / "fixtures", folder / "fixtures")
    (folder / "shows").mkdir()
    lines = ["name: bench rig", "library: [../fixtures]", "patch:"]
    n_buildings = max(1, n_fixtures // 500)
    for i in range(n_fixtures):
        building = i % n_buildings
        if i % 4 == 0:  # a manually patched washer, one universe block per building
            lines.append(f"  - {{id: b{building:03d}-w{i}, profile: wall-washer-rgbw, mode: 6ch, "
                         f"universe: {20000 + i // 80}, address: {(i // 4) % 20 * 6 + 1}, "
                         f"position_m: [{i * 0.5:.1f}, 1.0, 0.5]}}")
        else:           # auto-addressed pixel tubes
            lines.append(f"  - {{id: b{building:03d}-t{i}, profile: pixel-tube-16, universe: "
                         f"{building * 40}, address: auto, position_m: [{i * 0.5:.1f}, 20.0, 0.2]}}")
    lines.append("groups:")
    for building in range(n_buildings):
        lines.append(f"  b{building:03d}: [\"b{building:03d}-*\"]")
    lines.append("  tubes: [\"profile:pixel-tube-16\"]")
    rig = folder / "shows" / "bench.rig.yaml"
    rig.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cues = [f"      - {{target: b{b:03d}, effect: solid, params: {{color: gold}}, duration: 5}}"
            for b in range(n_buildings)]
    show = folder / "shows" / "bench.yaml"
    show.write_text("title: bench\nrig: bench.rig.yaml\nchapters:\n  - id: one\n    cues:\n"
                    + "\n".join(cues) + "\n", encoding="utf-8")
    return rig, show


def best_of(repeat: int, action) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fixtures", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rig, show = write_project(pathlib.Path(tmp), args.fixtures)
        problems = validate_paths([str(show)])
        if problems:
            raise SystemExit("bench project has problems:\n" + "\n".join(p.format() for p in problems))
        texts = [rig.read_text(encoding="utf-8"), show.read_text(encoding="utf-8")]
        parse_s = best_of(args.repeat, lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts])
        validate_s = best_of(args.repeat, lambda: validate_paths([str(show)]))
    rate = args.fixtures / validate_s
    print(f"rig: {args.fixtures} fixtures, {len(texts[0]) / 1e6:.2f} MB of YAML")
    print(f"bare YAML parse (PyYAML CSafeLoader): {parse_s * 1000:.1f} ms")
    print(f"lightshow validate (show + rig + profiles): {validate_s * 1000:.1f} ms")
    print(f"validate: {args.fixtures} fixtures in {validate_s:.3f} s, {rate:,.0f} fixtures/s, "
          f"{validate_s / parse_s:.2f}x a bare YAML parse")


if __name__ == "__main__":
    main()
