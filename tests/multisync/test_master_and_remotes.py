"""A master and four remotes as real processes on loopback: each remote outputs its own
controller's universes to its own 127.0.0.x receiver, and the same show frame leaves every
remote at about the same moment (frames are told apart by the ArtTimeCode each remote sends
after its frame).  A remote killed mid-show rejoins when started again; a master that goes
silent stops the remotes; started again, they follow it again."""

import statistics
import time

import pytest

from tests.multisync.peers import Peer, StampingReceiver, free_port, master_args, remote_args, skews_s

FIXTURE = """\
name: Pixel bar 8
pixels: {columns: 8}
channels: {red: red, green: green, blue: blue}
modes:
  rgb:
    channels: [{pixels: [red, green, blue]}]
"""
RIG = """\
name: four cabinets
patch:
""" + "".join(f"  - {{id: b{u}, profile: bar8, universe: {u}, address: 1, position_m: [{10 * u}, 10, 0]}}\n"
              for u in range(8)) + """\
groups:
  west: [b0, b1]
controllers:
  - {name: cab-a, groups: west}
  - {name: cab-b, universes: [2, 3]}
  - {name: cab-c, universes: [4, 5]}
  - {name: cab-d, groups: [b6, b7]}
"""
SHOW = """\
title: four cabinets
rig: rig.yaml
fps: 40
chapters:
  - id: one
    cues:
      - {id: flow, target: all, effect: rainbow, duration: 120}
"""
CONTROLLERS = {"cab-a": {0, 1}, "cab-b": {2, 3}, "cab-c": {4, 5}, "cab-d": {6, 7}}
TOLERANCE_S = 0.060      # generous: five processes on two cores; the bench measures the real figure


def wait_until(condition, timeout_s, what):
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.fixture
def split_show(project):
    project.fixture("bar8", FIXTURE)
    project.rig(RIG)
    return str(project.show(SHOW))


def test_four_remotes_follow_one_master_each_with_its_own_universes(split_show):
    sync_port = free_port()
    names = list(CONTROLLERS)
    receivers = [StampingReceiver(f"127.0.0.{i + 2}") for i in range(4)]
    to_master = StampingReceiver("127.0.0.1")
    remote_ips = [f"127.0.0.{i + 2}" for i in range(4)]
    remotes = [Peer(remote_args(split_show, i, sync_port, receivers[i], names[i], ["--on-loss", "stop"]))
               for i in range(4)]
    master = None
    try:
        for remote in remotes:
            remote.wait_ready()
        master = Peer(master_args(split_show, remote_ips, sync_port, to_master))
        master.wait_ready()
        started = time.monotonic()
        wait_until(lambda: all(len(r.labels_since(started)) > 30 for r in receivers), 15, "remotes did not follow")
        time.sleep(1.0)
        # each remote outputs exactly its controller's universes
        assert [r.universes for r in receivers] == [CONTROLLERS[n] for n in names]
        skews = skews_s(receivers, started + 0.5)
        assert len(skews) > 20 and statistics.median(skews) < TOLERANCE_S, skews

        # kill a remote mid-show, start it again: it rejoins
        remotes[0].kill()
        time.sleep(0.5)
        gone = time.monotonic()
        assert not receivers[0].labels_since(gone)
        for receiver in receivers:
            receiver.reset()
        remotes[0] = Peer(remote_args(split_show, 0, sync_port, receivers[0], names[0]))
        ready = remotes[0].wait_ready()
        wait_until(lambda: len(receivers[0].labels_since(ready)) > 10, 10, "the restarted remote did not rejoin")
        time.sleep(0.5)
        skews = skews_s(receivers, ready + 0.5)
        assert len(skews) > 5 and statistics.median(skews) < TOLERANCE_S, skews

        # the master goes silent: the remotes stop; it comes back: they follow again
        master.kill()
        silent = time.monotonic()
        wait_until(lambda: all(r.last_label_s is not None and time.monotonic() - r.last_label_s > 0.5
                               for r in receivers), 8, "remotes did not stop without their master")
        assert all(r.last_label_s - silent < 4.0 for r in receivers)
        for receiver in receivers:
            receiver.reset()
        master = Peer(master_args(split_show, remote_ips, sync_port, to_master))
        back = master.wait_ready()
        wait_until(lambda: all(len(r.labels_since(back)) > 10 for r in receivers), 10,
                   "remotes did not follow the master again")
        time.sleep(0.5)
        skews = skews_s(receivers, back + 0.5)
        assert len(skews) > 5 and statistics.median(skews) < TOLERANCE_S, skews
        assert min(receivers[0].labels) < (0, 0, 3, 0)          # from the top again, as the master
    finally:
        for peer in [*remotes, master]:
            if peer is not None:
                peer.kill()
        for receiver in [*receivers, to_master]:
            receiver.close()


def test_export_writes_one_controller_s_sparse_fseq(split_show, tmp_path, capsys):
    from lightshow import cli
    from lightshow.protocol.fseq_reader import FseqReader

    out = tmp_path / "cab-b.fseq"
    assert cli.run(["export", split_show, "--fseq", str(out), "--controller", "cab-b"]) == 0
    reader = FseqReader(out.read_bytes())
    assert [tuple(r) for r in reader.header.sparse_ranges] == [(2 * 512, 24), (3 * 512, 24)]     # FPP numbering, its universes only
    assert cli.run(["export", split_show, "--fseq", str(out), "--controller", "cab-x"]) == 2
    assert "no controller 'cab-x'" in capsys.readouterr().err
