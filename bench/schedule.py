"""Scheduled starts and the rejoin after a crash, measured on the wire.

1. Start error: the schedule driver and a player (in this process) send a small show to a
   receiver that keeps the kernel's arrival time of every packet.  A run is put a second
   or so ahead ``--starts`` times (the driver's wall clock is shifted so that the entry's
   minute falls there); the error of a start is the arrival of the first lit frame minus
   the run's instant.
2. Playlist boundary and idle look: the same, with a run of two one-second shows (red, then
   green) and an idle look (blue) between runs, ``--boundaries`` times: the error of the
   second show's first frame against its instant (the run's start plus the first show's
   length), and of the idle look's first frame against the run's end.
3. Rejoin: a real ``lightshow serve --schedule --timecode 25`` plays a 25 fps show whose run
   began this minute; it is killed with SIGKILL mid-run and started again.  Measured: from
   the new process's start to the first ArtTimeCode on the wire (the first frame it sends),
   and how far that frame is from the one the schedule says for its arrival, in frames.

Last line: ``schedule: start error p99 <s> ms, rejoin <r> ms, rejoin error <e> frames``.
"""

from __future__ import annotations

import os
import sys

# run as a script, this folder comes first on sys.path, where queue.py would hide the
# standard library's queue module: the repository root takes its place
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse
import datetime as dt
import pathlib
import shutil
import signal
import subprocess
import tempfile
import time

import numpy as np

from lightshow.load.project import load_show
from lightshow.model.schedule import DaySet, Entry, Schedule, Site, Start
from lightshow.output.artnet_sender import ArtNetSender
from lightshow.playback.frames import FrameSource
from lightshow.playback.scheduled import ScheduleDriver
from lightshow.playback.show_player import open_player
from lightshow.playback.sinks import ArtNetSink
from lightshow.protocol.artnet import parse_packet
from lightshow.protocol.artnet_timecode import ArtTimeCode
from tests.stamped import StampingReceiver  # every datagram with the kernel's arrival time

TOKEN = "bench-schedule-token"

REPO = pathlib.Path(__file__).resolve().parents[1]


def write_project(folder: pathlib.Path, fps: int, duration_s: float) -> pathlib.Path:
    shutil.copytree(REPO / "fixtures", folder / "fixtures")
    (folder / "shows").mkdir()
    (folder / "shows" / "rig.yaml").write_text(
        "name: bench\npatch:\n  - {id: tube, profile: pixel-tube-16, universe: 0, address: 1}\n")
    (folder / "shows" / "show.yaml").write_text(
        f"title: bench\nrig: rig.yaml\nfps: {fps}\nchapters:\n  - id: only\n    cues:\n"
        f"      - {{target: all, effect: solid, params: {{color: white}}, duration: {duration_s:g}}}\n")
    return folder / "shows" / "show.yaml"


def start_errors(folder: pathlib.Path, starts: int) -> list[float]:
    show = load_show(str(write_project(folder, 40, 30)))
    receiver = StampingReceiver(buffer_bytes=16 * 1024 * 1024)
    sink = ArtNetSink(ArtNetSender([0], [[("127.0.0.1", receiver.port)]], sync=False))
    player = open_player(show, None, [sink])
    player.start()
    entry_at = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
    schedule = Schedule("s.yaml", Site(36.65, 117.12, "UTC"), (
        Entry("bench", DaySet(weekdays=frozenset(range(7))), Start(clock=entry_at.time()), ("show.yaml",)),))
    errors = []
    try:
        for _ in range(starts):
            player.stop()
            time.sleep(0.3)                                  # dark frames go out meanwhile
            real_start = time.time() + 1.0 + np.random.default_rng(len(errors)).uniform(0, 0.025)
            shift = entry_at.timestamp() - real_start        # the entry's instant falls at real_start
            driver = ScheduleDriver(player, schedule, 30.0,
                                    now=lambda: dt.datetime.fromtimestamp(time.time() + shift, dt.timezone.utc))
            seen = len(receiver.packets)
            driver.start()
            time.sleep(1.4)
            driver.close()
            lit = [at for at, data in receiver.packets[seen:]       # ArtDmx of universe 0, lit
                   if data[8:10] == b"\x00\x50" and data[14:16] == b"\x00\x00" and data[18] > 0]
            if lit:
                errors.append((lit[0] - real_start) * 1000)
    finally:
        player.close()
        receiver.close()
    return errors


def write_solid(folder: pathlib.Path, name: str, rgb: tuple[int, int, int], duration_s: float) -> pathlib.Path:
    path = folder / "shows" / name
    path.write_text(f"title: {name}\nrig: rig.yaml\nfps: 40\nchapters:\n  - id: only\n    cues:\n"
                    f"      - {{target: all, effect: solid, params: {{color: {list(rgb)}}}, duration: {duration_s:g}}}\n")
    return path


def _colour(data: bytes) -> str | None:
    """Which show a frame of the tube is from, by its first pixel: lead (red), main (green), idle (blue)."""
    if len(data) < 21 or not any(data[18:21]):
        return None
    return ("lead", "main", "idle")[int(np.argmax(np.frombuffer(data[18:21], np.uint8)))]


def boundary_errors(folder: pathlib.Path, runs: int) -> tuple[list[float], list[float]]:
    """(second show's first frame - its instant, idle look's first frame - the run's end) in ms."""
    write_project(folder, 40, 1)
    shows = {name: load_show(str(write_solid(folder, name, rgb, 1.0 if name != "idle.yaml" else 30.0)))
             for name, rgb in (("lead.yaml", (255, 0, 0)), ("main.yaml", (0, 255, 0)), ("idle.yaml", (0, 0, 255)))}
    receiver = StampingReceiver(buffer_bytes=16 * 1024 * 1024)
    sink = ArtNetSink(ArtNetSender([0], [[("127.0.0.1", receiver.port)]], sync=False))
    player = open_player(shows["idle.yaml"], None, [sink])
    for name, show in shows.items():
        source = FrameSource.of_show(show, None)
        source.warm_up()
        player.add_show(name, source)
    player.start()
    entry_at = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
    schedule = Schedule("s.yaml", Site(36.65, 117.12, "UTC"), (
        Entry("bench", DaySet(weekdays=frozenset(range(7))), Start(clock=entry_at.time()),
              ("lead.yaml", "main.yaml")),), idle="idle.yaml")
    durations = {"lead.yaml": 1.0, "main.yaml": 1.0, "idle.yaml": 30.0}
    to_main, to_idle = [], []
    try:
        for n in range(runs):
            real_start = time.time() + 1.0 + np.random.default_rng(100 + n).uniform(0, 0.025)
            shift = entry_at.timestamp() - real_start
            driver = ScheduleDriver(player, schedule, durations,
                                    now=lambda: dt.datetime.fromtimestamp(time.time() + shift, dt.timezone.utc))
            seen = len(receiver.packets)
            driver.start()
            time.sleep(3.4)
            driver.close()
            frames = [(at, _colour(data)) for at, data in receiver.packets[seen:]
                      if data[8:10] == b"\x00\x50" and data[14:16] == b"\x00\x00"]
            main = next((at for at, c in frames if c == "main"), None)
            idle = next((at for at, c in frames if c == "idle" and at > real_start), None)
            if main is not None:
                to_main.append((main - (real_start + 1.0)) * 1000)
            if idle is not None:
                to_idle.append((idle - (real_start + 2.0)) * 1000)
    finally:
        player.close()
        receiver.close()
    return to_main, to_idle


def rejoin(folder: pathlib.Path) -> tuple[float, float]:
    show_path = write_project(folder, 25, 600)
    started = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
    schedule_path = folder / "shows" / "s.schedule.yaml"
    schedule_path.write_text("site: {latitude: 36.65, longitude: 117.12, timezone: UTC}\nentries:\n"
                             f"  - {{id: now, days: [daily], start: \"{started:%H:%M}\", playlist: [show.yaml]}}\n")
    subprocess.run([sys.executable, "-m", "lightshow", "compile", str(show_path), "-q"], check=True, cwd=folder)
    receiver = StampingReceiver(buffer_bytes=16 * 1024 * 1024)

    def serve() -> tuple[subprocess.Popen, float]:
        began = time.time()
        return subprocess.Popen(
            [sys.executable, "-m", "lightshow", "serve", str(show_path), "--schedule", str(schedule_path),
             "--to", "127.0.0.1", "--port", str(receiver.port), "--bind", "127.0.0.1", "--http-port", "0",
             "--osc-port", "0", "--token", TOKEN, "--timecode", "25", "--stop-fade", "0"],
            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), began
    first, _ = serve()
    time.sleep(6.0)
    first.kill()
    first.wait()
    time.sleep(3.0)                                   # its output process fades out and ends
    seen = len(receiver.packets)
    second, began = serve()
    deadline = time.time() + 30
    arrival = code = None
    while time.time() < deadline and arrival is None:
        for at, data in receiver.packets[seen:]:
            packet = parse_packet(data)
            if isinstance(packet, ArtTimeCode):
                arrival, code = at, packet
                break
        time.sleep(0.05)
    second.send_signal(signal.SIGINT)
    second.wait(timeout=20)
    receiver.close()
    if arrival is None:
        raise SystemExit("the restarted server sent no timecode")
    frame = ((code.hours * 60 + code.minutes) * 60 + code.seconds) * 25 + code.frames
    expected = int((arrival - started.timestamp()) * 25)      # the frame whose period it arrived in
    return (arrival - began) * 1000, frame - expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=50)
    parser.add_argument("--boundaries", type=int, default=10)
    args = parser.parse_args()
    folder = pathlib.Path(tempfile.mkdtemp(prefix="lightshow-schedule-"))
    try:
        errors = np.array(start_errors(folder / "starts", args.starts))
        print(f"starts: {len(errors)} of {args.starts} seen; error p50 {np.percentile(errors, 50):.1f} ms, "
              f"p99 {np.percentile(errors, 99):.1f} ms, max {errors.max():.1f} ms (one frame is 25 ms)")
        to_main, to_idle = (np.array(e) for e in boundary_errors(folder / "playlist", args.boundaries))
        for what, errs in (("playlist boundary (second show)", to_main), ("idle look after the run", to_idle)):
            print(f"{what}: {len(errs)} of {args.boundaries} seen; error p50 {np.percentile(errs, 50):.1f} ms, "
                  f"p99 {np.percentile(errs, 99):.1f} ms, max {errs.max():.1f} ms")
        rejoin_ms, frame_error = rejoin(folder / "rejoin")
        print(f"rejoin after SIGKILL: first frame on the wire {rejoin_ms:.0f} ms after the process started, "
              f"{frame_error:+d} frames from the one the schedule says for the moment it arrived")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"schedule: start error p99 {np.percentile(errors, 99):.1f} ms, rejoin {rejoin_ms:.0f} ms, "
          f"rejoin error {abs(frame_error)} frames")


if __name__ == "__main__":
    main()
