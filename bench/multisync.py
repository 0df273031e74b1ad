"""One MultiSync master, four remotes: the anniversary show split across four cabinets.

Real processes on loopback.  The rig (shows/riverfront.rig.yaml) names four controllers, three
buildings each; each remote (``play --sync-remote 127.0.0.x --controller NAME``) sends its own
universes, plus ArtTimeCode at 30 fps after each frame, to a receiver of its own on 127.0.0.x
that keeps the kernel's arrival stamps on the monotonic clock (shared by every process on the host;
kernel stamps, because the receivers' threads share one interpreter lock and would add their waits).  A timecode
label marks a show frame, so the same label's arrival at the four receivers is the same show
frame leaving the four remotes.

What is measured is when the frame shows.  A MultiSync player sends a frame's universes as soon as
the frame is due and its ArtSync ``--sync-latch`` (default 3 ms) after that deadline, then the
label: nodes that sync (Art-Net 4: a node holds the ArtDmx it received and outputs it at the
ArtSync) show the frame at the ArtSync, the instant the label marks.  The players' clock threads
run real-time (SCHED_FIFO) where the system permits it (it says how many did).  ``--sync-latch 0``
and ``--no-realtime`` play as before both: the ArtSync and label right after the universes, at
normal priority.  A node that does not sync shows each universe as it arrives: the first and
last ArtDmx skews are printed beside the label's for it.

- skew: for each label all four receivers saw (from 2 s after start, outside the restart),
  latest minus earliest arrival; p99 in ms;
- rejoin: remote one is killed at two thirds of the run and started again; from its process
  start to its first label that arrives within one show frame (25 ms) of the others', in ms
  (from its "playing to Art-Net" line is printed beside it: it listens, and locks, before that);
- floor: each remote ticks on absolute deadlines of its own, at a phase fixed when it starts;
  a frame leaves a remote at its first tick after the frame is due, so two remotes showing the
  same frame differ by their tick phases unless the phases are aligned.  The bench prints each
  remote's tick phase (arrival times modulo the frame period, circular mean) and the largest
  difference between two: the skew's floor on this design;
- send time: each remote's frame leaves as its universes (66-104 of them) then an ArtSync and the
  label; the skew of the frames' first (and last) ArtDmx, each remote's universes' send time and
  first-ArtDmx-to-label time, and how the label skew correlates with the first-ArtDmx skew and
  with the spread of the send times show what the sending itself adds, and what the latch takes away;
- block reads: skews of frames at the start of a 40-frame block (when every player's frame cache
  reads a new block) against the rest.

- wake-up floor (``--floor-seconds``, default 10): five bare processes (one per player of this
  run) that do nothing but wait, as the player does (sleep, then spin the last 0.7 ms), for the
  same absolute deadlines at 40 fps and send one datagram each to a receiver with kernel stamps.
  The spread of one deadline's arrivals is what waking several processes at one instant on this
  host costs before any show work, at normal priority: the baseline of this run's host load.

Last line: ``multisync: skew p99 <s> ms, rejoin <r> ms, remotes <n>``.
"""

from __future__ import annotations

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse  # noqa: E402
import cmath  # noqa: E402
import math  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from tests.multisync.peers import REPO, Peer, StampingReceiver, free_port, master_args, remote_args  # noqa: E402

SHOW = str(REPO / "shows" / "anniversary.yaml")
COMPILED = REPO / "build" / "anniversary.fseq"
CONTROLLERS = ["cabinet-west", "cabinet-lake", "cabinet-capital", "cabinet-east"]
FPS = 40.0


def skews_ms(receivers, start_s: float, stop_s: float) -> list[float]:
    seen = [{k: t for k, t in r.labels.items() if start_s <= t <= stop_s} for r in receivers]
    common = set(seen[0]).intersection(*seen[1:])
    return [1000 * (max(s[k] for s in seen) - min(s[k] for s in seen)) for k in common]


def skews_by_block_ms(receivers, start_s: float, stop_s: float, block: int = 40) -> tuple[list[float], list[float]]:
    """Skews of labels in the first 4 frames of a 40-frame block (when every player's frame cache
    reads its next block: a burst of decompression in five processes at once) and of the rest."""
    seen = [{k: t for k, t in r.labels.items() if start_s <= t <= stop_s} for r in receivers]
    early, rest = [], []
    for k in set(seen[0]).intersection(*seen[1:]):
        h, m, sec, f = k
        frame = int(((h * 60 + m) * 60 + sec + f / 30.0) * FPS + 0.5)
        skew = 1000 * (max(x[k] for x in seen) - min(x[k] for x in seen))
        (early if frame % block < 4 else rest).append(skew)
    return early, rest


def frame_spans_ms(receivers, start_s: float, stop_s: float) -> dict[str, np.ndarray]:
    """For labels all receivers saw with their frame's ArtDmx: the label skew; the skew of the frames'
    first packets (the remotes starting to send); per remote its universes' send time (first to last
    ArtDmx) and its first-ArtDmx-to-label time."""
    seen = [{k: t for k, t in r.labels.items() if start_s <= t <= stop_s and k in r.frames} for r in receivers]
    common = sorted(set(seen[0]).intersection(*seen[1:]))
    labels = np.array([[r.labels[k] for k in common] for r in receivers]).reshape(len(receivers), -1)
    first = np.array([[r.frames[k][0] for k in common] for r in receivers]).reshape(len(receivers), -1)
    last = np.array([[r.frames[k][1] for k in common] for r in receivers]).reshape(len(receivers), -1)
    return {"label_skew": 1000 * (labels.max(0) - labels.min(0)), "first_skew": 1000 * (first.max(0) - first.min(0)),
            "universes": 1000 * (last - first), "to_label": 1000 * (labels - first),
            "last_skew": 1000 * (last.max(0) - last.min(0))}


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a, b)[0, 1]) if len(a) > 2 and a.std() > 0 and b.std() > 0 else float("nan")


def tick_phase_ms(receiver, start_s: float, stop_s: float) -> float:
    """The circular mean of arrival times modulo the frame period, in ms."""
    period = 1.0 / FPS
    angles = [cmath.exp(2j * math.pi * (t % period) / period) for t in receiver.labels.values()
              if start_s <= t <= stop_s]
    return (cmath.phase(sum(angles)) % (2 * math.pi)) / (2 * math.pi) * period * 1000


def realtime_threads(pid: int) -> int:
    """How many of process ``pid``'s threads run SCHED_FIFO or SCHED_RR (field 41 of their stat)."""
    count = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/stat") as f:
                policy = int(f.read().rsplit(")", 1)[1].split()[38])
        except (OSError, IndexError, ValueError):
            continue
        count += policy in (1, 2)
    return count


FLOOR_SENDER = r"""
import socket, sys, time
t0, n, ip, port, me = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for k in range(n):
    deadline = t0 + k / 40.0
    wait = deadline - time.monotonic()
    if wait > 0.0007:
        time.sleep(wait - 0.0007)
    while time.monotonic() < deadline:
        pass
    sock.sendto(f"{k} {me}".encode(), (ip, port))
"""


def wake_up_floor_ms(n_processes: int, seconds: float) -> np.ndarray:
    """Per deadline, latest minus earliest arrival of ``n_processes`` bare senders (see the docstring)."""
    from lightshow.output.udp_listener import SO_TIMESTAMPNS, ArrivalClock
    import socket

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    sock.bind(("127.0.0.97", 0))
    sock.settimeout(0.5)
    n = int(seconds * 40)
    t0 = time.monotonic() + 1.5                       # after the interpreters have started
    senders = [subprocess.Popen([sys.executable, "-c", FLOOR_SENDER, repr(t0), str(n), "127.0.0.97",
                                 str(sock.getsockname()[1]), str(i)]) for i in range(n_processes)]
    clock, arrivals = ArrivalClock(), {}
    try:
        while time.monotonic() < t0 + n / 40 + 1.0:
            try:
                data, ancillary, _, _ = sock.recvmsg(64, 64)
            except socket.timeout:
                continue
            k, _ = data.split()
            arrivals.setdefault(int(k), []).append(clock.monotonic_of(ancillary))
    finally:
        for sender in senders:
            sender.wait(timeout=10)
        sock.close()
    return np.array([1000 * (max(t) - min(t)) for t in arrivals.values() if len(t) == n_processes])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--floor-seconds", type=float, default=10.0, help="length of the wake-up floor run")
    p.add_argument("--sync-latch", type=float, metavar="MS", help="the players' --sync-latch (default: theirs, "
                   "3 ms; 0: each frame's ArtSync right after its universes, as before)")
    p.add_argument("--no-realtime", action="store_true", help="the players at normal priority (--no-realtime)")
    args = p.parse_args()
    if not COMPILED.exists() or COMPILED.stat().st_mtime < os.stat(SHOW).st_mtime:
        print("compiling the anniversary show first ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "lightshow", "compile", SHOW, "-o", str(COMPILED)], check=True,
                       cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    player_args = ["--compiled", str(COMPILED)]
    player_args += [] if args.sync_latch is None else ["--sync-latch", f"{args.sync_latch:g}"]
    player_args += ["--no-realtime"] if args.no_realtime else []
    sync_port = free_port()
    receivers = [StampingReceiver(f"127.0.0.{i + 2}") for i in range(4)]
    to_master = StampingReceiver("127.0.0.1")
    ips = [f"127.0.0.{i + 2}" for i in range(4)]
    remotes = [Peer(remote_args(SHOW, i, sync_port, receivers[i], CONTROLLERS[i], player_args)) for i in range(4)]
    master = None
    try:
        for remote in remotes:
            remote.wait_ready(120)
        master = Peer(master_args(SHOW, ips, sync_port, to_master, player_args + ["--controller", CONTROLLERS[0]]))
        started = master.wait_ready(120)
        kill_at = started + args.seconds * 2 / 3
        time.sleep(max(0.0, kill_at - time.monotonic()))
        realtime = [realtime_threads(peer.process.pid) for peer in [master, *remotes]]
        remotes[0].kill()
        killed = time.monotonic()
        time.sleep(1.0)
        restarted = Peer(remote_args(SHOW, 0, sync_port, receivers[0], CONTROLLERS[0], player_args))
        remotes[0] = restarted
        ready = restarted.wait_ready(120)
        time.sleep(max(0.0, started + args.seconds - time.monotonic()))
        ended = time.monotonic()
    finally:
        for peer in [*remotes, master]:
            if peer is not None:
                peer.kill()
        for receiver in [*receivers, to_master]:
            receiver.close()
    # the restarted remote is in lock at its first label within a frame of the others'
    others = receivers[1:]
    rejoin_s = None
    for label, t in sorted(receivers[0].labels.items(), key=lambda item: item[1]):
        if t < ready:
            continue
        times = [r.labels.get(label) for r in others]
        if all(x is not None for x in times) and max(abs(t - x) for x in times) <= 1.0 / FPS:
            rejoin_s = t - ready
            break
    # labels once seen keep their first arrival: the restarted remote plays labels it played before
    # only if the master jumped back, which it does not; its labels after restart are new
    steady = skews_ms(receivers, started + 2.0, killed - 0.1)
    after = skews_ms(receivers, ready + (rejoin_s or 0) + 2.0, ended) if rejoin_s is not None else []
    skews = np.array(steady + after)
    phases = [tick_phase_ms(r, started + 2.0, killed - 0.1) for r in receivers]
    spread = max(min(d, 1000 / FPS - d) for d in [abs(a - b) for a in phases for b in phases])
    spans = frame_spans_ms(receivers, started + 2.0, killed - 0.1)
    universes = [len(r.universes) for r in receivers]
    print(f"remotes' universes: {universes} (of 327); labels compared: {len(skews)}; players' real-time "
          f"threads (master, remotes): {realtime}")
    print(f"skew ms: median {np.median(skews):.2f}, p90 {np.percentile(skews, 90):.2f}, "
          f"p99 {np.percentile(skews, 99):.2f}, max {skews.max():.2f}")
    first_skews = spans["first_skew"]
    if len(first_skews):
        print(f"first ArtDmx of a frame, skew ms (the remotes starting to send; steady part): median "
              f"{np.median(first_skews):.2f}, p99 {np.percentile(first_skews, 99):.2f}; last ArtDmx (a node "
              f"without ArtSync has the whole frame): median {np.median(spans['last_skew']):.2f}, p99 "
              f"{np.percentile(spans['last_skew'], 99):.2f}; labels {len(first_skews)}")
        print("universes' send time ms, first to last ArtDmx, median/p99 per remote: " + ", ".join(
            f"{np.median(x):.2f}/{np.percentile(x, 99):.2f}" for x in spans["universes"]))
        print("first ArtDmx to label ms, median/p99 per remote: " + ", ".join(
            f"{np.median(x):.2f}/{np.percentile(x, 99):.2f}" for x in spans["to_label"]))
        to_label_spread = spans["to_label"].max(0) - spans["to_label"].min(0)
        print(f"label skew against its parts (correlation over labels): with the first-ArtDmx skew "
              f"{correlation(spans['label_skew'], first_skews):.2f}, with the spread of first-ArtDmx-to-label "
              f"times {correlation(spans['label_skew'], to_label_spread):.2f}")
    early, rest = skews_by_block_ms(receivers, started + 2.0, killed - 0.1)
    if early and rest:
        print(f"skew p99 ms in a 40-frame block's first 4 frames {np.percentile(early, 99):.2f} (median "
              f"{np.median(early):.2f}, n {len(early)}), in the rest {np.percentile(rest, 99):.2f} (median "
              f"{np.median(rest):.2f}, n {len(rest)})")
    print("tick phases ms (arrival mod 25 ms): " + ", ".join(f"{x:.1f}" for x in phases)
          + f"; largest difference {spread:.1f} ms (the skew floor while phases are not aligned)")
    if rejoin_s is not None:
        print(f"rejoin: {1000 * rejoin_s:.0f} ms from listening, {1000 * (ready + rejoin_s - restarted.started_s):.0f}"
              f" ms from process start")
    # rejoin as reported: from the restarted process's start (interpreter, imports and show load
    # included); it listens before it says it plays, so "from listening" flatters it
    rejoin_ms = None if rejoin_s is None else 1000 * (ready + rejoin_s - restarted.started_s)
    floor = wake_up_floor_ms(5, args.floor_seconds)
    if len(floor):
        print(f"wake-up floor, 5 bare processes at the same 40 fps deadlines: spread median "
              f"{np.median(floor):.2f} ms, p99 {np.percentile(floor, 99):.2f} ms ({len(floor)} deadlines)")
    baseline = (f" (this host's wake-up floor p99 {np.percentile(floor, 99):.1f} ms" if len(floor) else " (")
    baseline += (f"; first ArtDmx skew p99 {np.percentile(first_skews, 99):.1f} ms)" if len(first_skews) else ")")
    print(f"multisync: skew p99 {np.percentile(skews, 99):.1f} ms, rejoin "
          f"{'n/a' if rejoin_ms is None else f'{rejoin_ms:.0f}'} ms, remotes {len(receivers)}{baseline}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
