"""``lightshow play``: rehearsal: Art-Net to 127.0.0.1 (or elsewhere) and the simulator window.

Without a display it first draws every chapter into a contact sheet, then plays to Art-Net,
printing each cue as it starts.
"""

from __future__ import annotations

import argparse
import sys

from lightshow.commands.exit_codes import EXIT_OK
from lightshow.commands.player_options import add_player_arguments, show_player_opener

NAME = "play"
HELP = ("play a show: Art-Net to 127.0.0.1 and the simulator window "
        "(without a display: a preview picture, then Art-Net)")


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_player_arguments(p)
    p.add_argument("--at", metavar="TIME|ID", help="start here")
    p.add_argument("--loop", action="store_true")
    p.add_argument("--duration", type=float, metavar="SECONDS", help="without a window: stop after this long")
    p.add_argument("--no-window", action="store_true", help="no simulator window")
    p.add_argument("--size", default="1280x720", metavar="WxH")
    p.add_argument("--watch", action="store_true",
                   help="reload the show when its files (show, rig, profiles, assets) are saved; "
                        "with errors the last good show plays on")


def run(args: argparse.Namespace) -> int:
    from lightshow.core.moment import moment_frame
    from lightshow.files.build_folder import build_path
    from lightshow.playback.sinks import LatestFrameSink
    from simulator.app import has_display, painter_of, parse_size

    window = has_display() and not args.no_window
    size = parse_size(args.size)
    latest: LatestFrameSink | None = None

    def window_sink(universes: list[int]) -> list[LatestFrameSink]:
        nonlocal latest
        latest = LatestFrameSink(len(universes) * 512)
        return [latest] if window else []
    show, open_player = show_player_opener(args, window_sink)
    player = open_player()
    if args.at:
        player.seek_s(moment_frame(args.at, player.index, show.duration_s) / player.fps)
    # a MultiSync remote draws no sheet: it plays at the master's word, and its start is a rejoin
    sheet = not window and args.sync_remote is None
    painter = painter_of(show, player.source, size) if window or sheet else None
    if sheet:
        from simulator import headless

        sheet_path = build_path(args.show, "-sheet.png")
        headless.sheet(player.source, painter, sheet_path)
        print(f"no display: wrote a preview of every chapter to {sheet_path}", file=sys.stderr)
    player.set_loop(args.loop)
    if not getattr(player.time_source, "drives_transport", False):   # else the source starts the show
        player.play()
    player.start()
    live, stop_watching = None, lambda: None
    if args.watch:
        from lightshow.playback.show_reload import LiveShow, start_watching

        live = LiveShow(player, show)
        stop_watching = start_watching(live)
        print(f"watching {', '.join(live.watched_paths())} for saves", file=sys.stderr)
    target = "the rig's nodes" if args.rig_nodes else f"{args.to}:{args.port}"
    print(f"playing to Art-Net {target}; Ctrl-C stops with a blackout fade", file=sys.stderr)
    try:
        if window:
            from simulator.window import PlayerController, run_window

            controller = PlayerController(player, latest, live, lambda s, frames: painter_of(s, frames, size))
            run_window(painter, controller, show.title, max_fps=show.fps)
        else:
            follow_cues(player, args.duration)
    except KeyboardInterrupt:
        pass
    stop_watching()
    player.close(fade_s=1.0)
    stats = player.stats
    print(f"sent {stats.ticks} frames; {stats.held} repeated a frame not ready in time, "
          f"{stats.late_ticks} skipped as late", file=sys.stderr)
    return EXIT_OK


def follow_cues(player, duration_s: float | None) -> None:
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
