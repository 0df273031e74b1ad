"""The ``lightshow`` command and its one error boundary.

Exit codes: 0 success, 1 a problem in the user's input (diagnostics printed),
2 a usage error, 3 a bug in lightshow, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import traceback
from typing import Sequence

from lightshow.errors import DiagnosticsError, LightshowError, UsageError

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def cmd_validate(args: argparse.Namespace) -> int:
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


def parse_range(text: str, show) -> tuple[int, int]:
    """``START..END`` (seconds or mm:ss.fff, either may be empty) or a chapter id -> frames."""
    from lightshow.core.timebase import frame_of
    from lightshow.schema.fields import parse_seconds

    for chapter in show.chapters:
        if chapter.id == text:
            return frame_of(chapter.start_s, show.fps), frame_of(chapter.end_s, show.fps)
    if ".." not in text:
        chapters = ", ".join(c.id for c in show.chapters)
        raise UsageError(f"--range expects START..END (seconds or mm:ss) or a chapter id "
                         f"({chapters}), found '{text}'")
    start_text, end_text = text.split("..", 1)
    start = parse_seconds(start_text) if start_text else 0.0
    end = parse_seconds(end_text) if end_text else math.inf  # open: to the show's end
    if start is None or end is None or not 0 <= start < end:
        raise UsageError(f"--range expects START..END with 0 <= START < END, found '{text}'")
    start_frame, stop_frame = frame_of(start, show.fps), frame_of(min(end, show.duration_s), show.fps)
    if start_frame >= stop_frame:
        raise LightshowError(_empty_range_message(text, start, show))
    return start_frame, stop_frame


def _seconds_text(seconds: float) -> str:
    """``1.3``, ``540``, ``0.013``: seconds to the millisecond, without trailing zeros."""
    return f"{seconds:.3f}".rstrip("0").rstrip(".")


def _empty_range_message(text: str, start_s: float, show) -> str:
    """Why a well-formed ``--range`` holds no frame of ``show`` (a user error, not usage)."""
    length_s = _seconds_text(show.duration_s)
    if start_s > show.duration_s:
        return f"--range {text} starts after the show ends ({length_s} s)"
    if start_s == show.duration_s:
        return f"--range {text} starts where the show ends ({length_s} s)"
    return f"--range {text} holds no frame (frames are 1/{show.fps:g} s apart; the show is {length_s} s)"


def _warn_about_step_drift(fps: float, n_frames: int) -> None:
    """One line on stderr when FSEQ's whole-millisecond step makes players drift from ``fps``."""
    from lightshow.protocol.fseq import fseq_step_drift

    drift = fseq_step_drift(fps, n_frames)
    if drift is None:
        return
    way = "ahead" if drift.drift_s < 0 else "behind"
    drift_s = abs(drift.drift_s)
    drift_text = f"{drift_s:.2g}" if drift_s < 1 else _seconds_text(drift_s)
    print(f"lightshow: warning: {fps:g} fps is written as a {drift.step_ms} ms FSEQ step (whole "
          f"milliseconds), so Falcon Player plays it at {drift.played_fps:.3f} fps and runs "
          f"{drift_text} s {way} over {_seconds_text(n_frames / fps)} s; "
          f"an fps that divides 1000 (20, 25, 40) does not drift", file=sys.stderr)


def cmd_compile(args: argparse.Namespace) -> int:
    import os
    import time

    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from lightshow.files.compiled_file import compile_show
    from lightshow.core.render import ShowRenderer
    from lightshow.load.project import load_show

    level = _compression_level(args)
    show = load_show(args.show)
    renderer = ShowRenderer(show)
    start, stop = parse_range(args.range, show) if args.range else (0, renderer.n_frames)
    output = args.output or _default_output(args.show, ".fseq")
    _warn_about_step_drift(show.fps, stop - start)
    began = time.perf_counter()
    with Progress(TextColumn("[bold]compiling[/bold] {task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} frames"), TimeRemainingColumn(),
                  disable=args.quiet, transient=True) as progress:
        task = progress.add_task(os.path.basename(args.show), total=stop - start)
        result = compile_show(show, output, start, stop, args.compression,
                              lambda done, total: progress.update(task, completed=done),
                              renderer, args.jobs, level)
    took = time.perf_counter() - began
    seconds = result.n_frames / show.fps
    print(f"compiled {args.show} -> {result.path}: {result.n_frames} frames "
          f"({seconds:.1f} s at {show.fps:g} fps), {len(renderer.channel_map.universes)} universes, "
          f"{result.n_bytes / 1e6:.1f} MB, in {took:.1f} s ({seconds / took:.0f}x real time)")
    return EXIT_OK


def parse_pacing(text: str):
    """``PACKETS/GAP_MS`` (e.g. ``4/2.5``) -> BurstPacing."""
    from lightshow.output.pacer import BurstPacing

    packets, _, gap = text.partition("/")
    try:
        pacing = BurstPacing(int(packets), float(gap) / 1000.0)
    except ValueError:
        raise UsageError(f"--pace expects PACKETS/GAP_MS with PACKETS >= 1 and GAP_MS >= 0 "
                         f"(e.g. 4/2.5), found '{text}'") from None
    return pacing


def cmd_send(args: argparse.Namespace) -> int:
    import contextlib
    import logging

    from lightshow.output.artnet_sender import ArtNetSender
    from lightshow.files.compiled_file import CompiledShow
    from lightshow.output.discovery import Discovery
    from lightshow.output.sacn_sender import SacnSender
    from lightshow.playback.show_player import node_routes
    from lightshow.playback.stream import FileSource, RenderSource, stream
    from lightshow.core.render import ShowRenderer
    from lightshow.load.project import load_show
    from lightshow.protocol.timecode import TIMECODE_KINDS

    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    default_pacing = parse_pacing(args.pace) if args.pace else None
    nodes = []
    if args.path.endswith(".fseq"):
        source = FileSource(CompiledShow(args.path))
        if args.range:
            raise UsageError("--range needs a show file, not a compiled .fseq")
        start, stop = 0, source.n_frames
    else:
        show = load_show(args.path)
        source = RenderSource(ShowRenderer(show))
        nodes = list(show.rig.nodes)
        start, stop = parse_range(args.range, show) if args.range else (0, source.n_frames)
    routes = node_routes(source.universes, nodes, args.to, args.port)
    unrouted = [u for u, a in zip(source.universes, routes.artnet) if a == []]
    if unrouted and not args.broadcast and not args.poll:
        raise UsageError(f"no node serves universes {unrouted[:8]}; give --to IP, --poll ADDRESS "
                         f"(to the nodes that announce them) or --broadcast")
    sacn_rows = routes.sacn_rows
    sacn = SacnSender([source.universes[i] for i in sacn_rows],
                      [routes.sacn[i] for i in sacn_rows]) if sacn_rows else None

    def send(frame, at, frame_idx):
        sender.send_frame(frame, at, show_s=frame_idx / source.fps)
        if sacn is not None:
            sacn.send_frame(frame[sacn_rows], at)

    with contextlib.ExitStack() as stack:
        discovery = stack.enter_context(Discovery(args.poll, args.bind)) if args.poll else None
        sender = stack.enter_context(ArtNetSender(
            source.universes, routes.artnet, sync=not args.no_sync, broadcast=args.broadcast,
            nodes=discovery, pacing=routes.pacing, default_pacing=default_pacing,
            timecode=TIMECODE_KINDS[args.timecode] if args.timecode else None))
        try:
            frames = stream(source, send, start, stop, loop=args.loop)
        finally:
            if sacn is not None:
                sacn.close()  # stream termination
    print(f"sent {frames} frames of {len(source.universes)} universes: "
          f"{sender.stats.packets + sender.stats.paced} ArtDmx packets"
          + (f" ({sender.stats.paced} paced)" if sender.stats.paced else "")
          + f", {sender.stats.errors} send errors"
          + (f", sACN on {len(sacn_rows)} universes" if sacn_rows else ""))
    return EXIT_OK


def cmd_nodes(args: argparse.Namespace) -> int:
    import time

    from lightshow.output.discovery import Discovery

    universes: list[int] = []
    if args.rig:
        from lightshow.diagnostics import has_errors, sorted_unique
        from lightshow.load.project import Project, detect_kind
        from lightshow.load.source import read_source

        project = Project()
        if detect_kind(read_source(args.rig).root) == "show":
            show, problems = project.load_show(args.rig)
            rig = show.rig if show else None
        else:
            rig, problems = project.load_rig(args.rig)
        if rig is None or has_errors(problems):
            from lightshow.errors import DiagnosticsError
            raise DiagnosticsError(sorted_unique(problems))
        universes = rig.universes()
    with Discovery(args.poll, args.bind, poll_interval_s=args.interval) as discovery:
        time.sleep(args.seconds)
        nodes = discovery.nodes()
        unserved = discovery.unserved(universes)
    print(f"{'node':<16} {'name':<18} {'state':<8} universes")
    for node in sorted(nodes, key=lambda n: n.ip):
        served = ", ".join(str(u) for u in node.all_universes) or "-"
        print(f"{node.ip:<16} {node.short_name:<18} {'online' if node.online else 'OFFLINE':<8} "
              f"{served}")
    if not nodes:
        print("(no node answered ArtPoll)")
    if args.rig:
        if unserved:
            shown = ", ".join(str(u) for u in unserved[:40]) + (" ..." if len(unserved) > 40 else "")
            print(f"{len(unserved)} of {len(universes)} rig universes have no live node: {shown}")
        else:
            print(f"all {len(universes)} rig universes are served by a live node")
    return EXIT_OK


def cmd_queue(args: argparse.Namespace) -> int:
    import os

    from lightshow.queue.content_store import DB_NAME, ContentStore, RateLimit

    if args.action == "serve":
        import uvicorn

        from lightshow.queue.content_web import create_content_app

        token = args.token or os.environ.get("LIGHTSHOW_MODERATOR_TOKEN", "")
        rate = RateLimit(max_uploads=args.rate, max_pending=max(args.rate, RateLimit.max_pending))
        uvicorn.run(create_content_app(args.store, token, rate=rate), host=args.host,
                    port=args.port, log_level="warning")
        return EXIT_OK
    if not os.path.exists(os.path.join(args.store, DB_NAME)):
        raise LightshowError(f"no content store in '{args.store}'")
    with ContentStore(args.store) as store:
        if args.action == "list":
            for w in store.list(None if args.state == "all" else args.state):
                made = " · ".join(x for x in (w.name, w.city) if x) or "-"
                print(f"{w.id:>5}  {w.state:<8}  {w.width}x{w.height} {w.n_frames}f  {w.title}  ({made})"
                      + (f"  [{w.reason}]" if w.reason else ""))
            print(", ".join(f"{n} {s}" for s, n in store.counts().items()), file=sys.stderr)
            return EXIT_OK
        if args.id is None:
            raise UsageError(f"queue {args.action} needs the work's number")
        step = {"approve": store.approve, "reject": store.reject, "remove": store.remove}[args.action]
        work = step(args.id, f"cli:{os.environ.get('USER', '?')}", args.reason or "")
        print(f"{work.id}: {work.state}  {work.title}")
    return EXIT_OK


def cmd_fixtures_import(args: argparse.Namespace) -> int:
    import os

    from lightshow.files.fixture_import import import_paths
    from lightshow.diagnostics import Severity

    for path in args.paths:
        if not os.path.exists(path):
            raise UsageError(f"no such file or folder: '{path}'")
    run = import_paths(args.paths, args.output)
    for diagnostic in run.diagnostics:
        if diagnostic.severity is Severity.ERROR or not args.quiet:
            print(diagnostic.format())
    print(f"imported {run.n_files - run.n_failed} of {run.n_files} fixture files into "
          f"{len(run.written)} profiles in {args.output}, {run.n_failed} failed", file=sys.stderr)
    return EXIT_USER if run.n_failed else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from lightshow.files.fseq_export import export_fseq
    from lightshow.core.timebase import n_frames_of
    from lightshow.load.project import load_show

    level = _compression_level(args)
    show = load_show(args.show)
    _warn_about_step_drift(show.fps, n_frames_of(show.duration_s, show.fps))
    result = export_fseq(show, args.fseq, args.compression, args.sparse, jobs=args.jobs, level=level)
    print(f"exported {args.show} -> {result.path}: {result.n_frames} frames, {result.n_channels} "
          f"channels per frame{' (sparse)' if args.sparse else ''}, {result.n_bytes / 1e6:.1f} MB")
    return EXIT_OK


def cmd_inspect(args: argparse.Namespace) -> int:
    from lightshow.files.fseq_inspect import inspect_fseq

    print("\n".join(inspect_fseq(args.file, args.frame)))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from lightshow.load.schemas import SCHEMAS

    print(json.dumps(SCHEMAS[args.kind](), indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_effects(args: argparse.Namespace) -> int:
    from lightshow.core.effects import EFFECTS

    for name, effect in EFFECTS.items():
        print(f"{name}: {effect.description}")
        for key, spec in effect.params.fields.items():
            default = "" if spec.default is None else f" (default {_show_default(spec.default)})"
            doc = f" — {spec.doc}" if spec.doc else ""
            expected = "colour" if "colour (" in spec.type.expected else spec.type.expected
            print(f"    {key}: {expected}{default}{doc}")
    return EXIT_OK


def cmd_preview(args: argparse.Namespace) -> int:
    from simulator import headless
    from simulator.app import open_preview, parse_moment, parse_size

    size = parse_size(args.size)
    preview = open_preview(args.show, args.compiled, size, glow=not args.no_glow)
    try:
        if args.sheet:
            output = args.output or _default_output(args.show, "-sheet.png")
            headless.sheet(preview.frames, preview.painter, output)
        elif args.video:
            output = args.video
            start_s = parse_moment(args.start, preview.show) if args.start else 0.0
            duration_s = args.duration if args.duration else preview.show.duration_s - start_s
            with _progress(args.quiet, "rendering video") as progress:
                encoder = headless.video(preview.frames, preview.painter, output, start_s, duration_s,
                                         progress)
            output = f"{output} ({encoder})"
        else:
            at_s = parse_moment(args.at, preview.show) if args.at else 0.0
            output = args.output or _default_output(args.show, f"-{at_s:07.2f}s.png")
            headless.still(preview.frames, preview.painter, at_s, output)
    finally:
        preview.frames.close()
    print(f"wrote {output}", file=sys.stderr)
    return EXIT_OK


def cmd_simulate(args: argparse.Namespace) -> int:
    from simulator.app import open_preview, parse_moment, parse_size, require_display
    from simulator.window import LiveController, ShowController, run_window

    require_display()
    size = parse_size(args.size)
    preview = open_preview(args.show, args.compiled, size)
    if args.live:
        from simulator.sources import LiveArtnet

        with LiveArtnet(preview.frames.renderer.channel_map.universes, args.bind, args.port) as live:
            run_window(preview.painter, LiveController(live.start()), f"{preview.show.title} (live)")
    else:
        start_s = parse_moment(args.at, preview.show) if args.at else 0.0
        run_window(preview.painter, ShowController(preview.frames, start_s), preview.show.title)
    preview.frames.close()
    return EXIT_OK


def _player_for(args, sinks_of):
    """Load the show, pick its frames (a current compiled file, else rendered ahead), open a player."""
    import logging
    import os

    from lightshow.playback.show_player import compiled_is_current, open_player
    from lightshow.load.project import load_show

    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    show = load_show(args.show)
    compiled = args.compiled
    default = _default_output(args.show, ".fseq")
    if compiled is None and compiled_is_current(show, default):
        compiled = default
    if compiled and not os.path.exists(compiled):
        raise UsageError(f"no compiled show '{compiled}' (make it with: lightshow compile {args.show})")
    universes = show.rig.universes()
    store = None
    if args.content:
        from lightshow.queue.content_store import ContentStore

        store = ContentStore(args.content)
    player = open_player(show, compiled, sinks_of(show, universes), content=store)
    print(f"{show.title}: {len(universes)} universes, frames "
          + (f"from {compiled}" if compiled else "rendered ahead in memory"), file=sys.stderr)
    return show, player, store


def _outputs(args):
    from lightshow.playback.show_player import Outputs

    return Outputs(to=None if args.rig_nodes else args.to, port=args.port, sync=not args.no_sync)


def cmd_play(args: argparse.Namespace) -> int:
    from lightshow.playback.show_player import output_sinks
    from lightshow.playback.sinks import LatestFrameSink
    from simulator.app import has_display, parse_size, preview_of

    window = has_display() and not args.no_window
    size = parse_size(args.size)
    latest = None

    def sinks_of(show, universes):
        nonlocal latest
        latest = LatestFrameSink(len(universes) * 512)
        return output_sinks(show, universes, _outputs(args)) + ([latest] if window else [])
    show, player, _ = _player_for(args, sinks_of)
    if args.at:
        from simulator.app import parse_moment

        player.seek_s(parse_moment(args.at, show))
    preview = preview_of(show, None, size)
    if not window:
        from simulator import headless

        sheet = _default_output(args.show, "-sheet.png")
        headless.sheet(preview.frames, preview.painter, sheet)
        print(f"no display: wrote a preview of every chapter to {sheet}", file=sys.stderr)
    player.set_loop(args.loop)
    player.play()
    player.start()
    target = "the rig's nodes" if args.rig_nodes else f"{args.to}:{args.port}"
    print(f"playing to Art-Net {target}; Ctrl-C stops with a blackout fade", file=sys.stderr)
    try:
        if window:
            from simulator.window import PlayerController, run_window

            run_window(preview.painter, PlayerController(player, latest), show.title, max_fps=show.fps)
        else:
            _follow(player, args.duration)
    except KeyboardInterrupt:
        pass
    player.close(fade_s=1.0)
    stats = player.stats
    print(f"sent {stats.ticks} frames; {stats.held} repeated a frame not ready in time, "
          f"{stats.late_ticks} skipped as late", file=sys.stderr)
    return EXIT_OK


def _follow(player, duration_s) -> None:
    """Print where the show is until it ends (or ``duration_s`` has passed)."""
    import time

    start, last = time.monotonic(), None
    while duration_s is None or time.monotonic() - start < duration_s:
        status = player.status()
        line = f"{status['chapter_title'] or ''}  {', '.join(status['cues'])}"
        if line != last:
            print(f"{status['time_s']:7.1f} s  {line}", file=sys.stderr)
            last = line
        if status["state"] == "ended":
            return
        time.sleep(0.25)


def _slot_target(show):
    """What the submission page previews works on: the show's first artwork slot, else the whole rig."""
    from lightshow.core.pixelmap import PixelMap

    slots = [cue.fixture_ids for cue in show.cues() if cue.effect == "artwork" and cue.fixture_ids]
    return PixelMap(show.rig).target(slots[0] if slots else tuple(f.id for f in show.rig.fixtures))


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from lightshow.output.discovery import Discovery
    from lightshow.control.http_control import create_app
    from lightshow.control.osc_control import OscControl
    from lightshow.playback.show_player import output_sinks

    token = args.token or os.environ.get("LIGHTSHOW_TOKEN", "")
    if not token:
        raise UsageError("serve needs a token for commands: --token T or LIGHTSHOW_TOKEN")
    show, player, store = _player_for(args, lambda show, universes: output_sinks(show, universes, _outputs(args)))
    discovery = None
    if args.discover:
        discovery = Discovery(sorted({n.ip for n in show.rig.nodes}) or ["255.255.255.255"], args.bind).start()

    def nodes():
        seen = {n.ip: n for n in (discovery.nodes() if discovery else [])}
        return [{"ip": n.ip, "name": n.name, "universes": f"{n.first_universe}-{n.last_universe}",
                 "online": bool(seen.get(n.ip) and seen[n.ip].online) if discovery else None}
                for n in show.rig.nodes]
    osc = OscControl(player, args.bind, args.osc_port, allow=args.allow).start()
    routers = []
    if store is not None:
        from lightshow.queue.content_web import content_router

        moderator_token = args.moderator_token or os.environ.get("LIGHTSHOW_MODERATOR_TOKEN", "")
        from simulator.artwork_preview import artwork_preview

        routers.append(content_router(store, moderator_token, facades=lambda: _slot_target(show),
                                      preview=artwork_preview(show)))
    app = create_app(player, token, nodes=nodes, routers=routers)
    server = uvicorn.Server(uvicorn.Config(app, host=args.bind, port=args.http_port, log_level="warning"))
    player.start()
    print(f"serving {show.title}: OSC on {args.bind}:{args.osc_port}, HTTP on http://{args.bind}:{args.http_port}/",
          file=sys.stderr)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        osc.close()
        if discovery:
            discovery.close()
        player.close(fade_s=args.stop_fade)
    return EXIT_OK


def _default_output(show_path: str, suffix: str) -> str:
    import os

    return os.path.join("build", os.path.splitext(os.path.basename(show_path))[0] + suffix)


def _progress(quiet: bool, label: str):
    """A context giving a progress(done, total) callback: a rich bar, or nothing when quiet."""
    import contextlib

    if quiet:
        return contextlib.nullcontext(None)
    from rich.progress import Progress

    @contextlib.contextmanager
    def bar():
        with Progress(transient=True) as shown:
            task = shown.add_task(label, total=None)
            yield lambda done, total: shown.update(task, completed=done, total=total)
    return bar()


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _add_compression_arguments(p: argparse.ArgumentParser) -> None:
    from lightshow.protocol.compression_levels import COMPRESSION_LEVELS, DEFAULT_LEVEL

    p.add_argument("--compression", choices=("zstd", "zlib", "none"), default="zstd")
    ranges = ", ".join(f"{name} {low}..{high}" for name, (low, high) in COMPRESSION_LEVELS.items())
    p.add_argument("--level", type=int, default=DEFAULT_LEVEL, metavar="N",
                   help=f"compression level ({ranges}; default {DEFAULT_LEVEL}): lower is "
                        "faster, higher makes smaller files")


def _compression_level(args: argparse.Namespace) -> int:
    """``--level``, checked against ``--compression`` before anything is rendered."""
    from lightshow.errors import FormatError
    from lightshow.protocol.fseq import check_level

    try:
        check_level(args.compression, args.level)
    except FormatError as exc:
        raise UsageError(f"--level: {exc}") from exc
    return args.level


def _add_jobs_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("-j", "--jobs", type=_positive_int, default=None, metavar="N",
                   help="processes rendering and compressing in parallel "
                        "(default: the cores available, at most 4; 1: this process only)")


def _show_default(value) -> str:
    if isinstance(value, tuple) and len(value) == 3 and all(isinstance(v, float) for v in value):
        return "#" + "".join(f"{round(v * 255):02x}" for v in value)
    if isinstance(value, tuple) and value and all(isinstance(v, tuple) for v in value):
        return "[" + ", ".join(_show_default(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lightshow", description=(
        "Show control for architectural light shows: validate and compile YAML shows, "
        "play them to Art-Net, preview them."))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("validate", help="check shows, rigs and fixture profiles")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders of .yaml files")
    p.add_argument("--kind", choices=("show", "rig", "fixture"),
                   help="read every file as this kind (default: tell by its keys)")
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing when clean")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("compile", help="compile a show into an FSEQ file of DMX frames")
    p.add_argument("show", metavar="SHOW", help="show file")
    p.add_argument("-o", "--output", metavar="FILE", help="default: build/<show>.fseq")
    p.add_argument("--range", metavar="START..END|CHAPTER",
                   help="compile part of the show: seconds or mm:ss.fff, or a chapter id")
    _add_compression_arguments(p)
    _add_jobs_argument(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_compile)

    p = sub.add_parser("send", help="stream a show or compiled .fseq out as Art-Net")
    p.add_argument("path", metavar="SHOW_OR_FILE")
    p.add_argument("--to", metavar="IP", help="send every universe to this address "
                   "(default: the rig's nodes)")
    p.add_argument("--port", type=int, default=6454, help="UDP port with --to (default 6454)")
    p.add_argument("--poll", nargs="+", metavar="ADDRESS",
                   help="discover nodes (ArtPoll to ADDRESS, e.g. 2.255.255.255) and send the "
                        "universes the rig gives no node to the live nodes that announce them")
    p.add_argument("--bind", default="0.0.0.0", help="with --poll: address to listen on for "
                   "ArtPollReply (default 0.0.0.0)")
    p.add_argument("--broadcast", metavar="ADDRESS",
                   help="legacy: broadcast the universes no node serves to ADDRESS "
                        "(e.g. 2.255.255.255)")
    p.add_argument("--pace", metavar="PACKETS/GAP_MS",
                   help="for small nodes: at most PACKETS packets in a row to a node, then "
                        "GAP_MS of quiet (nodes paced in the rig keep theirs)")
    p.add_argument("--timecode", choices=("24", "25", "29.97df", "30"),
                   help="also send the show time as ArtTimeCode at this frame rate")
    p.add_argument("--no-sync", action="store_true", help="no ArtSync after each frame")
    p.add_argument("--range", metavar="START..END|CHAPTER")
    p.add_argument("--loop", action="store_true", help="start again at the end")
    p.set_defaults(func=cmd_send)

    p = sub.add_parser("nodes", help="find Art-Net nodes (ArtPoll) and check the rig's universes")
    p.add_argument("--rig", metavar="RIG_OR_SHOW", help="flag this rig's universes no node serves")
    p.add_argument("--poll", nargs="+", default=["255.255.255.255"], metavar="ADDRESS",
                   help="where ArtPoll goes (default: broadcast)")
    p.add_argument("--bind", default="0.0.0.0", help="address to listen on for replies")
    p.add_argument("--seconds", type=float, default=4.0, help="how long to listen")
    p.add_argument("--interval", type=float, default=3.0, help="seconds between polls")
    p.set_defaults(func=cmd_nodes)

    def output_options(p):
        p.add_argument("--compiled", metavar="FILE.fseq",
                       help="frames from this compiled show (default: build/<show>.fseq when it is "
                            "newer than the show, else rendered ahead in memory)")
        p.add_argument("--to", default="127.0.0.1", metavar="IP", help="send every universe here")
        p.add_argument("--port", type=int, default=6454, help="UDP port with --to")
        p.add_argument("--rig-nodes", action="store_true", help="send to the rig's nodes instead of --to")
        p.add_argument("--no-sync", action="store_true", help="no ArtSync after each frame")
        p.add_argument("--content", metavar="DIR", help="a content store: artwork slots play approved works")

    p = sub.add_parser("play", help="play a show: Art-Net to 127.0.0.1 and the simulator window "
                       "(without a display: a preview picture, then Art-Net)")
    p.add_argument("show", metavar="SHOW")
    output_options(p)
    p.add_argument("--at", metavar="TIME|ID", help="start here")
    p.add_argument("--loop", action="store_true")
    p.add_argument("--duration", type=float, metavar="SECONDS", help="without a window: stop after this long")
    p.add_argument("--no-window", action="store_true", help="no simulator window")
    p.add_argument("--size", default="1280x720", metavar="WxH")
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("serve", help="play a show for production: Art-Net to the rig's nodes, OSC and HTTP control")
    p.add_argument("show", metavar="SHOW")
    output_options(p)
    p.add_argument("--bind", default="0.0.0.0", help="address for OSC and HTTP")
    p.add_argument("--osc-port", type=int, default=9000)
    p.add_argument("--http-port", type=int, default=8080)
    p.add_argument("--token", help="needed by HTTP commands (default: $LIGHTSHOW_TOKEN)")
    p.add_argument("--allow", nargs="+", metavar="NET", help="OSC only from these addresses/networks")
    p.add_argument("--discover", action="store_true", help="poll the rig's nodes (ArtPoll) for node status")
    p.add_argument("--stop-fade", type=float, default=2.0, metavar="SECONDS", help="blackout fade on Ctrl-C")
    p.add_argument("--moderator-token", help="with --content: the moderators' token "
                   "(default: $LIGHTSHOW_MODERATOR_TOKEN)")
    p.set_defaults(func=cmd_serve, to=None)   # production: the rig's nodes unless --to

    p = sub.add_parser("preview", help="draw a show headless: a picture, a contact sheet or a video")
    p.add_argument("show", metavar="SHOW", help="show file")
    p.add_argument("--compiled", metavar="FILE.fseq", help="read frames from this compiled show")
    p.add_argument("--at", metavar="TIME|ID", help="seconds, mm:ss.fff, or a chapter or cue id")
    p.add_argument("-o", "--output", metavar="FILE", help="picture to write (default: build/...)")
    p.add_argument("--sheet", action="store_true", help="a contact sheet of every chapter")
    p.add_argument("--video", metavar="FILE", help="a video: .mp4 (ffmpeg), .webp or .gif")
    p.add_argument("--from", dest="start", metavar="TIME|ID", help="video start (default 0)")
    p.add_argument("--duration", type=float, metavar="SECONDS", help="video length (default: to the end)")
    p.add_argument("--size", default="1280x720", metavar="WxH")
    p.add_argument("--no-glow", action="store_true", help="points only: no glow, beams or reflections")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_preview)

    p = sub.add_parser("simulate", help="watch a show, or live Art-Net, in a window")
    p.add_argument("show", metavar="SHOW", help="show file (its rig is drawn)")
    p.add_argument("--compiled", metavar="FILE.fseq", help="read frames from this compiled show")
    p.add_argument("--at", metavar="TIME|ID", help="start here")
    p.add_argument("--live", action="store_true",
                   help="draw live Art-Net instead, as a virtual node answering ArtPoll")
    p.add_argument("--bind", default="0.0.0.0", help="with --live: address to listen on")
    p.add_argument("--port", type=int, default=6454, help="with --live: UDP port")
    p.add_argument("--size", default="1280x720", metavar="WxH")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("queue", help="the citizen content queue: list, approve, reject, remove, serve")
    p.add_argument("action", choices=("list", "approve", "reject", "remove", "serve"))
    p.add_argument("id", type=int, nargs="?", help="the work's number (approve, reject, remove)")
    p.add_argument("--store", required=True, metavar="DIR", help="the content store folder")
    p.add_argument("--state", default="pending", choices=("pending", "approved", "rejected",
                                                          "removed", "all"), help="list: which works")
    p.add_argument("--reason", help="why (needed to reject or remove)")
    p.add_argument("--host", default="127.0.0.1", help="serve: address to listen on")
    p.add_argument("--port", type=int, default=8080, help="serve: port")
    p.add_argument("--token", help="serve: moderator token (or LIGHTSHOW_MODERATOR_TOKEN)")
    p.add_argument("--rate", type=int, default=5, help="serve: uploads per submitter per hour")
    p.set_defaults(func=cmd_queue)

    p = sub.add_parser("fixtures", help="fixture profiles: import other programs' definitions")
    fixtures = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = fixtures.add_parser("import", help="convert Open Fixture Library .json and QLC+ .qxf "
                            "files into fixture profiles")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders searched for them")
    p.add_argument("-o", "--output", metavar="DIR", required=True, help="where profiles go")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only, not warnings")
    p.set_defaults(func=cmd_fixtures_import)

    p = sub.add_parser("export", help="export a show as FSEQ for Falcon Player / xLights "
                       "(universe u at channel u*512+1)")
    p.add_argument("show", metavar="SHOW")
    p.add_argument("--fseq", metavar="OUT", required=True, help="the .fseq file to write")
    _add_compression_arguments(p)
    p.add_argument("--sparse", action="store_true", help="store only patched channels")
    _add_jobs_argument(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("inspect", help="print an FSEQ file's header, index and a frame")
    p.add_argument("file", metavar="FILE.fseq")
    p.add_argument("--frame", type=int, metavar="N", help="print the channel values of frame N")
    p.set_defaults(func=cmd_inspect)

    p = sub.add_parser("schema", help="print the JSON Schema of a file kind")
    p.add_argument("kind", choices=("show", "rig", "fixture"))
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("effects", help="list effects and their parameters")
    p.set_defaults(func=cmd_effects)
    return parser


def run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
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
