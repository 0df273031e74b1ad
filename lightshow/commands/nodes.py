"""``lightshow nodes``: find Art-Net nodes (ArtPoll) and Falcon Player devices (MultiSync ping), and the
rig's universes no live node serves."""

from __future__ import annotations

import argparse

from lightshow.commands.exit_codes import EXIT_OK

NAME = "nodes"
HELP = "find Art-Net nodes (ArtPoll) and Falcon Player devices (MultiSync), and check the rig's universes"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rig", metavar="RIG_OR_SHOW", help="flag this rig's universes no node serves")
    p.add_argument("--poll", nargs="+", default=["255.255.255.255"], metavar="ADDRESS",
                   help="where ArtPoll goes (default: broadcast)")
    p.add_argument("--bind", default="0.0.0.0", help="address to listen on for replies")
    p.add_argument("--seconds", type=float, default=4.0, help="how long to listen")
    p.add_argument("--interval", type=float, default=3.0, help="seconds between polls")
    p.add_argument("--sync-port", type=int, default=32320,
                   help="MultiSync port for Falcon Player discovery pings (default 32320)")
    p.add_argument("--no-multisync", action="store_true", help="do not look for Falcon Player devices")


def run(args: argparse.Namespace) -> int:
    import time

    from lightshow.load.project import load_rig_of
    from lightshow.output.discovery import Discovery

    universes = load_rig_of(args.rig).universes() if args.rig else []
    from contextlib import ExitStack

    from lightshow.output.multisync_discovery import MultiSyncDiscovery

    with ExitStack() as stack:
        discovery = stack.enter_context(Discovery(args.poll, args.bind, poll_interval_s=args.interval))
        fpp = None if args.no_multisync else stack.enter_context(
            MultiSyncDiscovery(args.poll, args.bind, args.sync_port, interval_s=args.interval))
        time.sleep(args.seconds)
        nodes = discovery.nodes()
        unserved = discovery.unserved(universes)
        devices = fpp.heard() if fpp is not None else []
    print(f"{'node':<16} {'name':<18} {'state':<8} universes")
    for node in sorted(nodes, key=lambda n: n.ip):
        served = ", ".join(str(u) for u in node.all_universes) or "-"
        print(f"{node.ip:<16} {node.short_name:<18} {'online' if node.online else 'OFFLINE':<8} "
              f"{served}")
    if not nodes:
        print("(no node answered ArtPoll)")
    if fpp is not None:
        print()
        print(f"{'FPP device':<16} {'host':<18} {'mode':<8} {'version':<18} channels")
        for ip, ping in devices:
            print(f"{ip:<16} {ping.hostname[:18]:<18} {ping.mode_name:<8} {ping.version[:18]:<18} "
                  f"{ping.ranges or '-'}")
        if not devices:
            print("(no Falcon Player device answered a MultiSync discover)")
    if args.rig:
        if unserved:
            shown = ", ".join(str(u) for u in unserved[:40]) + (" ..." if len(unserved) > 40 else "")
            print(f"{len(unserved)} of {len(universes)} rig universes have no live node: {shown}")
        else:
            print(f"all {len(universes)} rig universes are served by a live node")
    return EXIT_OK
