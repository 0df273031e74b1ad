"""The ``lightshow`` command and its one error boundary.

Exit codes: 0 success, 1 a problem in the user's input (diagnostics printed),
2 a usage error, 3 a bug in lightshow, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
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
    end = parse_seconds(end_text) if end_text else show.duration_s
    if start is None or end is None or not 0 <= start < end:
        raise UsageError(f"--range expects START..END with 0 <= START < END, found '{text}'")
    return frame_of(start, show.fps), frame_of(min(end, show.duration_s), show.fps)


def cmd_compile(args: argparse.Namespace) -> int:
    import os
    import time

    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from lightshow.adapters.compiled_file import compile_show
    from lightshow.core.render import ShowRenderer
    from lightshow.load.project import load_show

    show = load_show(args.show)
    renderer = ShowRenderer(show)
    start, stop = parse_range(args.range, show) if args.range else (0, renderer.n_frames)
    output = args.output or os.path.join(
        "build", os.path.splitext(os.path.basename(args.show))[0] + ".fseq")
    began = time.perf_counter()
    with Progress(TextColumn("[bold]compiling[/bold] {task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} frames"), TimeRemainingColumn(),
                  disable=args.quiet, transient=True) as progress:
        task = progress.add_task(os.path.basename(args.show), total=stop - start)
        result = compile_show(show, output, start, stop, args.compression,
                              lambda done, total: progress.update(task, completed=done),
                              renderer)
    took = time.perf_counter() - began
    seconds = result.n_frames / show.fps
    print(f"compiled {args.show} -> {result.path}: {result.n_frames} frames "
          f"({seconds:.1f} s at {show.fps:g} fps), {len(renderer.channel_map.universes)} universes, "
          f"{result.n_bytes / 1e6:.1f} MB, in {took:.1f} s ({seconds / took:.0f}x real time)")
    return EXIT_OK


def parse_pacing(text: str):
    """``PACKETS/GAP_MS`` (e.g. ``4/2.5``) -> BurstPacing."""
    from lightshow.adapters.pacer import BurstPacing

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

    from lightshow.adapters.artnet_sender import ArtNetSender
    from lightshow.adapters.compiled_file import CompiledShow
    from lightshow.adapters.discovery import Discovery
    from lightshow.adapters.pacer import BurstPacing
    from lightshow.adapters.sacn_sender import SacnSender
    from lightshow.adapters.stream import FileSource, RenderSource, stream
    from lightshow.core.render import ShowRenderer
    from lightshow.load.project import load_show
    from lightshow.protocol.artnet import ARTNET_PORT
    from lightshow.protocol.sacn import SACN_PORT
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
    artnet_routes, sacn_routes = [], []
    for universe in source.universes:
        serving = [n for n in nodes if n.serves(universe)]
        if args.to:
            artnet_routes.append([(args.to, args.port)])
            sacn_routes.append([])
        else:
            artnet = [(n.ip, ARTNET_PORT) for n in serving if n.protocol == "artnet"]
            sacn_routes.append([(n.ip, SACN_PORT) for n in serving if n.protocol == "sacn"])
            artnet_routes.append(None if sacn_routes[-1] and not artnet else artnet)
    unrouted = [u for u, a in zip(source.universes, artnet_routes) if a == []]
    if unrouted and not args.broadcast and not args.poll:
        raise UsageError(f"no node serves universes {unrouted[:8]}; give --to IP, --poll ADDRESS "
                         f"(to the nodes that announce them) or --broadcast")
    pacing = {n.ip: BurstPacing(n.burst_packets, n.burst_gap_ms / 1000.0)
              for n in nodes if n.burst_packets is not None}
    sacn_rows = [i for i, r in enumerate(sacn_routes) if r]
    sacn = SacnSender([source.universes[i] for i in sacn_rows],
                      [sacn_routes[i] for i in sacn_rows]) if sacn_rows else None

    def send(frame, at, frame_idx):
        sender.send_frame(frame, at, show_s=frame_idx / source.fps)
        if sacn is not None:
            sacn.send_frame(frame[sacn_rows], at)

    with contextlib.ExitStack() as stack:
        discovery = stack.enter_context(Discovery(args.poll, args.bind)) if args.poll else None
        sender = stack.enter_context(ArtNetSender(
            source.universes, artnet_routes, sync=not args.no_sync, broadcast=args.broadcast,
            nodes=discovery, pacing=pacing, default_pacing=default_pacing,
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

    from lightshow.adapters.discovery import Discovery

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
    p.add_argument("--compression", choices=("zstd", "zlib", "none"), default="zstd")
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
