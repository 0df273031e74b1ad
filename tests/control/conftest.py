import pytest

from lightshow.load.project import load_show
from lightshow.playback.show_player import open_player


@pytest.fixture
def player(sim_show):
    """A running player of the small show, sending nowhere."""
    player = open_player(load_show(sim_show), None, [])
    player.start()
    yield player
    player.close()
