"""Import the whole interop sample set (Open Fixture Library JSON and QLC+ .qxf).

Reads every file once into memory, then times converting them all (best of --repeat runs):
parse, assemble our profiles, write their YAML and read it back with our loader.
Also the share of imported modes a show can drive and, per capability, how many channels
are still generic.  A mode is drivable when a cue can set its intensity (a dimmer, or its
emitters' levels) and its colour: by mixing, CMY, a colour wheel, or hue and saturation (HSI,
rendered from the cue's RGB).  A mode without any colour control (dimmer-only, one white,
amber or UV emitter) counts with the colour the fixture gives it, as a lighting professional
counts it, unless a channel named as a colour control was left generic
(lightshow/interop/coverage.py).  Hazers, fans and lasers' pattern channels are not drivable.  Last line: ``import: <n> fixtures, <f> failed, <d>% drivable, <r> fixtures/s``.
"""

from __future__ import annotations

import os
import sys

# run as a script, this folder comes first on sys.path, where queue.py would hide the
# standard library's queue module: the repository root takes its place
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse
import pathlib
import time

from lightshow.files.fixture_import import fixture_files, read_and_import
from lightshow.diagnostics import Severity
from lightshow.interop.coverage import generic_capabilities, mode_drivable
from lightshow.interop.importer import import_fixture

SAMPLES = pathlib.Path("/work/shared/interop")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="*", default=[str(SAMPLES / "ofl" / "fixtures"),
                                                      str(SAMPLES / "qlcplus")])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = fixture_files(args.paths)
    cache: dict[str, dict] = {}
    first = [read_and_import(path, cache) for path in files]  # also loads manufacturers.json
    manufacturers = next(iter(cache.values()), {})
    data = [(path, pathlib.Path(path).read_bytes()) for path in files]
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        results = [import_fixture(raw, path, manufacturers) for path, raw in data]
        best = min(best, time.perf_counter() - start)
    failed = sum(r.failed for r in results)
    n_profiles = sum(len(r.profiles) for r in results)
    n_warnings = sum(d.severity is Severity.WARNING for r in first for d in r.diagnostics)
    print(f"files: {len(files)} ({sum(len(raw) for _, raw in data) / 1e6:.2f} MB)")
    print(f"profiles written: {n_profiles}, warnings: {n_warnings}")
    modes = [mode_drivable(p, m) for r in results for p in r.loaded for m in p.modes.values()]
    drivable = 100 * sum(modes) / max(1, len(modes))
    generic = generic_capabilities([d for r in results for d in r.diagnostics])
    print(f"modes: {len(modes)}, drivable {sum(modes)}; not drivable: "
          + ", ".join(f"{p.id}/{name}" for r in results for p in r.loaded
                      for name, m in p.modes.items() if not mode_drivable(p, m))[:2000])
    print("still generic (channels per capability): "
          + ", ".join(f"{kind} {n}" for kind, n in generic.most_common()))
    print(f"best of {args.repeat}: {best * 1000:.1f} ms")
    print(f"import: {len(files)} fixtures, {failed} failed, {drivable:.1f}% drivable, "
          f"{len(files) / best:.0f} fixtures/s")


if __name__ == "__main__":
    main()
