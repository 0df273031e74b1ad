"""LTC through a real audio server: x42's ltcgen played into a private PulseAudio's null sink and
chased from its monitor; our LTC output recorded from the monitor and read by x42's ltcdump.

Timing tolerances are generous (a loaded two-core CI): they check that the chase and the output
work, not how fast this machine is (bench/timecode.py measures that)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import numpy as np
import pytest
import soundfile

from lightshow.core.timecode_chase import ChasePolicy
from lightshow.load.project import load_show
from lightshow.playback.show_player import open_player
from lightshow.protocol.artnet_timecode import TIMECODE_DF, TIMECODE_EBU, TIMECODE_FILM, TIMECODE_SMPTE
from lightshow.protocol.timecode import frame_count, parse_timecode, timecode_seconds
from tests.audio_server import MonitorRecorder, PulseServer, needs_pulseaudio
from tests.tick_trace import Trace

TEN = (10, 0, 0, 0)
needs_ltc_tools = pytest.mark.skipif(shutil.which("ltcgen") is None or shutil.which("ltcdump") is None,
                                     reason="ltc-tools (ltcgen, ltcdump) are installed by .ci/install")
pytestmark = [needs_pulseaudio, needs_ltc_tools]
RATES = {TIMECODE_FILM: "24", TIMECODE_EBU: "25", TIMECODE_DF: "30000/1001df", TIMECODE_SMPTE: "30"}


LONG_SHOW = """\
title: ltc
rig: rig.yaml
fps: 40
chapters:
  - id: one
    cues:
      - {id: glow, target: all, effect: solid, params: {color: red}, duration: 120}
"""


@pytest.fixture
def long_show(project) -> str:
    """A two-minute show of one lit par: longer than any LTC played here."""
    project.rig("name: ltc\npatch:\n  - {id: p, profile: par, universe: 1, address: 1}\n")
    return str(project.show(LONG_SHOW))


@pytest.fixture
def server():
    with PulseServer() as running, MonitorRecorder() as recorder:
        running.recorder = recorder
        yield running


def ltc_wav(folder, name, start="10:00:00:00", length="00:00:02:00", fps="25", dropout_frames=0):
    """ltcgen's LTC from ``start``; with ``dropout_frames``, that many frames of silence half-way (two
    ltcgen files spliced, the second starting where the source's clock is after the silence)."""
    path = folder / f"{name}.wav"
    subprocess.run(["ltcgen", "-f", fps, "-t", start, "-l", length, "-s", "48000", str(path)],
                   check=True, capture_output=True)
    if not dropout_frames:
        return path
    samples, rate = soundfile.read(path, dtype="float32")
    kind = {v: k for k, v in RATES.items()}[fps]
    per_frame = rate / (30000 / 1001 if kind == TIMECODE_DF else float(fps.rstrip("df")))
    half = int(round(len(samples) / per_frame)) // 2
    cut = int(round(half * per_frame))
    gap = int(round(dropout_frames * per_frame))
    samples[cut:cut + gap] = 0.0                    # the source runs on; its signal is gone for a while
    soundfile.write(path, samples, rate, subtype="PCM_16")
    return path


def play_into_sink(path) -> float:
    """paplay ``path`` into the null sink; returns when it is done."""
    subprocess.run(["paplay", "--device=lightshow", "--latency-msec=10", str(path)], check=True, timeout=60)
    return time.monotonic()


def chase_ltc(show_path, path, **policy):
    from lightshow.playback.ltc_follow import LtcFollow

    follow = LtcFollow(None, ChasePolicy(offset=TEN, **policy)).start()   # the default input: the monitor
    heard = []
    follow.input.on_frame = lambda frame, started_s, arrived_s: (heard.append((frame, started_s)),
                                                                 follow._frame(frame, started_s, arrived_s))
    trace = Trace()
    player = open_player(load_show(show_path), None, [trace], time_source=follow)
    trace.player = player
    player.start()
    try:
        ended_s = play_into_sink(path)
        time.sleep(0.8)                                 # past the freewheel: what loss does
        status = player.status()
    finally:
        player.close()
    return player, trace, heard, ended_s, status


def true_show_s(heard, at_s, fps):
    """The source's show time at ``at_s``: from the first decoded frame, its capture time and its rate
    (ltcgen's clock is its sample clock, which is the sink's)."""
    frame, started_s = heard[0]
    return timecode_seconds(*frame.timecode, frame.kind) - 36000.0 + (at_s - started_s)


def test_ltcgen_through_the_audio_server_is_locked_and_chased_within_a_frame(server, long_show, tmp_path):
    path = ltc_wav(tmp_path, "run", length="00:00:03:00")
    player, trace, heard, ended_s, status = chase_ltc(long_show, path)
    assert heard and {frame.kind for frame, _ in heard} == {TIMECODE_EBU}
    first_s = heard[0][1] - 1 / 25                       # the source started a frame before it could be read
    playing = [d for d, state, *_ in trace.rows if state == "playing"]
    assert playing and playing[0] - first_s < 0.5
    errors = np.array([abs(pos - true_show_s(heard, d, 25.0)) * 25 for d, state, pos, _ in trace.rows
                       if state == "playing" and playing[0] + 0.5 <= d <= heard[-1][1]])
    assert len(errors) > 40 and np.percentile(errors, 99) <= 1.0, np.percentile(errors, 99)
    assert player.stats.jumps == 1
    assert status["state"] == "stopped" and status["follow"]["state"] == "lost"   # the LTC stopped


def test_a_dropout_within_the_freewheel_is_run_through_without_a_jump(server, long_show, tmp_path):
    """Eight frames of silence against a freewheel of ten: two and a half frames (100 ms) to spare for
    the capture delay's jitter on a loaded machine (the limit itself, to the frame, is the pure chase's
    test in tests/core/test_timecode_chase.py)."""
    path = ltc_wav(tmp_path, "gap", length="00:00:03:00", dropout_frames=8)
    player, trace, heard, ended_s, status = chase_ltc(long_show, path, freewheel_frames=10)
    counts = [frame_count(*frame.timecode, frame.kind) for frame, _ in heard]
    assert max(np.diff(counts)) >= 8                      # the gap was there
    playing = [d for d, state, *_ in trace.rows if state == "playing"]
    states = {state for d, state, *_ in trace.rows if playing[0] + 0.1 < d < heard[-1][1]}
    assert states == {"playing"} and player.stats.jumps == 1
    assert player.time_source.chase.losses == 1           # only at the end


@pytest.mark.parametrize("kind", list(RATES))
def test_each_rate_is_told_apart(server, tmp_path, kind):
    from lightshow.playback.ltc_follow import LtcFollow

    path = ltc_wav(tmp_path, "rate", length="00:00:01:00", fps=RATES[kind])
    with LtcFollow(None, ChasePolicy(offset=TEN)) as follow:
        player = subprocess.Popen(["paplay", "--device=lightshow", "--latency-msec=10", str(path)])
        time.sleep(0.7)
        status = follow.follow_status(None)
        player.wait(timeout=30)
    assert status["locked"] and status["fps"] == pytest.approx({TIMECODE_FILM: 24, TIMECODE_EBU: 25,
                                                                TIMECODE_DF: 29.97, TIMECODE_SMPTE: 30}[kind])
    assert status["incoming"].startswith("10:00:00")


def ltcdump_frames(samples, folder):
    """[(first sample, label)] as ltcdump reads ``samples``."""
    path = folder / "heard.wav"
    soundfile.write(path, samples, 48000, subtype="PCM_16")
    out = subprocess.run(["ltcdump", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        if line.startswith("#") or "|" not in line:
            continue
        rows.append((int(line.split("|")[1].split()[0]), parse_timecode(line.split()[1].replace(".", ":"))))
    return rows


def audio_faults(server, ltc) -> int:
    """Losses of samples the audio path counted: the LTC output's underflows (PortAudio's ALSA host
    recovering from an xrun drops what was queued), the server's underruns of playback streams (what
    a late client writes for time already played is dropped) and the recorder's overflows."""
    return ltc.output.underflows + server.playback_underruns() + server.recorder.overflows


@pytest.mark.parametrize("kind", [TIMECODE_EBU, TIMECODE_DF])
def test_ltc_out_is_heard_with_the_lights(server, long_show, tmp_path, kind):
    """The show's LTC, recorded from the monitor and read by ltcdump: continuous, and each frame heard
    when the lights for its time go out (within a frame)."""
    from lightshow.playback.sinks import LtcSink

    recorder = server.recorder
    show = load_show(long_show)
    trace = Trace()
    ltc = LtcSink(None, kind, show.fps)
    player = open_player(show, None, [trace, ltc])
    trace.player = player
    player.start()
    try:
        faults_before = audio_faults(server, ltc)
        player.play_from_s(1.0)
        time.sleep(2.5)
        player.pause()
        time.sleep(0.5)
        faults = audio_faults(server, ltc) - faults_before
    finally:
        player.close()
    blocks = list(recorder.blocks)
    samples = np.concatenate([b for _, b in blocks])
    firsts = np.concatenate([[0], np.cumsum([len(b) for _, b in blocks])[:-1]])
    stamps = np.array([s for s, _ in blocks])
    frames = ltcdump_frames(samples, tmp_path)[1:]     # the first frame out of silence may be misread
    fps = 30000 / 1001 if kind == TIMECODE_DF else 25.0
    assert len(frames) > 2.0 * fps
    counts = np.array([frame_count(*label, kind) for _, label in frames])
    # continuous: every step one frame, but for a jump the generator made itself and counted (after a
    # stall of its callback it stays on time, resyncing to the show, rather than fall behind; its first
    # start is a resync) or one where the audio path counted samples lost (full-suite runs on a loaded
    # machine have read jumps of two and three frames)
    steps = np.diff(counts)
    jumps = int(np.sum(steps != 1))
    assert np.all(steps >= 1) and np.mean(steps == 1) >= 0.97, (frames[:3], steps)
    assert jumps <= ltc.output.resyncs - 1 + faults, (steps, ltc.output.resyncs, faults)
    deadlines = np.array([d for d, *_ in trace.rows])
    errors = []
    for sample_idx, label in frames:
        block = int(np.searchsorted(firsts, sample_idx, side="right") - 1)
        heard_s = stamps[block] + (sample_idx - firsts[block]) / 48000
        row = trace.rows[int(np.searchsorted(deadlines, heard_s)) - 1]
        assert row[1] == "playing"
        # the lights' time then: the show frame that tick sent, run on to the instant heard (not the
        # transport's position, which leads the frame it is within by up to a show frame)
        lights_s = row[3] + (heard_s - row[0])
        errors.append((timecode_seconds(*label, kind) - lights_s) * fps)
    assert max(abs(e) for e in errors) <= 1.0, errors
    # silence once paused: nothing decodable after the pause reached the sink
    paused_at = next(d for d, state, *_ in trace.rows if d > trace.rows[0][0] + 1 and state == "paused")
    last_heard = stamps[int(np.searchsorted(firsts, frames[-1][0], side="right") - 1)]
    assert last_heard < paused_at + 0.3


def test_play_follows_ltc_in_a_process_of_its_own(server, long_show, project, tmp_path):
    """``lightshow play SHOW --follow ltc:default`` (the default input is the monitor here), fed by ltcgen
    through paplay: the show (dark for its first second) is lit from 1 s while the LTC runs (3 s), and
    dark before and after (stopped at its start)."""
    from lightshow.protocol.fseq_reader import FseqReader

    path = ltc_wav(tmp_path, "cli", length="00:00:03:00")
    show_path = project.show(LONG_SHOW.replace("{id: glow,", "{id: glow, start: 1,"), "late.yaml")
    record = tmp_path / "out.fseq"
    play = subprocess.Popen([sys.executable, "-m", "lightshow", "play", str(show_path), "--to", "127.0.0.1",
                             "--port", "16454", "--follow", "ltc:default", "--follow-offset", "10:00:00:00",
                             "--no-audio", "--no-window", "--duration", "7", "--record", str(record)],
                            stderr=subprocess.PIPE, text=True)
    time.sleep(2.5)                                   # loaded and listening
    assert play.poll() is None, play.stderr.read()
    play_into_sink(path)
    _, err = play.communicate(timeout=30)
    assert play.returncode == 0, err
    reader = FseqReader(record.read_bytes())
    lit = [bool(frame.any()) for frame in reader.read_frames(0, reader.frame_count)]
    # about 2 s of the 3 s of LTC, then the 10 freewheeled frames (0.4 s at 25 fps) before the loss
    assert 1.5 * 40 <= sum(lit) <= (2.0 + 10 / 25 + 0.25) * 40, (sum(lit), err)
    assert not lit[0] and not lit[-1]
