"""``lightshow queue``: the citizen content queue from a shell (list, approve, reject, remove, serve)."""

from __future__ import annotations

import argparse
import sys

from lightshow.commands.exit_codes import EXIT_OK
from lightshow.errors import LightshowError, UsageError

NAME = "queue"
HELP = "the citizen content queue: list, approve, reject, remove, serve"


def add_arguments(p: argparse.ArgumentParser) -> None:
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
    p.add_argument("--rig", metavar="RIG", help="serve: preview works on this rig's 'facades' group, "
                   "drawn as the simulator draws the rig (default: a plain wall of pixels)")


def run(args: argparse.Namespace) -> int:
    import os

    from lightshow.queue.content_store import DB_NAME, ContentStore

    if args.action == "serve":
        return _serve(args)
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


def _serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from lightshow.queue.content_store import RateLimit
    from lightshow.queue.content_web import create_content_app

    token = args.token or os.environ.get("LIGHTSHOW_MODERATOR_TOKEN", "")
    rate = RateLimit(max_uploads=args.rate, max_pending=max(args.rate, RateLimit.max_pending))
    from lightshow.content.plain_wall import FACADE_GROUP, plain_wall_rig
    from lightshow.queue.content_web import facade_target, load_facade_rig
    from simulator.artwork_preview import rig_artwork_preview

    rig = load_facade_rig(args.rig) if args.rig else plain_wall_rig()
    preview = rig_artwork_preview(rig, rig.groups[FACADE_GROUP].fixture_ids)   # the simulator's picture
    uvicorn.run(create_content_app(args.store, token, rate=rate, facades=lambda: facade_target(rig),
                                   preview=preview), host=args.host, port=args.port, log_level="warning")
    return EXIT_OK
