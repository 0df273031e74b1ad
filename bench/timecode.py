"""Chasing ArtTimeCode over loopback: a sender process, the player following it.

A sender process (``tests/timecode_peer.py``, our codec) sends ArtTimeCode at 25 fps from
10:00:00:00 on its own absolute deadlines and prints the monotonic time of its frame 0 (the
monotonic clock is the machine's, shared by both processes), so for every tick the true incoming
time is known.  The player (a 40 fps show, offset 10:00:00:00) follows it with a recording sink.

- lock: from the sender's first frame to the first tick that plays within one frame of the
  incoming time (several short runs; the worst is reported);
- chase error: the output frame's time (the start of the show frame the tick carries) against the
  incoming time, in frames of the timecode (25 fps), p99 over a long run from 0.5 s after lock; the
  playhead's own error (before the show frame is chosen) is printed beside it;
- freewheel: the long run has a 10-frame dropout in the middle; reported is the dropout ridden
  through with no jump of the playhead and no loss of the source (0 if it jumped or was lost).

LTC (``--ltc``, the default when pulseaudio and ltcgen are installed): ltcgen's 25 fps LTC from
10:00:00:00 with a 10-frame dropout half-way (silence spliced in) played with paplay into a private
PulseAudio's null sink (tests/audio_server.py) and chased from its monitor by ``LtcFollow``; the
true incoming time is the first decoded frame's capture time and label, run on at 25 fps (ltcgen's
clock is the sink's sample clock).  Lock is counted from the start of the source's first frame.

Last line: ``timecode: chase error p99 <c> frames, lock <l> ms, freewheel <w> frames``, the worse of
the two sources (each one's figures are on the lines above).
"""

from __future__ import annotations

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse  # noqa: E402
import pathlib  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from lightshow.core.timecode_chase import ChasePolicy  # noqa: E402
from lightshow.load.project import load_show  # noqa: E402
from lightshow.playback.show_player import open_player  # noqa: E402
from lightshow.playback.timecode_follow import ArtTimecodeFollow  # noqa: E402
from tests.projects import ProjectDir  # noqa: E402
from tests.tick_trace import Trace  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[1]
TC_FPS = 25.0
OFFSET_S = 36000.0
BIND = "127.0.0.7"
RIG = "name: bench\npatch:\n  - {id: p, profile: par, universe: 1, address: 1}\n"
SHOW = """\
title: timecode bench
rig: rig.yaml
fps: 40
chapters:
  - id: one
    cues:
      - {id: glow, target: all, effect: solid, params: {color: red}, duration: 120}
"""


def make_show(folder: pathlib.Path) -> str:
    project = ProjectDir(folder)                  # fixtures/par.yaml, as the tests' projects have
    project.rig(RIG)
    return str(project.show(SHOW))


def run(show_path: str, seconds: float, dropout: str | None):
    """One chase; returns the trace, the sender's t0 and the player (closed)."""
    follow = ArtTimecodeFollow(BIND, policy=ChasePolicy(offset=(10, 0, 0, 0), freewheel_frames=10)).start()
    trace = Trace()
    player = open_player(load_show(show_path), None, [trace], time_source=follow)
    trace.player = player
    player.start()
    command = [sys.executable, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "timecode_peer.py"), "--to", BIND, "--kind", "25",
               "--start", "10:00:00:00", "--seconds", str(seconds)]
    if dropout:
        command += ["--dropout", dropout]
    sender = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    t0 = float(sender.stdout.readline().split()[1])
    sender.wait(timeout=seconds + 30)
    time.sleep(0.1)
    player.close()
    return trace, t0, player


def true_show_s(deadline_s: float, t0: float) -> float:
    return deadline_s - t0          # the source runs on through dropouts; only its packets stop


def run_ltc(show_path: str, wav: str):
    """One LTC chase through the audio server; returns the trace, the source's t0, the player, the
    decoded frames [(frame, started_s)]."""
    from lightshow.playback.ltc_follow import LtcFollow

    follow = LtcFollow(None, ChasePolicy(offset=(10, 0, 0, 0), freewheel_frames=10)).start()
    heard = []

    def on_frame(frame, started_s, arrived_s):
        heard.append((frame, started_s))
        follow._frame(frame, started_s, arrived_s)
    follow.input.on_frame = on_frame
    trace = Trace()
    player = open_player(load_show(show_path), None, [trace], time_source=follow)
    trace.player = player
    player.start()
    subprocess.run(["paplay", "--device=lightshow", "--latency-msec=10", wav], check=True)
    time.sleep(0.3)
    player.close()
    from lightshow.protocol.timecode import frame_count

    frame, started_s = heard[0]
    t0 = started_s - (frame_count(*frame.timecode, frame.kind) - frame_count(10, 0, 0, 0, frame.kind)) / TC_FPS
    return trace, t0, player, heard


def ltc_wav(folder: pathlib.Path, seconds: float, dropout_at: int | None) -> str:
    import soundfile

    path = folder / f"ltc-{seconds:g}.wav"
    n = int(seconds * TC_FPS)
    subprocess.run(["ltcgen", "-f", "25", "-t", "10:00:00:00", "-l", f"00:00:{n // 25:02d}:{n % 25:02d}", "-s",
                    "48000", str(path)], check=True, capture_output=True)
    if dropout_at is not None:
        samples, rate = soundfile.read(path, dtype="float32")
        per = rate / TC_FPS
        samples[int(dropout_at * per):int((dropout_at + 10) * per)] = 0.0
        soundfile.write(path, samples, rate, subtype="PCM_16")
    return str(path)


def measure_ltc(show_path: str, folder: pathlib.Path, seconds: float, lock_runs: int):
    """LTC figures (chase error p99 frames, worst lock ms, freewheel frames), printed as they come."""
    from tests.audio_server import MonitorRecorder, PulseServer

    with PulseServer(), MonitorRecorder():
        locks_ms = []
        for _ in range(lock_runs):
            trace, t0, _, _ = run_ltc(show_path, ltc_wav(folder, 1.0, None))
            locked = [d for d, state, pos, _ in trace.rows
                      if state == "playing" and abs(pos - true_show_s(d, t0)) * TC_FPS < 1.0]
            locks_ms.append((locked[0] - t0) * 1000 if locked else float("inf"))
        print(f"ltc lock: {', '.join(f'{v:.0f}' for v in locks_ms)} ms over {len(locks_ms)} runs")
        n_frames = int(seconds * TC_FPS)
        first_dropped = n_frames // 2
        trace, t0, player, heard = run_ltc(show_path, ltc_wav(folder, seconds, first_dropped))
    end = heard[-1][1]
    locked_at = next(d for d, state, pos, _ in trace.rows
                     if state == "playing" and abs(pos - true_show_s(d, t0)) * TC_FPS < 1.0)
    rows = [(d, pos, show_s) for d, state, pos, show_s in trace.rows
            if locked_at + 0.5 <= d <= end and state == "playing"]
    playhead = np.array([abs(pos - true_show_s(d, t0)) * TC_FPS for d, pos, _ in rows])
    output = np.array([abs(show_s - true_show_s(d, t0)) * TC_FPS for d, _, show_s in rows])
    stopped = sum(1 for d, state, *_ in trace.rows if locked_at + 0.5 <= d <= end and state != "playing")
    follow = player.time_source
    print(f"ltc long run: {seconds:g} s at 25 fps through the audio server, {len(rows)} ticks; playhead error "
          f"p50 {np.percentile(playhead, 50):.3f} p99 {np.percentile(playhead, 99):.3f} max {playhead.max():.3f} "
          f"frames; output frame error p50 {np.percentile(output, 50):.3f} p99 "
          f"{np.percentile(output, 99):.3f} max {output.max():.3f} frames; capture delay "
          f"{follow.input.delay_s * 1000:.1f} ms")
    print(f"ltc dropout of 10 frames at frame {first_dropped}: player jumps {player.stats.jumps} (1 is the "
          f"start), source losses {follow.chase.losses}, ticks not playing {stopped}")
    rode_through = player.stats.jumps == 1 and follow.chase.losses <= 1 and stopped == 0
    p99 = float(np.percentile(output, 99))
    print(f"ltc: chase error p99 {p99:.2f} frames, lock {max(locks_ms):.0f} ms, "
          f"freewheel {10 if rode_through else 0} frames")
    return p99, max(locks_ms), 10 if rode_through else 0


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=20.0, help="the long run")
    p.add_argument("--lock-runs", type=int, default=5)
    p.add_argument("--no-ltc", action="store_true", help="ArtTimeCode only")
    args = p.parse_args()
    folder = pathlib.Path(tempfile.mkdtemp(prefix="lightshow-bench-tc-"))
    show_path = make_show(folder)

    locks_ms = []
    for _ in range(args.lock_runs):
        trace, t0, _ = run(show_path, 1.0, None)
        locked = [d for d, state, pos, _ in trace.rows
                  if state == "playing" and abs(pos - true_show_s(d, t0)) * TC_FPS < 1.0]
        locks_ms.append((locked[0] - t0) * 1000 if locked else float("inf"))
    print(f"lock: {', '.join(f'{v:.0f}' for v in locks_ms)} ms over {len(locks_ms)} runs")

    n_frames = int(args.seconds * TC_FPS)
    first_dropped = n_frames // 2
    trace, t0, player = run(show_path, args.seconds, f"{first_dropped}:10")
    end = t0 + (n_frames - 1) / TC_FPS
    locked_at = next(d for d, state, pos, _ in trace.rows
                     if state == "playing" and abs(pos - true_show_s(d, t0)) * TC_FPS < 1.0)
    rows = [(d, pos, show_s) for d, state, pos, show_s in trace.rows
            if locked_at + 0.5 <= d <= end and state == "playing"]
    playhead = np.array([abs(pos - true_show_s(d, t0)) * TC_FPS for d, pos, _ in rows])
    output = np.array([abs(show_s - true_show_s(d, t0)) * TC_FPS for d, _, show_s in rows])
    stopped = sum(1 for d, state, *_ in trace.rows if locked_at + 0.5 <= d <= end and state != "playing")
    follow = player.time_source
    dropout_rows = [abs(pos - true_show_s(d, t0)) * TC_FPS for d, pos, _ in rows
                    if t0 + first_dropped / TC_FPS <= d <= t0 + (first_dropped + 12) / TC_FPS]
    print(f"long run: {args.seconds:g} s at 25 fps, {len(rows)} ticks at 40 fps; playhead error p50 "
          f"{np.percentile(playhead, 50):.3f} p99 {np.percentile(playhead, 99):.3f} max {playhead.max():.3f} "
          f"frames; output frame error p50 {np.percentile(output, 50):.3f} p99 {np.percentile(output, 99):.3f} "
          f"max {output.max():.3f} frames")
    print(f"dropout of 10 frames at frame {first_dropped}: max playhead error during it "
          f"{max(dropout_rows):.3f} frames; player jumps {player.stats.jumps} (1 is the start), "
          f"source losses {follow.chase.losses}, ticks not playing {stopped}")
    rode_through = player.stats.jumps == 1 and follow.chase.losses <= 1 and stopped == 0
    figures = [(float(np.percentile(output, 99)), max(locks_ms), 10 if rode_through else 0)]
    print(f"artnet: chase error p99 {figures[0][0]:.2f} frames, lock {figures[0][1]:.0f} ms, "
          f"freewheel {figures[0][2]} frames")
    import shutil

    sources = "ArtTimeCode"
    if not args.no_ltc and all(shutil.which(tool) for tool in ("pulseaudio", "ltcgen", "paplay")):
        figures.append(measure_ltc(show_path, folder, args.seconds, args.lock_runs))
        sources = "ArtTimeCode and LTC, the worse of the two"
    else:
        sources += "; LTC not measured (--no-ltc, or pulseaudio/ltc-tools missing)"
    print(f"timecode: chase error p99 {max(f[0] for f in figures):.2f} frames, lock "
          f"{max(f[1] for f in figures):.0f} ms, freewheel {min(f[2] for f in figures)} frames ({sources})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
