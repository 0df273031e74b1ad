"""OSC in a process of its own: its commands reach the player, its subscribers hear the status,
and it goes when it is closed."""

import shutil
import socket
import subprocess
import time

import pytest
from pythonosc.osc_message import OscMessage

from lightshow.control.osc_process import OscProcess
from lightshow.errors import LightshowError
from tests.control.test_osc_control import message


@pytest.mark.skipif(not shutil.which("oscsend"), reason="liblo-tools is not installed (.ci/install installs it)")
def test_commands_from_the_osc_process_reach_the_player_and_feedback_comes_back(player):
    osc = OscProcess(player, "127.0.0.1", 0)
    try:
        assert osc._process.is_alive() and osc.address[0] == "127.0.0.1"
        subprocess.run(["oscsend", "127.0.0.1", str(osc.address[1]), "/lightshow/master", "f", "0.5"], check=True)
        deadline = time.monotonic() + 3
        while player.status()["master"] != 0.5:
            assert time.monotonic() < deadline, "the command did not reach the player"
            time.sleep(0.01)
        listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        listener.bind(("127.0.0.1", 0))
        listener.settimeout(3)
        listener.sendto(message("/lightshow/subscribe"), osc.address)
        player.set_master(0.25)                                   # a change made elsewhere (HTTP, say)
        deadline = time.monotonic() + 3
        while True:
            reply = OscMessage(listener.recvfrom(1024)[0])
            if reply.address == "/lightshow/out/master" and reply.params[0] == pytest.approx(0.25):
                break
            assert time.monotonic() < deadline, "no feedback of the change"
        listener.close()
    finally:
        osc.close()
    assert not osc._process.is_alive()


def test_a_port_in_use_is_a_clear_error(player):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        with pytest.raises(LightshowError, match="cannot listen for OSC on 127.0.0.1"):
            OscProcess(player, "127.0.0.1", taken.getsockname()[1])
