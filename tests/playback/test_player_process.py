"""The player in a process of its own: commanded over a pipe, its status reported back, and it
ends by itself when the control process goes away."""

import os
import time

import pytest

from lightshow.errors import NotFoundError
from lightshow.load.project import load_show
from lightshow.output.artnet_sender import ArtNetSender
from lightshow.playback.player_process import PlayerProcess
from lightshow.playback.show_player import open_player
from lightshow.playback.sinks import ArtNetSink
from tests.control.test_osc_control import Receiver


@pytest.fixture
def output(sim_show):
    show, receiver = load_show(sim_show), Receiver()

    def open_in_output_process():
        sink = ArtNetSink(ArtNetSender([0, 1], [[("127.0.0.1", receiver.port)]] * 2, sync=False))
        return open_player(show, None, [sink])
    yield open_in_output_process, receiver
    receiver.sock.close()


def test_commands_cross_to_the_output_process_and_status_comes_back(output):
    open_in_output_process, receiver = output
    player = PlayerProcess(open_in_output_process)
    try:
        assert player._process.pid != os.getpid() and player._process.is_alive()
        assert [c.id for c in player.index.chapters] == ["first", "second"] and "pixels" in player.group_names
        player.set_loop(True)
        assert player.play()["state"] == "playing"
        receiver.wait_for(lambda d: d[0] == 255)                      # the red roof, from the other process
        player.set_master(0.5)
        receiver.wait_for(lambda d: d[0] == 128)
        with pytest.raises(NotFoundError, match="no chapter 'nine'"):
            player.goto_chapter("nine")
        heard = []
        player.subscribe(heard.append)
        time.sleep(0.6)
        assert heard and heard[-1]["state"] == "playing" and heard[-1]["master"] == 0.5   # pushed, 5 a second
        assert player.status() == heard[-1]
    finally:
        player.close(fade_s=0.2)
    assert not player._process.is_alive()


def test_the_output_process_fades_out_and_ends_when_control_goes_away(output):
    open_in_output_process, receiver = output
    player = PlayerProcess(open_in_output_process)
    player.play()
    receiver.wait_for(lambda d: d[0] == 255)
    player._commands.close()                                          # as if the control process died
    player._process.join(timeout=6)
    assert not player._process.is_alive()
    receiver.wait_for(lambda d: not any(d), timeout_s=2)              # it faded to black on its way out
