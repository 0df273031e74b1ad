"""``lightshow simulate``: a show, or live Art-Net, in the simulator window; live Art-Net also as the
browser view (``--live --web [HOST:]PORT``), where there is no display."""

from __future__ import annotations

import argparse

from lightshow.commands.exit_codes import EXIT_OK
from lightshow.errors import UsageError

NAME = "simulate"
HELP = "watch a show, or live Art-Net, in a window (live Art-Net also in the browser)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("show", metavar="SHOW", help="show file (its rig is drawn)")
    p.add_argument("--compiled", metavar="FILE.fseq", help="read frames from this compiled show")
    p.add_argument("--at", metavar="TIME|ID", help="start here")
    p.add_argument("--live", action="store_true",
                   help="draw live Art-Net instead, as a virtual node answering ArtPoll")
    p.add_argument("--bind", default="0.0.0.0", help="with --live: address to listen on")
    p.add_argument("--port", type=int, default=6454, help="with --live: UDP port")
    p.add_argument("--web", metavar="[HOST:]PORT",
                   help="with --live: serve the river-front as a web page (http://HOST:PORT/view) "
                        "instead of the window; HOST is 127.0.0.1 unless given")
    p.add_argument("--size", default="1280x720", metavar="WxH")
    p.add_argument("--no-audio", action="store_true", help="do not play the show's soundtrack")
    p.add_argument("--audio-device", metavar="NAME", help="the audio output for the soundtrack")
    p.add_argument("--watch", action="store_true",
                   help="reload the show when its files (show, rig, profiles, assets) are saved")


def web_address(text: str) -> tuple[str, int]:
    """``PORT``, ``HOST:PORT`` or ``[IPv6]:PORT``; the host is loopback unless given."""
    host, _, port = text.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not port.isdigit() or not 1 <= int(port) <= 65535 or (":" in host and not text.startswith("[")):
        raise UsageError(f"--web expects [HOST:]PORT such as 8081 or 0.0.0.0:8081, found '{text}'")
    return host or "127.0.0.1", int(port)


def run(args: argparse.Namespace) -> int:
    if args.web is not None:
        if not args.live:
            raise UsageError("--web serves live Art-Net (give --live); a show's output is in the "
                             "browser with 'lightshow serve' (/view)")
        return _serve_live_view(args, *web_address(args.web))
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


def _serve_live_view(args: argparse.Namespace, host: str, http_port: int) -> int:
    """Live Art-Net as the browser view: the virtual node keeps the latest DMX, the view polls it
    while someone watches and streams it as ``serve`` streams a show (the same layout and page)."""
    import sys

    from lightshow.control.view_stream import PolledFrames, ViewStream
    from lightshow.control.view_web import create_view_app
    from lightshow.guard.slow_clients import guarded_server
    from lightshow.load.project import load_show
    from simulator.app import parse_size
    from simulator.live_artnet import LiveArtnet
    from simulator.web_view import WebView

    show = load_show(args.show)
    web = WebView(show.rig, parse_size(args.size))
    with LiveArtnet(show.rig.universes(), args.bind, args.port) as live:
        frames = PolledFrames(live.frame)
        view = ViewStream(web.layout(), web.background_png(), web.frame_bytes, frames.subscribe)
        server = guarded_server(create_view_app(view, f"{show.title} (live Art-Net)"), host, http_port)
        live.start()
        shown = f"[{host}]" if ":" in host else host
        print(f"simulating {show.title} from live Art-Net on {args.bind}:{args.port}: the view is at "
              f"http://{shown}:{http_port}/view", file=sys.stderr)
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            frames.close()
    return EXIT_OK
