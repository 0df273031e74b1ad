"""Tests for the Art-Net header module: OpCodes, ports, Port-Addresses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lightshow.errors import FormatError
from lightshow.protocol.artnet_header import (
    ARTNET_PORT,
    OP_DMX,
    OP_POLL,
    OP_POLL_REPLY,
    OP_SYNC,
    OP_TIMECODE,
    PROTOCOL_VERSION,
    port_address,
    split_port_address,
)


# ---------------------------------------------------------------- constants


def test_constants():
    assert ARTNET_PORT == 6454
    assert PROTOCOL_VERSION == 14
    assert (OP_DMX, OP_SYNC, OP_POLL, OP_POLL_REPLY, OP_TIMECODE) == (
        0x5000,
        0x5200,
        0x2000,
        0x2100,
        0x9700,
    )


# ------------------------------------------------------------ port address


def test_port_address_packs_net_subnet_universe():
    assert port_address(0x12, 3, 4) == 0x1234
    assert port_address(0, 0, 0) == 0
    assert port_address(127, 15, 15) == 32767
    assert split_port_address(0x1234) == (0x12, 3, 4)
    assert split_port_address(32767) == (127, 15, 15)


@pytest.mark.parametrize(("net", "sub", "uni"), [(128, 0, 0), (0, 16, 0), (0, 0, 16), (-1, 0, 0)])
def test_port_address_rejects_out_of_range_parts(net, sub, uni):
    with pytest.raises(FormatError):
        port_address(net, sub, uni)


@pytest.mark.parametrize("pa", [-1, 32768, 0x10000])
def test_split_port_address_rejects_out_of_range(pa):
    with pytest.raises(FormatError, match=r"0\.\.32767"):
        split_port_address(pa)


@given(st.integers(0, 32767))
def test_split_and_join_port_address_round_trip(pa):
    assert port_address(*split_port_address(pa)) == pa
