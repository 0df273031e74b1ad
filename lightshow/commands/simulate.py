"""``lightshow simulate``: a show, or live Art-Net, in the simulator window."""

from __future__ import annotations

import argparse

from lightshow.commands.exit_codes import EXIT_OK

NAME = "simulate"
HELP = "watch a show, or live Art-Net, in a window"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("show", metavar="SHOW", help="show file (its rig is drawn)")
    p.add_argument("--compiled", metavar="FILE.fseq", help="read frames from this compiled show")
    p.add_argument("--at", metavar="TIME|ID", help="start here")
    p.add_argument("--live", action="store_true",
                   help="draw live Art-Net instead, as a virtual node answering ArtPoll")
    p.add_argument("--bind", default="0.0.0.0", help="with --live: address to listen on")
    p.add_argument("--port", type=int, default=6454, help="with --live: UDP port")
    p.add_argument("--size", default="1280x720", metavar="WxH")
    p.add_argument("--no-audio", action="store_true", help="do not play the show's soundtrack")
    p.add_argument("--audio-device", metavar="NAME", help="the audio output for the soundtrack")
    p.add_argument("--watch", action="store_true",
                   help="reload the show when its files (show, rig, profiles, assets) are saved")


def run(args: argparse.Namespace) -> int:
    from simulator.app import open_preview, parse_size, require_display
    from simulator.window import run_window

    require_display()
    preview = open_preview(args.show, args.compiled, parse_size(args.size))
    if args.live:
        from simulator.live_artnet import LiveArtnet
        from simulator.window import LiveController

        preview.frames.close()
        with LiveArtnet(preview.frames.universes, args.bind, args.port) as live:
            run_window(preview.painter, LiveController(live.start()), f"{preview.show.title} (live)")
        return EXIT_OK
    from lightshow.core.live_levels import LevelMap
    from lightshow.core.moment import moment_frame
    from lightshow.playback.player import Player
    from lightshow.playback.sinks import LatestFrameSink
    from simulator.window import PlayerController

    latest = LatestFrameSink(len(preview.frames.universes) * 512)
    preview.frames.warm_up()
    soundtrack = None
    if preview.show.soundtrack is not None and not args.no_audio:
        from lightshow.commands.player_options import soundtrack_clock

        soundtrack = soundtrack_clock(preview.show.soundtrack, args.audio_device)
    player = Player(preview.frames, LevelMap.build(preview.show.rig), [latest], time_source=soundtrack)
    if args.at:
        player.seek_s(moment_frame(args.at, preview.frames.index, preview.show.duration_s) / player.fps)
    player.play()
    player.start()
    live, stop_watching = None, lambda: None
    if args.watch:
        from lightshow.playback.show_reload import LiveShow, start_watching

        live = LiveShow(player, preview.show)
        stop_watching = start_watching(live)
    from simulator.app import painter_of

    controller = PlayerController(player, latest, live,
                                  lambda show, frames: painter_of(show, frames, preview.painter.size))
    try:
        run_window(preview.painter, controller, preview.show.title)
    finally:
        stop_watching()
        player.close()
    return EXIT_OK
