"""The player on a fake clock: deadlines, transport, overrides, sinks (no sleeps); and on the real
clock, where it is about the clock: fetching between ticks, real-time scheduling."""

import pathlib
import time

import numpy as np
import pytest

from lightshow.playback.show_player import open_player
from lightshow.playback.sinks import LatestFrameSink, RecorderSink
from lightshow.errors import LightshowError
from lightshow.load.project import load_show
from lightshow.protocol.fseq_reader import FseqReader

REPO = pathlib.Path(__file__).resolve().parents[2]


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


class Recording:
    def __init__(self):
        self.frames, self.deadlines, self.closed = [], [], False

    def send(self, frame, deadline_s, show_s):
        self.frames.append(frame.copy())
        self.deadlines.append(deadline_s)

    def close(self):
        self.closed = True


@pytest.fixture
def rig_player(sim_show):
    """A player of the small show (20 fps, chapters at frames 0 and 40) on a fake clock."""
    clock, sink = FakeClock(), Recording()
    player = open_player(load_show(sim_show), None, [sink], clock=clock, sleep=clock.sleep, background=False)
    return player, clock, sink


def roof_red(frame):
    return int(frame[0, 0])           # the roof's first pixel, red byte


def test_ticks_go_out_on_absolute_deadlines_and_late_ones_are_skipped(rig_player):
    player, clock, sink = rig_player
    send = sink.send

    def stalling_send(frame, deadline_s, show_s):  # the machine stalls for 10 periods at tick 5
        send(frame, deadline_s, show_s)
        if len(sink.frames) == 5:
            clock.now += 0.5
    sink.send = stalling_send
    player.play()
    player.run(n_ticks=20)
    assert sink.deadlines[:5] == pytest.approx([1000.0 + n / 20 for n in range(5)])
    assert player.stats.late_ticks == 9 and len(sink.frames) == 11
    # after the stall the clock is where it should be: tick n at t0 + n / 20, not shifted
    assert sink.deadlines[5:] == pytest.approx([1000.0 + n / 20 for n in range(14, 20)])


def test_transport_commands_choose_the_frames(rig_player):
    player, clock, sink = rig_player
    assert player.status()["state"] == "stopped"
    player.tick(clock())
    assert roof_red(sink.frames[-1]) == 0                     # stopped: intensity at zero
    player.play()
    player.tick(clock())
    assert roof_red(sink.frames[-1]) == 255                   # chapter one: red roof
    player.goto_chapter("2")
    status = player.status()
    assert (status["chapter"], status["frame"], status["cues"]) == ("second", 40, ["blue-all"])
    player.tick(clock())
    assert roof_red(sink.frames[-1]) == 0 and sink.frames[-1][0, 2] == 255   # blue
    player.goto_cue("red-roof")
    player.pause()
    clock.now += 3
    assert player.status()["frame"] == 0 and player.status()["state"] == "paused"
    player.go()                                               # next cue start after frame 0
    assert player.status()["frame"] == 40 and player.status()["state"] == "playing"
    with pytest.raises(LightshowError, match="no chapter 'nine'"):
        player.goto_chapter("nine")
    with pytest.raises(LightshowError, match="outside the show"):
        player.seek_s(99)


def test_master_blackout_group_and_freeze_apply_at_output(rig_player):
    player, clock, sink = rig_player
    player.play()
    player.set_master(0.5, fade_s=1.0)
    player.tick(clock())
    assert roof_red(sink.frames[-1]) == 255                   # the fade starts where it was
    clock.now += 0.5
    player.tick(clock())
    assert roof_red(sink.frames[-1]) == 191                   # 0.75 of the way: 255 * 0.75
    clock.now += 0.5
    player.tick(clock())
    assert roof_red(sink.frames[-1]) == 128
    player.set_blackout(True)
    player.tick(clock())
    assert not sink.frames[-1][0, :24].any()
    player.set_blackout(False)
    player.set_master(1.0)
    player.set_group("pixels", 0.0)
    player.tick(clock())
    assert not sink.frames[-1][0, :40].any()                  # roof and tower off; the par...
    assert sink.frames[-1][1, :4].tolist() == [128, 0, 0, 255]  # ...keeps its level and blue
    player.set_group("pixels", 1.0)
    player.tick(clock())
    player.set_freeze(True)
    frozen = sink.frames[-1]
    player.goto_chapter("second")
    player.tick(clock())
    assert np.array_equal(sink.frames[-1], frozen)
    player.set_freeze(False)
    player.tick(clock())
    assert not np.array_equal(sink.frames[-1], frozen)
    with pytest.raises(LightshowError, match="no group 'nope'"):
        player.set_group("nope", 1.0)
    with pytest.raises(LightshowError, match="master must be 0..1"):
        player.set_master(1.5)


def test_listeners_hear_every_change(rig_player):
    player, _, _ = rig_player
    heard = []
    unsubscribe = player.subscribe(heard.append)
    player.play()
    player.set_master(0.2)
    unsubscribe()
    player.stop()
    assert [h["state"] for h in heard] == ["playing", "playing"] and heard[-1]["master"] == 0.2


def test_several_sinks_at_once_and_a_recording(rig_player, tmp_path):
    player, clock, sink = rig_player
    latest = LatestFrameSink(2 * 512)
    recorder = RecorderSink(str(tmp_path / "rec.fseq"), 2 * 512, 20)
    player.sinks += [latest, recorder]
    player.play()
    player.run(n_ticks=30)
    player.close()
    assert sink.closed and latest.frames == 30
    assert np.array_equal(latest.frame(), sink.frames[-1].reshape(-1))
    with open(tmp_path / "rec.fseq", "rb") as handle:
        reader = FseqReader(handle.read())
    recorded = reader.read_frames(0, reader.frame_count)
    assert recorded.shape == (30, 1024)
    assert np.array_equal(recorded, np.stack([f.reshape(-1) for f in sink.frames]))


def test_a_failing_sink_does_not_stop_the_others(rig_player):
    player, clock, sink = rig_player

    class Broken:
        def send(self, frame, deadline_s, show_s):
            raise OSError("network is unreachable")

        def close(self):
            pass

    player.sinks.insert(0, Broken())
    player.play()
    player.run(n_ticks=3)
    assert len(sink.frames) == 3


def test_a_compiled_file_plays_the_same_frames(sim_show, tmp_path):
    from lightshow.files.compiled_file import compile_show

    show = load_show(sim_show)
    compile_show(show, str(tmp_path / "s.fseq"))
    frames = []
    for compiled in (None, str(tmp_path / "s.fseq")):
        clock, sink = FakeClock(), Recording()
        player = open_player(show, compiled, [sink], clock=clock, sleep=clock.sleep, background=False)
        player.play()
        player.run(n_ticks=60)
        player.close()
        frames.append(np.stack(sink.frames))
    assert np.array_equal(frames[0], frames[1])


def test_rig_nodes_get_artnet_or_sacn_and_closing_ends_the_sacn_streams(project):
    import socket

    from lightshow.playback.sinks import Outputs, output_sinks
    from lightshow.protocol.artnet import parse_packet
    from lightshow.protocol.artnet_dmx import ArtDmx
    from lightshow.protocol.sacn import parse_sacn_data
    from tests.projects import RGB_PIXEL_BAR

    receivers = {}
    for ip, port in (("127.0.0.6", 5568), ("127.0.0.7", 6454)):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((ip, port))
        sock.settimeout(1)
        receivers[ip] = sock
    project.fixture("bar8", RGB_PIXEL_BAR.format(n=8))
    project.rig("name: t\nnodes:\n  - {name: s, ip: 127.0.0.6, universes: [0, 0], protocol: sacn}\n"
                "  - {name: a, ip: 127.0.0.7, universes: [1, 1]}\n"
                "patch:\n  - {id: x, profile: bar8, universe: 0, address: 1}\n"
                "  - {id: y, profile: bar8, universe: 1, address: 1}\n")
    project.show("title: t\nrig: rig.yaml\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: all, effect: solid, params: {color: red}, duration: 1}\n")
    show = load_show("shows/show.yaml")
    clock = FakeClock()
    player = open_player(show, None, output_sinks([0, 1], show.rig.nodes, Outputs(to=None)), clock=clock,
                         sleep=clock.sleep, background=False)
    try:
        player.play()
        player.tick(clock())
        sacn = parse_sacn_data(receivers["127.0.0.6"].recv(2048))
        artnet = parse_packet(receivers["127.0.0.7"].recv(2048))
        assert (sacn.universe, sacn.data[:3], sacn.terminated) == (1, b"\xff\x00\x00", False)
        assert isinstance(artnet, ArtDmx) and (artnet.port_address, artnet.data[:3]) == (1, b"\xff\x00\x00")
        player.close()
        ends = [parse_sacn_data(receivers["127.0.0.6"].recv(2048)) for _ in range(3)]
        assert all(p.terminated for p in ends)                     # stream termination, three times
    finally:
        for sock in receivers.values():
            sock.close()


class Follower:
    """Hears every move of the transport, as the soundtrack does."""

    def __init__(self):
        self.moves = []

    def transport_moved(self, state, show_s, rate, now_s):
        self.moves.append((state, round(show_s, 3), rate))


def test_followers_hear_play_pause_seek_rate_a_loop_wrap_and_the_end(rig_player):
    player, clock, sink = rig_player           # a 3 s show at 20 fps
    follower = Follower()
    player.followers.append(follower)
    player.play()
    player.set_rate(2.0)
    player.seek_s(1.0)
    player.pause()
    player.resume()
    assert follower.moves == [("playing", 0.0, 1.0), ("playing", 0.0, 2.0), ("playing", 1.0, 2.0),
                              ("paused", 1.0, 2.0), ("playing", 1.0, 2.0)]
    player.set_loop(True)
    for _ in range(25):                        # 1.25 s at twice the speed: past the end, wrapped to 0.5 s
        clock.now += 0.05
        player.tick(clock())
    assert follower.moves[-1][0] == "playing" and follower.moves[-1][1] == pytest.approx(0.0, abs=0.001)
    assert len(follower.moves) == 7            # the loop command, then the wrap; running on says nothing
    player.set_loop(False)
    for _ in range(30):
        clock.now += 0.05
        player.tick(clock())
    assert follower.moves[-1][0] == "ended"


class Music(Follower):
    """A show's soundtrack clock, as far as the player sees it."""
    name = "soundtrack"

    def show_time_s(self, now_s):
        return None


def test_switching_shows_switches_the_music(sim_show):
    from lightshow.playback.frames import FrameSource

    clock, sink, first, second = FakeClock(), Recording(), Music(), Music()
    show = load_show(sim_show)
    player = open_player(show, None, [sink], clock=clock, sleep=clock.sleep, background=False, time_source=first)
    player.add_show("other", FrameSource.of_show(show, None), music=second)
    player.add_show("silent", FrameSource.of_show(show, None))
    player.play()
    player.play_show("other", from_s=1.0)
    assert first.moves[-1][0] == "paused" and player.time_source is second
    assert second.moves == [("playing", 1.0, 1.0)] and first not in player.followers
    player.play_show("silent")
    assert second.moves[-1][0] == "paused" and player.time_source.name == "clock" and player.followers == []
    player.play_show("")
    assert player.time_source is first and first.moves[-1] == ("playing", 0.0, 1.0)


class Leader:
    """A time source 0.013 s ahead of the clock's start: its frames begin 0.013 s off the ticks."""
    name = "leader"

    def __init__(self, clock):
        self.clock, self.t0 = clock, clock.now

    def show_time_s(self, now_s):
        return now_s - self.t0 + 0.013


def test_ticks_move_onto_the_frames_of_the_source_they_follow(sim_show):
    from lightshow.core.follow import TICK_PHASE_TARGET

    clock, sink = FakeClock(), Recording()
    player = open_player(load_show(sim_show), None, [sink], clock=clock, sleep=clock.sleep, background=False,
                         time_source=Leader(clock), keep_tick_times=True)
    player.play()
    player.run(n_ticks=40)
    playhead = player.transport.position_s(sink.deadlines[-1]) * player.fps
    assert playhead % 1.0 == pytest.approx(TICK_PHASE_TARGET, abs=0.01)
    # the ticks moved by less than a period in all, and still a period apart (give or take the slew)
    assert abs(player.tick_phase_s) < 1 / player.fps
    assert np.diff(sink.deadlines[-10:]) == pytest.approx([1 / player.fps] * 9, abs=2e-3)


class Latching(Recording):
    """A sink that holds each frame's ArtSync for the player to latch ``latch_s`` after the deadline."""

    latch_s = 0.003

    def __init__(self, clock):
        super().__init__()
        self.clock, self.latched = clock, []

    def latch(self):
        self.latched.append((len(self.frames), self.clock()))


def test_a_latching_sink_is_latched_its_latch_time_after_each_deadline_after_every_send(sim_show):
    clock = FakeClock()
    sink = Latching(clock)
    other = Recording()
    player = open_player(load_show(sim_show), None, [sink, other], clock=clock, sleep=clock.sleep,
                         background=False)
    player.play()
    player.run(n_ticks=6)
    assert [n for n, _ in sink.latched] == [1, 2, 3, 4, 5, 6]        # after its frame was sent
    assert [t for _, t in sink.latched] == pytest.approx([d + 0.003 for d in sink.deadlines], abs=1e-9)
    assert other.deadlines == sink.deadlines                          # every sink sent before the latch


def test_the_frame_cache_s_steps_go_just_after_a_tick_while_the_clock_runs(sim_show):
    from lightshow.playback.player import FETCH_MARGIN_S

    sink = Recording()
    player = open_player(load_show(sim_show), None, [sink])          # the real clock, 20 fps
    started = time.monotonic()
    player._between_ticks()                                          # no clock yet: at once
    assert time.monotonic() - started < 0.01
    returned = []
    player.play()
    player.start()
    try:
        for _ in range(20):
            player._between_ticks()
            returned.append(time.monotonic())
    finally:
        player.close()
    period = 1 / player.fps
    deadlines = np.array(sink.deadlines)
    late = [r for r in returned if r - deadlines[deadlines <= r].max() > period - FETCH_MARGIN_S]
    assert len(returned) == 20 and len(late) <= 2, late      # each one just after a tick (a loaded host may stall one)
    assert len(set(np.searchsorted(deadlines, returned))) == 20   # one step per tick


REALTIME_PLAYER = """
import os, sys, time
from lightshow.load.project import load_show
from lightshow.playback.show_player import open_player
from lightshow.playback.sinks import LatestFrameSink
player = open_player(load_show(sys.argv[1]), None, [LatestFrameSink(2 * 512)], realtime_priority=10)
player.play()
player.start()
time.sleep(0.5)
print(player.realtime, os.sched_getscheduler(player._thread.native_id), player.stats.ticks > 5)
player.close()
"""


def _realtime_permitted() -> bool:
    import os
    import threading

    result = []

    def probe():
        try:
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))
            result.append(True)
        except OSError:
            result.append(False)
    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    return result[0]


def test_the_clock_thread_runs_real_time_where_permitted_and_at_normal_priority_where_not(sim_show):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    run = [sys.executable, "-c", REALTIME_PLAYER, os.path.abspath(sim_show)]
    here = subprocess.run(run, env=env, capture_output=True, text=True, timeout=60)
    fifo = _realtime_permitted()
    assert here.stdout.split() == ([str(fifo), str(os.SCHED_FIFO if fifo else os.SCHED_OTHER), "True"]), here.stderr
    # without CAP_SYS_NICE (and RLIMIT_RTPRIO 0) the kernel refuses: the clock runs on, and says so
    refused = subprocess.run(["setpriv", "--inh-caps=-sys_nice", "--bounding-set=-sys_nice", "--", *run],
                             env=env, capture_output=True, text=True, timeout=60)
    assert refused.stdout.split() == ["False", str(os.SCHED_OTHER), "True"], refused.stderr
    assert "real-time scheduling not permitted" in refused.stderr
