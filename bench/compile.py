"""Compile a generated show of N universes and D seconds to an FSEQ file.

The rig is RGB pixel tubes (gamma 2.2, 170 pixels per universe) in rows on
facades, plus RGBW washers; the show layers a drifting gradient, chases, a
wipe, a colour cycle and sparse strobe accents in one-minute chapters, as an
architectural show does.  Each compile runs in a child process so its peak RSS
is its own.  In the same run the parent times a plain numpy copy of as many
bytes as the show's frames hold.

The main run is pinned to one core (``sched_setaffinity``) and compiles in one
thread at the default zstd level (1); a second run, on two cores, compiles with
two threads (``compile --jobs 2``: the first renders, the second compresses and renders
when nothing waits to be compressed), and
a third, on one core, at a fast zstd level (``compile --level -5``); both are
printed for comparison; the two-thread run also times the first thread's rendering (its
CPU time, per frame it rendered).  A last child, on one core, times the stages of a compile apart
over the whole show, in the chunks and FSEQ blocks that compiling uses:
rendering, and compressing at the default zstd level (CPU time, which others' work
on a shared machine does not inflate); on every 10th chunk it
also times zstd at the fastest level the format takes here (-7).  However
little rendering costs, a compile writing zstd blocks is no faster than that.  It then renders
the show's chunks once more with no compression between them (which evicts the renderer's
tables and buffers from the caches) and prints that too: rendering on its own.
Rendering between zstd blocks is printed in two parts: mixing colours (the effects' kernels and the
blends) and turning colours into bytes (curves and quantising), whose bulk is a
curve-table lookup for each byte of the gamma-curved pixel tubes, done one at a
time (numba does not vectorise the lookups: it cannot tell the table from the frame
it writes), set against what 150x real time allows a frame.

Last line: ``compile: <x> x realtime on 2 threads, render <r> x realtime on 1 core, peak <m> MiB``
with <r> rendering on its own, as the first thread of a compile on two cores renders (issue 21's
targets: 120x and 150x; the one-core compile's figures are the line before it, and the RSS check
compares a short and a long show, each compiled with two threads, as this machine does by default).
"""

from __future__ import annotations

import os
import sys

# run as a script, this folder comes first on sys.path, where queue.py would hide the
# standard library's queue module: the repository root takes its place
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse
import json
import pathlib
import resource
import shutil
import subprocess
import tempfile
import threading
import time

import numpy as np

from lightshow.protocol.compression_levels import COMPRESSION_LEVELS, DEFAULT_LEVEL

REPO = pathlib.Path(__file__).resolve().parents[1]
FAST_SAMPLE = 10   # the stages run times the fastest zstd level on every 10th chunk
CHAPTER_CUES = """\
  - id: ch{n}
    duration: {length}
    cues:
      - {{target: all, effect: gradient, duration: {length}, fade_in: 2,
         params: {{palette: [river_blue, jade, gold], angle_deg: 30, rate_hz: 0.05}}}}
      - {{target: west, effect: chase, start: 0, duration: {length}, layer: 1, blend: add,
         params: {{color: gold, count: 4, width: 0.15, rate_hz: 0.4, along: direction}}}}
      - {{target: east, effect: wipe, start: 5, duration: {wipe}, layer: 1,
         params: {{color: china_red, angle_deg: 90}}}}
      - {{target: washers, effect: color_cycle, start: 0, duration: {length}, layer: 2,
         params: {{palette: [china_red, gold, jade], period_s: 4}}}}
      - {{target: all, effect: strobe, start: {accent}, duration: 2, layer: 3, blend: screen,
         opacity: 0.5, params: {{rate_hz: 6}}}}
"""


def write_project(folder: pathlib.Path, n_universes: int, duration_s: float) -> pathlib.Path:
    shutil.copytree(REPO / "fixtures", folder / "fixtures", dirs_exist_ok=True)
    (folder / "shows").mkdir(exist_ok=True)
    patch = ["name: bench", "patch:"]
    tubes_per_universe = 170 / 16
    n_tubes = int(n_universes * tubes_per_universe)
    rows = max(1, int(n_tubes ** 0.5 / 2))
    columns = -(-n_tubes // rows)
    half = columns // 2
    patch.append(f"  - {{id: w, profile: pixel-tube-16, universe: 0, address: auto, "
                 f"position_m: [{half / 2:g}, 0, 0], array: {{columns: {half}, rows: {rows}, "
                 f"pitch_m: [1, 0.5]}}}}")
    patch.append(f"  - {{id: e, profile: pixel-tube-16, universe: 0, address: auto, "
                 f"position_m: [{half + (columns - half) / 2:g}, 0, 0], "
                 f"array: {{columns: {columns - half}, rows: {rows}, pitch_m: [1, 0.5]}}}}")
    patch.append("  - {id: wash, profile: wall-washer-rgbw, mode: 6ch, universe: 30000, "
                 "address: auto, position_m: [0, -1, 1], array: {columns: 40, pitch_m: [2, 0]}}")
    patch += ["groups:", "  west: [w]", "  east: [e]", "  washers: [wash]"]
    (folder / "shows" / "bench.rig.yaml").write_text("\n".join(patch) + "\n", encoding="utf-8")
    chapters, left, n = [], duration_s, 0
    while left > 1e-9:
        length = min(60.0, left)
        chapters.append(CHAPTER_CUES.format(n=n, length=f"{length:g}", wipe=f"{max(length - 10, 1):g}",
                                            accent=f"{max(length - 3, 0):g}"))
        left -= length
        n += 1
    show = folder / "shows" / "bench.yaml"
    show.write_text("title: bench\nrig: bench.rig.yaml\nfps: 40\nchapters:\n" + "".join(chapters),
                    encoding="utf-8")
    return show


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def child(show: str, output: str, jobs: int, level: int) -> None:
    if jobs == 1:
        pin_to_one_core()
    from lightshow.files.compiled_file import compile_show
    from lightshow.core.render import ShowRenderer
    from lightshow.load.project import load_show

    loaded = load_show(show)
    # CPU time and frames each thread spends rendering
    spent: dict[str, list[float]] = {}
    render = ShowRenderer.render

    def timed_render(self, start, stop, master=1.0):
        began = time.thread_time()
        frames = render(self, start, stop, master)
        mine = spent.setdefault(threading.current_thread().name, [0.0, 0])
        mine[0] += time.thread_time() - began
        mine[1] += len(frames)
        return frames
    ShowRenderer.render = timed_render
    began = time.perf_counter()
    renderer = ShowRenderer(loaded)
    result = compile_show(loaded, output, renderer=renderer, jobs=jobs, level=level)
    took = time.perf_counter() - began
    first = spent.get("compile-0", [0.0, 0])
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # its threads' too
    print(json.dumps({"seconds": took, "frames": result.n_frames, "channels": result.n_channels,
                      "universes": len(renderer.channel_map.universes), "file_bytes": result.n_bytes,
                      "peak_mib": peak_mib, "fps": loaded.fps,
                      "first_thread_render_s": first[0], "first_thread_frames": first[1],
                      "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None}))


def stages(show: str, level: int, fast_level: int) -> None:
    """Time rendering and zstd apart over the whole show, on one core, in the chunks and
    FSEQ blocks that compiling uses: CPU time of this process, so that other work on the
    core (a shared machine) does not count.  The compiled kernels are warmed up first (about
    0.4 s, once per process, whatever the show's length), so rendering is its cost a frame."""
    pin_to_one_core()
    import io

    import zstandard

    from lightshow.files.compiled_file import keep_freed_memory
    from lightshow.files.fseq_writing import chunk_blocks
    from lightshow.core.render import ShowRenderer
    from lightshow.load.project import load_show
    from lightshow.protocol.fseq_format import fseq_step_ms
    from lightshow.protocol.fseq_writer import FseqWriter
    import lightshow.core.render as render_module

    keep_freed_memory()
    loaded = load_show(show)
    renderer = ShowRenderer(loaded)
    renderer.warm_up()   # compiled kernels compiled or loaded from their cache first, as before playing
    # the part of rendering that turns mixed colours into bytes, timed apart
    bytes_s, write_frames = 0.0, render_module.write_frames

    def timed_write_frames(*args) -> None:
        nonlocal bytes_s
        began = time.process_time()
        write_frames(*args)
        bytes_s += time.process_time() - began
    render_module.write_frames = timed_write_frames
    writer = FseqWriter(renderer.n_channels, fseq_step_ms(loaded.fps))
    writer.begin(io.BytesIO(), renderer.n_frames)
    default, fast = zstandard.ZstdCompressor(level=level), zstandard.ZstdCompressor(level=fast_level)
    render_s = zstd_s = fast_s = 0.0
    fast_bytes = start = 0
    for n, chunk in enumerate(chunk_blocks(writer.block_plan(), renderer.n_frames, renderer.block_frames)):
        began = time.process_time()
        frames = renderer.render(start, start + sum(chunk))
        render_s += time.process_time() - began
        blocks = np.split(frames, np.cumsum(chunk)[:-1])
        began = time.process_time()
        for block in blocks:
            default.compress(block.data)
        zstd_s += time.process_time() - began
        if n % FAST_SAMPLE == 0:  # not every chunk, so as to disturb the other timings little
            began = time.process_time()
            for block in blocks:
                fast.compress(block.data)
            fast_s += time.process_time() - began
            fast_bytes += frames.nbytes
        start += sum(chunk)
    # the same chunks again with no compression between them, which evicts the render's
    # tables and buffers from the caches: rendering on its own, as a render-only job would
    began, start = time.process_time(), 0
    for chunk in chunk_blocks(writer.block_plan(), renderer.n_frames, renderer.block_frames):
        renderer.render(start, start + sum(chunk))
        start += sum(chunk)
    render_only_s = time.process_time() - began
    lookups = sum(int(runs.length.sum()) for runs in renderer.channel_map.rgb_runs
                  if runs.curve.kind != "linear")
    print(json.dumps({"render_s": render_s, "bytes_s": bytes_s, "zstd_s": zstd_s,
                      "render_only_s": render_only_s,
                      "fast_bytes_per_s": fast_bytes / fast_s, "lookups_per_frame": lookups}))


def run_script(*args) -> dict:
    """This script run as a child with ``args``: the JSON line it prints last."""
    # the child imports this checkout's lightshow, not whichever one is installed
    paths = [str(REPO), os.environ.get("PYTHONPATH")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, paths)))
    done = subprocess.run([sys.executable, __file__, *map(str, args)],
                          check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_stages(folder: pathlib.Path, n_universes: int, duration_s: float, level: int,
               fast_level: int) -> dict:
    show = write_project(folder, n_universes, duration_s)
    return run_script("--stages", show, level, fast_level)


def run_child(folder: pathlib.Path, n_universes: int, duration_s: float, jobs: int = 1,
              level: int = 1) -> dict:
    show = write_project(folder, n_universes, duration_s)
    output = folder / "bench.fseq"
    result = run_script("--child", show, output, jobs, level)
    output.unlink()
    return result


def memcpy_rate(n_bytes: int) -> float:
    """Bytes per second of a plain numpy copy of ``n_bytes`` in 16 MiB pieces."""
    block = 16 * 1024 * 1024
    src = np.random.default_rng(0).integers(0, 255, block, dtype=np.uint8)
    dst = np.empty_like(src)
    np.copyto(dst, src)  # untimed: the first copy also faults the destination's pages in
    copies = max(1, n_bytes // block)
    began = time.perf_counter()
    for _ in range(copies):
        np.copyto(dst, src)
    return copies * block / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--universes", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--rss-short", type=float, default=60.0)
    parser.add_argument("--rss-long", type=float, default=1200.0)
    parser.add_argument("--skip-rss", action="store_true", help="only the main run")
    parser.add_argument("--skip-jobs", action="store_true", help="no two-thread run")
    parser.add_argument("--fast-level", type=int, default=-5,
                        help="also compile on one core at this zstd level, for comparison "
                             "(default -5)")
    parser.add_argument("--skip-fast", action="store_true", help="no fast-level run")
    parser.add_argument("--skip-stages", action="store_true",
                        help="no run timing rendering and zstd apart")
    parser.add_argument("--stages", nargs=3, metavar=("SHOW", "LEVEL", "FAST"), help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=4, metavar=("SHOW", "OUT", "JOBS", "LEVEL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]), int(args.child[3]))
        return
    if args.stages:
        stages(args.stages[0], int(args.stages[1]), int(args.stages[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        main_run = run_child(pathlib.Path(tmp) / "main", args.universes, args.seconds)
        two = None if args.skip_jobs else run_child(pathlib.Path(tmp) / "two", args.universes,
                                                          args.seconds, jobs=2)
        fast = None if args.skip_fast else run_child(pathlib.Path(tmp) / "fast", args.universes,
                                                           args.seconds, level=args.fast_level)
        split = None if args.skip_stages else run_stages(
            pathlib.Path(tmp) / "stages", args.universes, args.seconds, DEFAULT_LEVEL,
            COMPRESSION_LEVELS["zstd"][0])
        rss = {}
        if not args.skip_rss:
            for label, seconds in (("short", args.rss_short), ("long", args.rss_long)):
                rss[label] = run_child(pathlib.Path(tmp) / label, args.universes, seconds, jobs=2)
    frames, seconds = main_run["frames"], main_run["seconds"]
    out_bytes = frames * main_run["channels"]
    realtime = frames / main_run["fps"] / seconds
    copy_rate = memcpy_rate(out_bytes)
    ratio = (out_bytes / seconds) / copy_rate
    print(f"show: {main_run['universes']} universes, {frames} frames "
          f"({frames / main_run['fps']:.0f} s at {main_run['fps']:g} fps), "
          f"{out_bytes / 1e9:.2f} GB of DMX, file {main_run['file_bytes'] / 1e6:.1f} MB (zstd)")
    print(f"compile on {main_run['cores']} core, 1 thread: {seconds:.2f} s, "
          f"{frames / seconds:,.0f} frames/s, {out_bytes / seconds / 1e9:.2f} GB/s")
    if two is not None:
        print(f"compile on {two['cores']} cores, 2 threads: "
              f"{two['seconds']:.2f} s, {frames / two['seconds'] / main_run['fps']:.1f} x realtime, "
              f"{out_bytes / two['seconds'] / copy_rate:.3f} of memcpy, peak {two['peak_mib']:.0f} MiB")
        rendered_s, rendered = two["first_thread_render_s"], two["first_thread_frames"]
        if rendered:
            print(f"  its first thread rendered {rendered} frames in {rendered_s:.2f} s of CPU time: "
                  f"{rendered_s / rendered * 1e6:.0f} us a frame, "
                  f"{rendered / main_run['fps'] / rendered_s:.1f} x realtime")
    if fast is not None:
        print(f"compile on {fast['cores']} core, 1 thread, zstd level {args.fast_level}: "
              f"{fast['seconds']:.2f} s, {frames / fast['seconds'] / main_run['fps']:.1f} x realtime, "
              f"file {fast['file_bytes'] / 1e6:.1f} MB")
    print(f"numpy copy of the same bytes: {copy_rate / 1e9:.2f} GB/s")
    if split is not None:
        fastest, fast_rate = COMPRESSION_LEVELS["zstd"][0], split["fast_bytes_per_s"]
        print(f"stages on 1 core, timed apart (CPU time): rendering between zstd blocks "
              f"{split['render_s']:.2f} s ({frames / main_run['fps'] / split['render_s']:.1f} x realtime), "
              f"zstd level "
              f"{DEFAULT_LEVEL} {split['zstd_s']:.2f} s (100 x realtime allows "
              f"{frames / main_run['fps'] / 100:.2f} s for all)")
        print(f"zstd alone at level {fastest} (every {FAST_SAMPLE}th chunk): {fast_rate / 1e9:.2f} GB/s, "
              f"{fast_rate / copy_rate:.3f} of memcpy, {out_bytes / fast_rate:.2f} s for the show")
        mixing_s = split["render_s"] - split["bytes_s"]
        print(f"rendering between zstd blocks on 1 core: mixing colours (effects and blends) {mixing_s:.2f} s "
              f"({mixing_s / frames * 1e6:.0f} us a frame), colours to bytes {split['bytes_s']:.2f} s "
              f"({split['bytes_s'] / frames * 1e6:.0f} us a frame, of which a curve-table lookup "
              f"for each of {split['lookups_per_frame']:,} bytes); 150 x realtime allows "
              f"{1e6 / main_run['fps'] / 150:.0f} us a frame for both")
        print(f"rendering on 1 core with no compression between chunks: {split['render_only_s']:.2f} s, "
              f"{split['render_only_s'] / frames * 1e6:.0f} us a frame, "
              f"{frames / main_run['fps'] / split['render_only_s']:.1f} x realtime (the last line's render "
              f"figure)")
    if rss:
        short, long = rss["short"], rss["long"]
        print(f"peak RSS, 2 threads: {short['peak_mib']:.0f} MiB for {args.rss_short:g} s, "
              f"{long['peak_mib']:.0f} MiB for {args.rss_long:g} s "
              f"({(long['peak_mib'] / short['peak_mib'] - 1) * 100:+.1f}%)")
    print(f"compile on 1 core: {realtime:.1f} x realtime, {ratio:.3f} of memcpy, "
          f"peak {main_run['peak_mib']:.0f} MiB")
    two_x = f"{frames / two['seconds'] / main_run['fps']:.1f}" if two is not None else "n/a"
    render_x = f"{frames / main_run['fps'] / split['render_only_s']:.1f}" if split is not None else "n/a"
    peak = max([main_run["peak_mib"]] + ([two["peak_mib"]] if two is not None else []))
    print(f"compile: {two_x} x realtime on 2 threads, render {render_x} x realtime on 1 core, "
          f"peak {peak:.0f} MiB")


if __name__ == "__main__":
    main()
