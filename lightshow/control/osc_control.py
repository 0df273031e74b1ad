"""OSC control of the player, and feedback to the clients that subscribe.

Packets are parsed by our own sans-I/O parser (:mod:`lightshow.protocol.osc`), which
refuses malformed ones without ever raising anything else, on our own socket thread.
A bundle whose time tag lies in the future is scheduled on our clock instead of
blocking the server; it runs when its time comes (at most MAX_DELAY_S ahead, at most
MAX_SCHEDULED waiting).  Each sender may send RATE_PER_PEER messages a second (bursts
of BURST_PER_PEER); beyond that its messages are dropped, so no peer can load the
player with commands.  Subscriptions to feedback last SUBSCRIPTION_S unless renewed
(a console re-subscribes), and when all MAX_SUBSCRIBERS places are taken the one
renewed longest ago gives way.  Only senders in the allowlist are heard (by default the
local networks: loopback and the private ranges); others, unknown addresses and bad
arguments are logged (rate-limited) and ignored.  The address space is in the README.
"""

from __future__ import annotations

import heapq
import ipaddress
import itertools
import logging
import threading
import time
from typing import Callable

from pythonosc.osc_message_builder import OscMessageBuilder

from lightshow.guard.peer_limit import PeerLimit
from lightshow.errors import FormatError, LightshowError
from lightshow.output.udp_listener import UdpListener, bound_udp_socket
from lightshow.playback.player import Player
from lightshow.protocol.osc import parse_osc

log = logging.getLogger("lightshow.osc")
PREFIX = "/lightshow"
MAX_DELAY_S = 3600.0
MAX_SCHEDULED = 256
MAX_SUBSCRIBERS = 32
SUBSCRIPTION_S = 60.0
LOCAL_NETWORKS = ("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16")
RATE_PER_PEER = 200.0
BURST_PER_PEER = 50.0       # a burst waits its turn on the one command pipe: keep it short


def _flag(args, default: bool = True) -> bool:
    return bool(float(args[0])) if args else default


def _fade(args) -> float:
    return float(args[1]) if len(args) > 1 else 0.0


def commands(player: Player) -> dict[str, Callable[[list], dict]]:
    """OSC address (after the prefix) -> handler of the message's arguments."""
    return {
        "/play": lambda a: player.play(),
        "/pause": lambda a: player.pause(),
        "/resume": lambda a: player.resume(),
        "/stop": lambda a: player.stop(),
        "/go": lambda a: player.go(),
        "/seek": lambda a: player.seek_s(float(a[0])),
        "/goto/cue": lambda a: player.goto_cue(str(a[0])),
        "/goto/chapter": lambda a: player.goto_chapter(str(a[0])),
        "/rate": lambda a: player.set_rate(float(a[0])),
        "/loop": lambda a: player.set_loop(_flag(a)),
        "/master": lambda a: player.set_master(float(a[0]), _fade(a)),
        "/blackout": lambda a: player.set_blackout(_flag(a), _fade(a)),
        "/freeze": lambda a: player.set_freeze(_flag(a)),
    }


def allowed_networks(texts) -> list:
    """``10.0.0.0/8``, ``192.168.1.20`` ... as networks; a bad one is a :class:`LightshowError`."""
    networks = []
    for text in texts:
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise LightshowError(f"--allow expects addresses or networks such as 10.0.0.0/8 or "
                                 f"192.168.1.20, found '{text}'") from None
    return networks


def feedback_messages(status: dict) -> list[bytes]:
    """The status as /lightshow/out/... messages."""
    values = [("state", status["state"]), ("time", float(status["time_s"])), ("frame", int(status["frame"])),
              ("chapter", status["chapter"] or ""), ("cue", ",".join(status["cues"])),
              ("master", float(status["master"])), ("blackout", float(status["blackout"])),
              ("rate", float(status["rate"]))]
    follow = status.get("follow")
    if follow:                      # chased timecode: its lock, the time heard, the error in its frames
        values += [("timecode", follow["incoming"] or ""), ("timecode_locked", int(follow["locked"])),
                   ("timecode_error", float(follow["error_frames"] or 0.0))]
    out = []
    for name, value in values:
        builder = OscMessageBuilder(f"{PREFIX}/out/{name}")
        builder.add_arg(value)
        out.append(builder.build().dgram)
    return out


class OscControl(UdpListener):
    thread_name = "lightshow-osc"

    def __init__(self, player: Player, bind_ip: str = "0.0.0.0", port: int = 9000,
                 allow: list[str] | None = None, clock: Callable[[], float] = time.monotonic):
        self.player, self.clock = player, clock
        self.handlers = commands(player)
        self.allow = allowed_networks(allow or LOCAL_NETWORKS)
        self.subscribers: dict[tuple[str, int], float] = {}    # target -> when it lapses
        self.scheduled: list[tuple[float, int, str, list, tuple]] = []
        self._order = itertools.count()
        self._lock = threading.Lock()
        self.handled = self.ignored = 0
        self._last_warning: dict[str, float] = {}
        self._limit = PeerLimit(RATE_PER_PEER, BURST_PER_PEER)
        super().__init__(bound_udp_socket(bind_ip, port, "OSC"))
        self.address = self.sock.getsockname()
        self._unsubscribe = player.subscribe(self._feedback)

    def _warn(self, key: str, message: str, *args) -> None:
        now = self.clock()
        if now - self._last_warning.get(key, -1e9) >= 5.0:
            self._last_warning[key] = now
            log.warning(message, *args)

    def allowed(self, ip: str) -> bool:
        return any(ipaddress.ip_address(ip) in net for net in self.allow)

    def tick(self) -> None:
        """Run scheduled messages whose time has come."""
        now = self.clock()
        while True:
            with self._lock:
                if not self.scheduled or self.scheduled[0][0] > now:
                    wait = self.scheduled[0][0] - now if self.scheduled else 0.1
                    self.sock.settimeout(min(max(wait, 0.001), 0.1))   # wake for the next one
                    return
                _, _, address, args, sender = heapq.heappop(self.scheduled)
            self.dispatch(address, args, sender)

    def handle(self, data: bytes, sender: tuple[str, int]) -> None:
        if not self.allowed(sender[0]):
            self.ignored += 1
            self._warn("allow:" + sender[0], "OSC from %s ignored: not in the allowlist", sender[0])
            return
        now = self.clock()
        if not self._limit.allow(sender[0], now):
            self.ignored += 1
            self._warn("rate:" + sender[0], "OSC from %s dropped: more than %g messages a second",
                       sender[0], RATE_PER_PEER)
            return
        try:
            messages = parse_osc(data)
        except FormatError as exc:
            self.ignored += 1
            self._warn("parse:" + sender[0], "malformed OSC from %s ignored: %s", sender[0], exc)
            return
        wall = time.time()
        for message in messages:
            at_s = message.unix_time_s
            delay = 0.0 if at_s is None else at_s - wall
            if delay > MAX_DELAY_S:
                self.ignored += 1
                self._warn("late", "OSC bundle from %s scheduled %.0f s ahead ignored", sender[0], delay)
            elif delay > 0.0005:
                with self._lock:
                    if len(self.scheduled) >= MAX_SCHEDULED:
                        self.ignored += 1
                        self._warn("queue", "OSC bundle from %s ignored: %d bundles already wait",
                                   sender[0], MAX_SCHEDULED)
                        continue
                    heapq.heappush(self.scheduled, (now + delay, next(self._order), message.address,
                                                    list(message.args), sender))
            else:
                self.dispatch(message.address, list(message.args), sender)

    def dispatch(self, address: str, args: list, sender: tuple[str, int]) -> None:
        if address in (f"{PREFIX}/subscribe", f"{PREFIX}/unsubscribe"):
            port = args[0] if args and isinstance(args[0], int) and not isinstance(args[0], bool) else sender[1]
            if not 1 <= port <= 65535:
                self.ignored += 1
                self._warn("port:" + sender[0], "OSC %s from %s: port %r is not 1..65535", address,
                           sender[0], port)
                return
            if address.endswith("/unsubscribe"):
                self.subscribers.pop((sender[0], port), None)
            else:
                self._subscribe((sender[0], port))
            return
        parts = address.split("/")
        try:
            if address.startswith(f"{PREFIX}/group/") and len(parts) == 5 and parts[4] == "intensity":
                self.player.set_group(parts[3], float(args[0]), _fade(args))
            elif address.startswith(PREFIX) and address[len(PREFIX):] in self.handlers:
                self.handlers[address[len(PREFIX):]](args)
            else:
                self.ignored += 1
                self._warn("unknown:" + address, "unknown OSC address %s from %s ignored", address, sender[0])
                return
        except (IndexError, ValueError, TypeError):
            self.ignored += 1
            self._warn("args:" + address, "OSC %s from %s: bad arguments %r ignored", address, sender[0], args)
            return
        except LightshowError as exc:
            self.ignored += 1
            self._warn("error:" + address, "OSC %s from %s: %s", address, sender[0], exc)
            return
        self.handled += 1

    def _subscribe(self, target: tuple[str, int]) -> None:
        """Add or renew ``target``; when every place is taken, the one renewed longest ago gives way."""
        now = self.clock()
        with self._lock:
            for stale in [t for t, lapses in self.subscribers.items() if lapses <= now]:
                del self.subscribers[stale]
            self.subscribers.pop(target, None)
            if len(self.subscribers) >= MAX_SUBSCRIBERS:
                del self.subscribers[min(self.subscribers, key=self.subscribers.get)]
            self.subscribers[target] = now + SUBSCRIPTION_S
        self._send_status(target, self.player.status())

    def _send_status(self, target: tuple[str, int], status: dict) -> None:
        for message in feedback_messages(status):
            try:
                self.sock.sendto(message, target)
            except (OSError, OverflowError) as exc:
                self._warn("send:" + target[0], "OSC feedback to %s failed: %s", target[0], exc.strerror or exc)
                return

    def _feedback(self, status: dict) -> None:
        now = self.clock()
        for target, lapses in list(self.subscribers.items()):
            if lapses > now:
                self._send_status(target, status)

    def close(self) -> None:
        self._unsubscribe()
        super().close()
