"""``lightshow serve``: the show for production: Art-Net to the rig's nodes, OSC and HTTP control,
the operator page and, with a content store, the citizen queue."""

from __future__ import annotations

import argparse
import sys

from lightshow.commands.exit_codes import EXIT_OK
from lightshow.commands.player_options import add_player_arguments, show_player_opener
from lightshow.errors import LightshowError, UsageError

NAME = "serve"
HELP = "play a show for production: Art-Net to the rig's nodes, OSC and HTTP control"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_player_arguments(p)
    p.add_argument("--bind", default="127.0.0.1", help="address for OSC and HTTP (default 127.0.0.1: "
                   "this machine only; 0.0.0.0 or an interface's address for consoles on the network)")
    p.add_argument("--osc-port", type=int, default=9000)
    p.add_argument("--http-port", type=int, default=8080)
    p.add_argument("--token", help="needed by HTTP commands (default: $LIGHTSHOW_TOKEN)")
    p.add_argument("--allow", nargs="+", metavar="NET", help="OSC only from these addresses/networks "
                   "(default: loopback and the private networks; 0.0.0.0/0 for anyone)")
    p.add_argument("--discover", action="store_true", help="poll the rig's nodes (ArtPoll) for node status")
    p.add_argument("--stop-fade", type=float, default=2.0, metavar="SECONDS", help="blackout fade on Ctrl-C")
    p.add_argument("--schedule", metavar="SCHEDULE", help="play the schedule's playlists when it says "
                   "(shows of this show's rig; SHOW is what an operator's play plays) and its idle look "
                   "between runs; a restart rejoins the run in progress")
    p.add_argument("--alert-webhook", metavar="URL", help="with --schedule: POST each alert (a node "
                   "offline, a missed run) as JSON here, retrying with backoff")
    p.add_argument("--poll-interval", type=float, default=3.0, metavar="SECONDS",
                   help="with --discover: ArtPoll this often; a node is offline after three unanswered")
    p.add_argument("--log", metavar="FILE", help="with --schedule: the play log (SQLite), for "
                   "'lightshow report' (default: build/play-log.sqlite)")
    p.add_argument("--moderator-token", help="with --content: the moderators' token "
                   "(default: $LIGHTSHOW_MODERATOR_TOKEN)")
    # production: the rig's nodes unless --to; frames latched by ArtSync at a fixed moment and
    # the output clock at real-time priority where permitted (bench/control_load.py)
    p.set_defaults(to=None, steady_output=True)


def run(args: argparse.Namespace) -> int:
    import os

    from lightshow.guard.slow_clients import guarded_server
    from lightshow.playback.player_process import PlayerProcess
    from lightshow.playback.watchdog import notify

    token = args.token or os.environ.get("LIGHTSHOW_TOKEN", "")
    if not token:
        raise UsageError("serve needs a token for commands: --token T or LIGHTSHOW_TOKEN")
    if args.poll_interval <= 0:
        raise UsageError(f"--poll-interval must be more than 0, found {args.poll_interval:g}")
    show, open_player = show_player_opener(args)
    schedule, programme = _schedule_of(args, show) if args.schedule else (None, {})
    if programme:
        open_player = _programme_opener(open_player, programme, args)
    player = PlayerProcess(open_player)        # forked before any control thread starts
    osc = discovery = driver = alerts = watch = None
    try:
        if schedule is not None:
            from lightshow.playback.scheduled import OperatorHolds, ScheduleDriver

            from lightshow.files.play_log import PlayLog
            from lightshow.output.webhook import Alerts

            log_path = args.log or os.path.join("build", "play-log.sqlite")
            os.makedirs(os.path.dirname(os.path.abspath(log_path)), exist_ok=True)
            play_log = PlayLog(log_path)
            alerts = Alerts(args.alert_webhook, play_log)
            durations = {name: source_s for name, (_, _, source_s) in programme.items()}
            driver = ScheduleDriver(player, schedule, durations, log=play_log, alerts=alerts)
        controls = OperatorHolds(player, driver) if driver else player
        app, osc, discovery = _control_plane(args, show, controls, token, driver, alerts,
                                             frames=player.subscribe_frames)
        if driver:
            from lightshow.output.discovery import rig_node_status
            from lightshow.playback.play_watch import PlayWatch

            watch = PlayWatch((lambda: rig_node_status(show.rig.nodes, discovery)) if discovery else None,
                              play_log, alerts, grace_s=args.poll_interval + 1).start(player)
            driver.start()                      # after the OSC process is forked: no thread to copy
        server = guarded_server(app, args.bind, args.http_port)
        print(f"serving {show.title}: OSC on {args.bind}:{args.osc_port}, HTTP on "
              f"http://{args.bind}:{args.http_port}/; OSC heard from "
              + (" ".join(args.allow) if args.allow else "loopback and private networks"), file=sys.stderr)
        if args.bind.startswith("127."):
            print("lightshow: listening on this machine only; --bind 0.0.0.0 (or an address) takes "
                  "commands from consoles on the network", file=sys.stderr)
        notify("READY=1")                      # systemd (Type=notify): up; the output process pings
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        notify("STOPPING=1")
        if driver:
            driver.close()
        if watch:
            watch.close()
        if alerts:
            alerts.close()
        if osc:
            osc.close()
        if discovery:
            discovery.close()
        player.close(fade_s=args.stop_fade)
    return EXIT_OK


def _schedule_of(args: argparse.Namespace, show):
    """The schedule, and the shows it plays (playlist items and the idle look) by their names in it:
    (loaded show, path, length in seconds); every one on this show's rig, at its frame rate."""
    import os

    from lightshow.core.timebase import frame_of
    from lightshow.load.project import load_schedule, load_show

    schedule = load_schedule(args.schedule)
    folder = os.path.dirname(os.path.abspath(args.schedule))
    names = [item for entry in schedule.entries for item in entry.playlist] + ([schedule.idle] if schedule.idle else [])
    programme, loaded = {}, {os.path.abspath(args.show): show}
    for name in dict.fromkeys(names):
        path = os.path.abspath(os.path.join(folder, name))
        if path not in loaded:
            if not os.path.isfile(path):
                raise LightshowError(f"{args.schedule}: no show file '{name}' (relative to the schedule)")
            loaded[path] = load_show(path)
        other = loaded[path]
        if other.rig.universes() != show.rig.universes() or other.fps != show.fps:
            raise LightshowError(f"{args.schedule}: '{name}' is not on the rig of '{args.show}' at "
                                 f"{show.fps:g} fps; a schedule's shows share the served show's rig")
        programme[name] = (other, path, frame_of(other.duration_s, other.fps) / other.fps)
    return schedule, programme


def _programme_opener(open_player, programme: dict, args: argparse.Namespace):
    """``open_player`` that also opens (in the output process) every show of the programme, each
    with its soundtrack on the audio device when it has one."""
    import os

    def open_programme():
        from lightshow.commands.player_options import soundtrack_clock
        from lightshow.playback.frames import FrameSource, compiled_to_play

        player = open_player()
        store = player.artwork.store if player.artwork is not None else None     # --content
        for name, (other, path, _) in programme.items():
            if path == os.path.abspath(args.show):
                player.programme[name] = player.programme[""]
                player.music[name] = player.music[""]
                continue
            source = FrameSource.of_show(other, compiled_to_play(other, path, None))
            source.warm_up()
            music = None
            if other.soundtrack is not None and not args.no_audio:
                music = soundtrack_clock(other.soundtrack, args.audio_device)
                if music is not None:
                    player.closing.append(music.close)
            artwork = None
            if store is not None and any(cue.effect == "artwork" for cue in other.cues()):
                from lightshow.playback.show_player import artwork_slots

                artwork = artwork_slots(player, source, store)          # closed with the player
            player.add_show(name, source, artwork=artwork, music=music)
        return player
    return open_programme


def _control_plane(args: argparse.Namespace, show, player, token: str, schedule=None, alerts=None,
                   frames=None):
    """The HTTP app (with the content queue when there is a store, and the river-front view of the
    output ``frames`` delivers), OSC control and node discovery."""
    import os

    from lightshow.control.http_control import create_app
    from lightshow.control.osc_process import OscProcess
    from lightshow.output.discovery import Discovery, rig_node_status

    discovery = None
    if args.discover:
        polled = sorted({n.ip for n in show.rig.nodes}) or ["255.255.255.255"]
        discovery = Discovery(polled, args.bind, poll_interval_s=args.poll_interval).start()
    osc = OscProcess(player, args.bind, args.osc_port, allow=args.allow)    # a flood costs it alone
    routers = []
    if args.content:
        from lightshow.queue.artwork_slots import submission_target
        from lightshow.queue.content_store import ContentStore
        from lightshow.queue.content_web import content_router
        from simulator.artwork_preview import artwork_preview

        moderator_token = args.moderator_token or os.environ.get("LIGHTSHOW_MODERATOR_TOKEN", "")
        routers.append(content_router(ContentStore(args.content), moderator_token,
                                      facades=lambda: submission_target(show), preview=artwork_preview(show)))
    view = None
    if frames is not None:
        from lightshow.control.view_stream import ViewStream
        from simulator.web_view import WebView

        web = WebView(show.rig)            # the simulator's geometry, once; the frames' colours per frame
        view = ViewStream(web.layout(), web.background_png(), web.frame_bytes, frames)
    app = create_app(player, token, nodes=lambda: rig_node_status(show.rig.nodes, discovery), routers=routers,
                     schedule=schedule, alerts=alerts, view=view)
    return app, osc, discovery
