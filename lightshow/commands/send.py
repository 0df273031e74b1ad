"""``lightshow send``: stream a show or a compiled file out as Art-Net (and sACN), no control."""

from __future__ import annotations

import argparse

from lightshow.commands.exit_codes import EXIT_OK
from lightshow.errors import UsageError

NAME = "send"
HELP = "stream a show or compiled .fseq out as Art-Net"


def add_arguments(p: argparse.ArgumentParser) -> None:
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


def parse_pacing(text: str):
    """``PACKETS/GAP_MS`` (e.g. ``4/2.5``) -> BurstPacing."""
    from lightshow.output.pacer import BurstPacing

    packets, _, gap = text.partition("/")
    try:
        return BurstPacing(int(packets), float(gap) / 1000.0)
    except ValueError:
        raise UsageError(f"--pace expects PACKETS/GAP_MS with PACKETS >= 1 and GAP_MS >= 0 "
                         f"(e.g. 4/2.5), found '{text}'") from None


def run(args: argparse.Namespace) -> int:
    import contextlib
    import logging

    from lightshow.core.moment import range_frames
    from lightshow.load.project import load_show
    from lightshow.output.discovery import Discovery
    from lightshow.playback.frames import FrameSource
    from lightshow.playback.player import Player
    from lightshow.playback.sinks import ArtNetSink, Outputs, output_sinks
    from lightshow.protocol.timecode import TIMECODE_KINDS

    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    outputs = Outputs(to=args.to, port=args.port, sync=not args.no_sync, broadcast=args.broadcast,
                      pacing=parse_pacing(args.pace) if args.pace else None,
                      timecode=TIMECODE_KINDS[args.timecode] if args.timecode else None)
    if args.path.endswith(".fseq"):
        if args.range:
            raise UsageError("--range needs a show file, not a compiled .fseq")
        source, nodes, start, stop = FrameSource.of_file(args.path), [], None, None
    else:
        show = load_show(args.path)
        source, nodes = FrameSource.of_show(show), list(show.rig.nodes)
        start, stop = range_frames(args.range, source.index, show.duration_s) if args.range else (None, None)
    with contextlib.ExitStack() as stack:
        stack.callback(source.close)
        discovery = stack.enter_context(Discovery(args.poll, args.bind)) if args.poll else None
        sinks = output_sinks(source.universes, nodes, outputs, discovery, strict=True)
        source.warm_up()
        player = Player(source, None, sinks, first_frame=start, stop_frame=stop, until_ended=True)
        player.set_loop(args.loop)
        player.play()
        try:
            player.start().wait()
        finally:
            player.close()
    sender = next(s for s in sinks if isinstance(s, ArtNetSink)).sender
    n_sacn = sum(len(s.rows) for s in sinks if not isinstance(s, ArtNetSink))
    print(f"sent {player.stats.ticks} frames of {len(source.universes)} universes: "
          f"{sender.stats.packets + sender.stats.paced} ArtDmx packets"
          + (f" ({sender.stats.paced} paced)" if sender.stats.paced else "")
          + f", {sender.stats.errors} send errors"
          + (f", sACN on {n_sacn} universes" if n_sacn else ""))
    return EXIT_OK
