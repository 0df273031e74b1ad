import pytest

from tests.artnet_node import ArtNetNode


@pytest.fixture
def node():
    """A small Art-Net node on 127.0.0.2 announcing universes 16..19."""
    node = ArtNetNode("127.0.0.2", [16, 17, 18, 19])
    yield node
    node.close()
