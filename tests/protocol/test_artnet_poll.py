"""Tests for ArtPoll (lightshow.protocol.artnet_poll)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lightshow.errors import FormatError
from lightshow.protocol.artnet import parse_packet
from lightshow.protocol.artnet_poll import (
    POLL_FLAG_DIAGNOSTICS,
    POLL_FLAG_REPLY_ON_CHANGE,
    ArtPoll,
    build_artpoll,
)
from tests.protocol.artnet_golden import GOLDEN_POLL, GOLDEN_POLL_SHORT, ID


def test_artpoll_golden():
    built = build_artpoll(
        POLL_FLAG_REPLY_ON_CHANGE | POLL_FLAG_DIAGNOSTICS,
        0x80,
        target_port_address_top=0x0123,
        target_port_address_bottom=0x0010,
        esta_man=0x7FF0,
        oem=0x00FF,
    )
    assert built == GOLDEN_POLL
    assert parse_packet(GOLDEN_POLL) == ArtPoll(
        flags=6,
        diag_priority=0x80,
        target_port_address_top=0x0123,
        target_port_address_bottom=0x0010,
        esta_man=0x7FF0,
        oem=0x00FF,
    )


def test_artpoll_defaults_are_22_bytes_of_zeros_after_the_header():
    packet = build_artpoll()
    assert len(packet) == 22
    assert packet == ID + b"\x00\x20\x00\x0e" + bytes(10)


def test_parse_short_artpoll():
    assert parse_packet(GOLDEN_POLL_SHORT) == ArtPoll(flags=2, diag_priority=0x10)
    # An 18-byte Art-Net 3/4 poll with only the target range.
    eighteen = GOLDEN_POLL[:18]
    assert parse_packet(eighteen) == ArtPoll(6, 0x80, 0x0123, 0x0010)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"flags": 256},
        {"diag_priority": -1},
        {"target_port_address_top": 32768},
        {"target_port_address_bottom": -1},
        {"esta_man": 0x10000},
        {"oem": -1},
    ],
)
def test_build_artpoll_rejects(kwargs):
    with pytest.raises(FormatError):
        build_artpoll(**kwargs)


@given(
    st.integers(0, 255),
    st.integers(0, 255),
    st.integers(0, 32767),
    st.integers(0, 32767),
    st.integers(0, 0xFFFF),
    st.integers(0, 0xFFFF),
)
def test_artpoll_round_trip(flags, prio, top, bottom, esta, oem):
    poll = ArtPoll(flags, prio, top, bottom, esta, oem)
    assert parse_packet(poll.to_bytes()) == poll
