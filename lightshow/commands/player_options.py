"""What ``play`` and ``serve`` share: where frames come from and go, and opening the show's player."""

from __future__ import annotations

import argparse
import sys

from lightshow.errors import UsageError

SYNC_LATCH_MS = 3.0      # a MultiSync player's ArtSync this long after the frame is due
MAX_LATCH_MS = 10.0
REALTIME_PRIORITY = 10


def add_player_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("show", metavar="SHOW")
    p.add_argument("--compiled", metavar="FILE.fseq",
                   help="frames from this compiled show (default: build/<show>.fseq when it is "
                        "newer than the show, else rendered ahead in memory)")
    p.add_argument("--to", default="127.0.0.1", metavar="IP", help="send every universe here")
    p.add_argument("--port", type=int, default=6454, help="UDP port with --to")
    p.add_argument("--rig-nodes", action="store_true", help="send to the rig's nodes instead of --to")
    p.add_argument("--no-sync", action="store_true", help="no ArtSync after each frame")
    p.add_argument("--content", metavar="DIR", help="a content store: artwork slots play approved works")
    p.add_argument("--timecode", choices=("24", "25", "29.97df", "30"),
                   help="also send the show time as ArtTimeCode at this frame rate (and the LTC of "
                        "--ltc-out at it)")
    p.add_argument("--ltc-out", metavar="DEVICE",
                   help="also play the show time as LTC on this audio output (default, pulse, a device "
                        "name or number), heard as the lights for that time go out; at --timecode's rate, "
                        "default 25; silent while the show is stopped or paused")
    p.add_argument("--sync-master", nargs="*", metavar="ADDRESS",
                   help="be a MultiSync master: tell Falcon Player remotes what plays and where (to "
                        "multicast 239.70.80.80 with no ADDRESS; or broadcast or unicast addresses)")
    p.add_argument("--sync-remote", nargs="?", const="0.0.0.0", metavar="BIND",
                   help="be a MultiSync remote: follow a master's start, position and stop for the "
                        "sequence --sync-file (listening on BIND, default all and multicast 239.70.80.80)")
    p.add_argument("--sync-listen", metavar="BIND",
                   help="with --sync-master: also listen on BIND (an address of this host, or 0.0.0.0 for all "
                        "and multicast 239.70.80.80) and answer discover pings, so FPP's and xLights' device "
                        "lists find the master; without it a master binds nothing")
    p.add_argument("--sync-port", type=int, default=32320, help="MultiSync UDP port (default 32320)")
    p.add_argument("--sync-latch", type=float, metavar="MS",
                   help="send each frame's ArtSync (and ArtTimeCode) MS milliseconds after the frame is due "
                        "instead of right after its universes: nodes that sync show the frame then, so the "
                        "players of one show latch it together however long each took to send its universes "
                        f"(0 to {MAX_LATCH_MS:g}; default {SYNC_LATCH_MS:g} for serve, --sync-master or --sync-remote, else 0)")
    p.add_argument("--realtime", nargs="?", type=int, const=REALTIME_PRIORITY, metavar="PRIORITY",
                   help="run the output clock's thread with real-time scheduling (SCHED_FIFO, default "
                        f"priority {REALTIME_PRIORITY}) where the system permits it, else say so and run at "
                        "normal priority; serve and a MultiSync master or remote ask for it by themselves, quietly")
    p.add_argument("--no-realtime", action="store_true", help="the output clock at normal priority")
    p.add_argument("--sync-file", metavar="NAME.fseq", help="the sequence name remotes play "
                   "(default: <show>.fseq, as lightshow export names it)")
    p.add_argument("--controller", metavar="NAME", help="output only this controller's universes (the "
                   "rig's 'controllers'): one remote of a show split across controllers")
    p.add_argument("--no-audio", action="store_true",
                   help="do not play the show's soundtrack: the lights run on the internal clock")
    p.add_argument("--audio-device", metavar="NAME", help="the audio output to play the soundtrack on "
                   "(default: the system's default output)")
    p.add_argument("--follow", metavar="SOURCE",
                   help="chase external timecode: artnet[:BIND_IP] (ArtTimeCode on UDP 6454, listening on "
                        "BIND_IP; default 0.0.0.0, all interfaces, as following the network asks) or "
                        "ltc[:DEVICE] (LTC on an audio input; default the system's default input); "
                        "mtc[:PORT] is not available yet")
    p.add_argument("--timecode-offset", "--follow-offset", dest="timecode_offset", metavar="HH:MM:SS:FF",
                   help="the timecode at the show's start, chased (--follow) and sent (--timecode, --ltc-out); "
                        "default: the show's timecode.offset, else 00:00:00:00")
    p.add_argument("--freewheel-frames", type=int, metavar="N",
                   help="run on through this many missing timecode frames before the source counts as "
                        "lost (default: the show's, else 10)")
    p.add_argument("--on-loss", choices=("stop", "hold"),
                   help="when the timecode is lost or reads 00:00:00:00, or a MultiSync master falls silent: "
                        "stop the show (default: the show's, else stop) or hold the frame it shows")
    p.add_argument("--record", metavar="FILE.fseq", help="also record what goes out (live levels "
                   "included) into this FSEQ file, written when the show stops")


def show_player_opener(args: argparse.Namespace, extra_sinks=lambda universes: []):
    """Load the show and pick its frames (a current compiled file, else rendered ahead); returns the
    show and a function that opens its player, with the network outputs the arguments ask for,
    ``extra_sinks(universes)`` and the content store's artwork slots: in this process (``play``)
    or in an output process of its own (``serve``)."""
    import logging
    import os

    from lightshow.load.project import load_show
    from lightshow.playback.frames import compiled_to_play

    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    follow_policy(timecode_options(argparse.Namespace(**vars(args))))   # usage errors before the show loads
    if getattr(args, "sync_listen", None) is not None and args.sync_master is None:
        raise UsageError("--sync-listen answers discover pings as a MultiSync master: give --sync-master too")
    latch_s = sync_latch_s(args)
    show = load_show(args.show)
    timecode_options(args, show)
    compiled = compiled_to_play(show, args.show, args.compiled)
    universes = show.rig.universes()
    own = None
    if getattr(args, "controller", None) is not None:
        from lightshow.files.fseq_export import controller_universes

        own = list(controller_universes(show.rig, args.controller))
    sync_targets = None
    if args.sync_master is not None:
        from lightshow.protocol.multisync import MULTISYNC_PORT

        sync_targets = [_address(a, MULTISYNC_PORT) for a in args.sync_master] or None
    print(f"{show.title}: {len(universes)} universes, frames "
          + (f"from {compiled}" if compiled else "rendered ahead in memory"), file=sys.stderr)

    def open_player():
        from lightshow.playback.show_player import open_player
        from lightshow.playback.sinks import Outputs, RecorderSink, controller_sinks

        store = None
        if args.content:
            from lightshow.queue.content_store import ContentStore

            store = ContentStore(args.content)
        from lightshow.protocol.timecode import TIMECODE_KINDS

        outputs = Outputs(to=None if args.rig_nodes else args.to, port=args.port, sync=not args.no_sync,
                          timecode=TIMECODE_KINDS[args.timecode] if args.timecode else None,
                          timecode_offset_s=timecode_offset_s(args, args.timecode), latch_s=latch_s)
        sinks = controller_sinks(universes, own, show.rig.nodes, outputs) + list(extra_sinks(universes))
        answerer = None
        if args.ltc_out:
            sinks.append(ltc_out_sink(args, show.fps))
        if args.record:
            sinks.append(RecorderSink(args.record, len(universes) * 512, show.fps))
        if args.sync_master is not None:
            from lightshow.output.multisync_sender import MultiSyncSender, local_ping, source_ip_towards
            from lightshow.playback.sinks import MultiSyncSink
            from lightshow.protocol.multisync import MODE_MASTER, MULTICAST_GROUP, MULTISYNC_PORT

            name = args.sync_file or os.path.splitext(os.path.basename(args.show))[0] + ".fseq"
            first = (sync_targets or [(MULTICAST_GROUP, MULTISYNC_PORT)])[0]
            identity = local_ping(MODE_MASTER, source_ip_towards(first), channel_ranges(show.rig, own))
            sinks.append(MultiSyncSink(MultiSyncSender(name, show.fps, sync_targets, identity=identity)))
            if getattr(args, "sync_listen", None) is not None:
                from lightshow.output.multisync_sender import PingAnswerer

                # it says the address it listens on; on every interface, the one its syncs leave from
                known = source_ip_towards(first) if args.sync_listen in ("0.0.0.0", "") else args.sync_listen
                answerer = PingAnswerer(local_ping(MODE_MASTER, known, channel_ranges(show.rig, own)),
                                        args.sync_listen, args.sync_port).start()
        time_source = follow_source(args)
        if args.sync_remote is not None:
            from lightshow.output.multisync_sender import local_ping
            from lightshow.playback.multisync_remote import MultiSyncRemote
            from lightshow.protocol.multisync import MODE_REMOTE

            name = args.sync_file or os.path.splitext(os.path.basename(args.show))[0] + ".fseq"
            identity = local_ping(MODE_REMOTE, args.sync_remote, channel_ranges(show.rig, own))
            time_source = MultiSyncRemote(name, args.sync_remote, args.sync_port, on_loss=args.on_loss,
                                          fps=show.fps, identity=identity).start()
        soundtrack = None
        if show.soundtrack is not None and not args.no_audio:
            soundtrack = soundtrack_clock(show.soundtrack, args.audio_device)
        if time_source is None:
            time_source = soundtrack                    # the music is the clock
        priority, quiet = realtime_priority(args)
        player = open_player(show, compiled, sinks, content=store, time_source=time_source,
                             realtime_priority=priority, realtime_quiet=quiet)
        if answerer is not None:
            player.closing.append(answerer.close)
        if soundtrack is not None and soundtrack is not time_source:
            player.followers.append(soundtrack)         # the music follows the chased time
            player.closing.append(soundtrack.close)
        return player
    return show, open_player


def sync_latch_s(args: argparse.Namespace) -> float:
    """When each frame's ArtSync goes, after the frame is due: ``--sync-latch``, by default
    SYNC_LATCH_MS for a MultiSync master or remote (players of one show latching together), else at
    once after the universes."""
    latch_ms = getattr(args, "sync_latch", None)
    if latch_ms is None:
        latch_ms = SYNC_LATCH_MS if _steady_output(args) else 0.0
    if not 0.0 <= latch_ms <= MAX_LATCH_MS:
        raise UsageError(f"--sync-latch must be 0 to {MAX_LATCH_MS:g} ms, found {latch_ms:g}")
    return latch_ms / 1000.0


def realtime_priority(args: argparse.Namespace) -> tuple[int | None, bool]:
    """The output clock's real-time priority (None: normal scheduling), and whether a refusal goes
    unsaid: ``--realtime`` asks for it; a MultiSync master or remote asks by itself, quietly (players
    of one show latch their frames at one instant, and a clock thread that waits for the CPU misses it)."""
    if getattr(args, "no_realtime", False):
        return None, True
    if getattr(args, "realtime", None) is not None:
        return args.realtime, False
    if _steady_output(args):
        return REALTIME_PRIORITY, True
    return None, True


def _steady_output(args: argparse.Namespace) -> bool:
    """Whether the output latches its frames and asks for real-time scheduling unless told not to:
    ``serve`` (the production player, whose output must keep time whatever the control plane
    receives) and the players of a MultiSync show."""
    return (getattr(args, "steady_output", False) or args.sync_master is not None
            or args.sync_remote is not None)


def channel_ranges(rig, own: list[int] | None) -> str:
    """The FPP channel ranges this player outputs, as a ping says them (``0-455,512-1024``)."""
    from lightshow.core.channel_layout import patched_ranges
    from lightshow.protocol.multisync import format_channel_ranges

    return format_channel_ranges(patched_ranges(rig, only_universes=set(own) if own is not None else None))


def soundtrack_clock(soundtrack, device: str | None):
    """The soundtrack on the audio device as the player's clock, or None with one line saying why
    the show plays on the internal clock instead."""
    from lightshow.output.audio_device import AudioUnavailable
    from lightshow.playback.soundtrack import open_soundtrack

    try:
        return open_soundtrack(soundtrack, device)
    except AudioUnavailable as exc:
        print(f"lightshow: {exc}; the show plays without its soundtrack, on the internal clock "
              "(--no-audio says so quietly)", file=sys.stderr)
        return None


def timecode_options(args: argparse.Namespace, show=None) -> argparse.Namespace:
    """Fill the timecode options the command line left out from the show's ``timecode`` block,
    then from the defaults (offset 00:00:00:00, 10 freewheel frames, stop on loss, LTC at 25)."""
    settings = getattr(show, "timecode", None)

    def pick(name, from_show, default):
        if getattr(args, name, None) is None:
            setattr(args, name, from_show if from_show is not None else default)

    pick("follow", settings.follow if settings else None, None)
    pick("timecode_offset", "%02d:%02d:%02d:%02d" % settings.offset if settings else None, "00:00:00:00")
    pick("freewheel_frames", settings.freewheel_frames if settings else None, 10)
    pick("on_loss", settings.on_loss if settings else None, "stop")
    args.timecode_fps = args.timecode or (settings.fps if settings and settings.fps else "25")
    from lightshow.protocol.timecode import parse_timecode

    try:
        parse_timecode(args.timecode_offset)
    except ValueError as exc:
        raise UsageError(f"--timecode-offset: {exc}") from None
    return args


def timecode_offset_s(args: argparse.Namespace, rate: str | None) -> float:
    """Seconds the timecode sent at ``rate`` runs ahead of the show (its label at the show's start)."""
    from lightshow.protocol.timecode import TIMECODE_KINDS, parse_timecode, timecode_seconds

    if rate is None:
        return 0.0
    return timecode_seconds(*parse_timecode(args.timecode_offset), TIMECODE_KINDS[rate])


def follow_policy(args: argparse.Namespace):
    """The timecode chase's policy from ``--timecode-offset``, ``--freewheel-frames`` and ``--on-loss``
    (None without ``--follow``); usage errors for what cannot be followed."""
    if getattr(args, "follow", None) is None:
        return None
    from lightshow.core.timecode_chase import ChasePolicy
    from lightshow.protocol.timecode import parse_timecode

    kind, _, where = args.follow.partition(":")
    if kind == "mtc":
        raise UsageError("--follow mtc: not available yet (MIDI timecode needs an ALSA sequencer, which "
                         "was not available where this was built; artnet[:BIND_IP] and ltc[:DEVICE] are)")
    if kind not in ("artnet", "ltc"):
        raise UsageError(f"--follow: expected artnet[:BIND_IP], ltc[:DEVICE] or mtc[:PORT], "
                         f"found '{args.follow}'")
    if args.sync_remote is not None:
        raise UsageError("--follow and --sync-remote: the show can follow one source, not two")
    if args.freewheel_frames < 0:
        raise UsageError(f"--freewheel-frames must be 0 or more, found {args.freewheel_frames}")
    try:
        offset = parse_timecode(args.timecode_offset)
    except ValueError as exc:
        raise UsageError(f"--timecode-offset: {exc}") from None
    return ChasePolicy(offset=offset, freewheel_frames=args.freewheel_frames, on_loss=args.on_loss)


def follow_source(args: argparse.Namespace):
    """The timecode chase ``--follow artnet[:BIND_IP]`` or ``ltc[:DEVICE]`` asks for, listening; None
    without it."""
    policy = follow_policy(args)
    if policy is None:
        return None
    if args.follow.partition(":")[0] == "ltc":
        from lightshow.playback.ltc_follow import LtcFollow

        return LtcFollow(args.follow.partition(":")[2] or None, policy=policy).start()
    from lightshow.playback.timecode_follow import ArtTimecodeFollow

    bind_ip = args.follow.partition(":")[2] or "0.0.0.0"
    return ArtTimecodeFollow(bind_ip, policy=policy).start()


def ltc_out_sink(args: argparse.Namespace, show_fps: float):
    """The sink ``--ltc-out DEVICE`` asks for: the show time (from the timecode offset on) as LTC at
    ``--timecode``'s rate, else the show's, else 25."""
    from lightshow.playback.sinks import LtcSink
    from lightshow.protocol.timecode import TIMECODE_KINDS

    return LtcSink(args.ltc_out, TIMECODE_KINDS[args.timecode_fps], show_fps,
                   offset_s=timecode_offset_s(args, args.timecode_fps))


def _address(text: str, default_port: int) -> tuple[str, int]:
    """``10.0.0.5`` or ``10.0.0.5:32320``."""
    host, _, port = text.partition(":")
    if port and not port.isdigit():
        raise UsageError(f"expected an address such as 10.0.0.5 or 10.0.0.5:32320, found '{text}'")
    return host, int(port) if port else default_port
