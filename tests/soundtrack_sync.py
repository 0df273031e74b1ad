"""Audio-light offset of a show played with its soundtrack, measured on a real audio server.

A show at 40 fps plays a soundtrack of one-sample clicks every ``CLICK_EVERY_S`` through the
player with the soundtrack as its clock (:class:`lightshow.playback.soundtrack.SoundtrackClock`),
into a private PulseAudio's null sink (``tests/audio_server.py``) whose monitor is recorded with
every block stamped on the monotonic clock.  A sink logs every tick: its deadline and where the
light's playhead was then.  Meanwhile the operator seeks and pauses (seeded, so each run does the
same).

For each click heard at monotonic time ``h``, the offset is the light's show time at ``h`` (the
playhead of the tick before, run on to ``h`` at the rate) minus the show time of the click (its
song position plus the soundtrack's ``offset_s``): positive when the lights are ahead of the music.
The frames that go out carry the playhead's whole frame, so a light change is quantised to the
frame period on top of this offset, as on any player at that frame rate.  Clicks heard within
``latency + SETTLE`` of a move are left out: what was already in the device's buffer still sounds
the old position for that long after the lights moved.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

import numpy as np

from tests.audio_server import SAMPLE_RATE, MonitorRecorder, PulseServer, click_track

CLICK_EVERY_S = 0.1
FPS = 40
SONG_OFFSET_S = 0.5           # the soundtrack begins half a second into the show


@dataclass
class SyncRun:
    offsets_ms: np.ndarray
    clicks_heard: int
    moves: int
    latency_ms: float
    jumps: int
    late_ticks: int
    ticks: list = field(repr=False, default_factory=list)

    def figures(self) -> str:
        o = np.abs(self.offsets_ms)
        return (f"{len(o)} clicks measured of {self.clicks_heard} heard, {self.moves} seeks/pauses, "
                f"offset mean {self.offsets_ms.mean():+.2f} ms, |offset| p50 {np.percentile(o, 50):.2f} ms, "
                f"p99 {np.percentile(o, 99):.2f} ms, max {o.max():.2f} ms; output latency {self.latency_ms:.1f} ms, "
                f"light jumps {self.jumps}, late ticks {self.late_ticks}")


class TickLog:
    """A sink that remembers (deadline, the light's playhead then, playing?) of every tick."""

    def __init__(self):
        self.player = None
        self.ticks: list[tuple[float, float, bool]] = []

    def send(self, frame, deadline_s, show_s) -> None:
        transport = self.player.transport
        self.ticks.append((deadline_s, transport.position_s(deadline_s), transport.state == "playing"))

    def close(self) -> None:
        pass


def write_project(root, song_s: float):
    from lightshow.load.audio_file import write_audio

    (root / "fixtures").mkdir(exist_ok=True)
    (root / "shows").mkdir(exist_ok=True)
    from tests.projects import PAR

    (root / "fixtures" / "par.yaml").write_text(PAR, encoding="utf-8")
    (root / "shows" / "rig.yaml").write_text("name: t\npatch:\n  - {id: p, profile: par, universe: 1, address: 1}\n",
                                             encoding="utf-8")
    clicks = np.arange(0.05, song_s - 0.05, CLICK_EVERY_S)
    write_audio(str(root / "shows" / "clicks.wav"), click_track(clicks, song_s), SAMPLE_RATE)
    show_s = song_s + SONG_OFFSET_S
    (root / "shows" / "show.yaml").write_text(
        f"title: sync\nrig: rig.yaml\nfps: {FPS}\naudio: {{path: clicks.wav, offset_s: {SONG_OFFSET_S}}}\n"
        f"chapters:\n  - id: one\n    cues:\n      - {{id: on, target: all, effect: solid, duration: {show_s}}}\n",
        encoding="utf-8")
    return str(root / "shows" / "show.yaml"), clicks


def run_sync(root, duration_s: float, seed: int = 7, as_clock: bool = True) -> SyncRun:
    """Play for ``duration_s`` with seeks and pauses; the offsets of every click heard.  Without
    ``as_clock`` (the baseline) the lights run on the monotonic clock and the music only starts,
    pauses and seeks with them, with no correction for the output latency."""
    from lightshow.load.project import load_show
    from lightshow.playback.show_player import open_player
    from lightshow.playback.soundtrack import SETTLE_S, open_soundtrack

    song_s = max(30.0, duration_s / 2)
    show_path, clicks = write_project(root, song_s)
    show = load_show(show_path)
    randomness = random.Random(seed)
    with PulseServer(), MonitorRecorder() as recorder:
        clock = open_soundtrack(show.soundtrack)
        log = TickLog()
        if as_clock:
            player = open_player(show, None, [log], time_source=clock)
        else:
            clock.latency_lead = False
            player = open_player(show, None, [log])
            player.followers.append(clock)
        log.player = player
        moves: list[float] = []
        player.start()
        player.play_from_s(1.0)
        moves.append(time.monotonic())
        end = time.monotonic() + duration_s
        while time.monotonic() < end:
            time.sleep(randomness.uniform(0.8, 2.5))
            if randomness.random() < 0.35:
                player.pause()
                moves.append(time.monotonic())
                time.sleep(randomness.uniform(0.2, 0.8))
                player.resume()
            else:
                player.play_from_s(randomness.uniform(0.0, song_s - 3.0))
            moves.append(time.monotonic())
        latency_s = clock.output.latency_s
        player.close()
        heard = recorder.onsets()
    ticks = np.array([(t, p, playing) for t, p, playing in log.ticks])
    moves_s = np.array(moves)
    offsets = []
    for h in heard:
        before = np.searchsorted(moves_s, h) - 1
        if before < 0 or h - moves_s[before] < latency_s + SETTLE_S + 1.0 / FPS:
            continue
        k = int(np.searchsorted(ticks[:, 0], h)) - 1
        if k < 0 or not ticks[k, 2] or moves_s[before] > ticks[k, 0]:
            continue
        light_s = ticks[k, 1] + (h - ticks[k, 0])
        song_position = light_s - SONG_OFFSET_S
        click = clicks[int(np.argmin(np.abs(clicks - song_position)))]
        offsets.append((light_s - (click + SONG_OFFSET_S)) * 1000.0)
    return SyncRun(np.array(offsets), len(heard), len(moves), latency_s * 1000.0, player.stats.jumps,
                   player.stats.late_ticks, log.ticks)


__all__ = ["SyncRun", "run_sync"]
