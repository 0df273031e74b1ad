"""Tests for parse_packet (lightshow.protocol.artnet): dispatch, malformed and random input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lightshow.errors import FormatError
from lightshow.protocol.artnet import UnknownArtNet, parse_packet
from lightshow.protocol.artnet_dmx import ArtDmx
from lightshow.protocol.artnet_poll import ArtPoll
from lightshow.protocol.artnet_poll_reply import ArtPollReply
from lightshow.protocol.artnet_sync import ArtSync
from lightshow.protocol.artnet_timecode import ArtTimeCode
from tests.protocol.artnet_golden import (
    GOLDEN_DMX,
    GOLDEN_POLL,
    GOLDEN_POLL_REPLY,
    GOLDEN_SYNC,
    GOLDEN_TIMECODE,
    ID,
)


def test_parse_accepts_bytearray_and_memoryview():
    assert parse_packet(bytearray(GOLDEN_DMX)) == parse_packet(GOLDEN_DMX)
    assert parse_packet(memoryview(GOLDEN_DMX)) == parse_packet(GOLDEN_DMX)


# ------------------------------------------------------- malformed input


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "expected at least 10 bytes.*found 0"),
        (b"Art-Net\x00\x00", "found 9"),
        (b"Art-Nex\x00\x00\x50\x00\x0e", r"expected ID b'Art-Net\\x00', found b'Art-Nex\\x00'"),
        (b"GET / HTTP/1.1\r\n", "not Art-Net"),
        (GOLDEN_DMX[:11], "ArtDmx truncated: expected ProtVer"),
        (GOLDEN_DMX[:10] + b"\x00\x0d" + GOLDEN_DMX[12:], "expected ProtVer >= 14, found 13"),
        (GOLDEN_DMX[:17], "ArtDmx truncated: expected at least 18 bytes, found 17"),
        (GOLDEN_DMX[:-1], "Length says 4 slots, found 3"),
        (GOLDEN_DMX[:16] + b"\x00\x00", "expected Length 1..512.*found 0"),
        (GOLDEN_DMX[:16] + b"\x02\x02" + bytes(514), "found 514"),
        (GOLDEN_DMX[:15] + b"\x80" + GOLDEN_DMX[16:], "Net byte"),
        (GOLDEN_SYNC[:13], "ArtSync truncated"),
        (GOLDEN_POLL[:13], "ArtPoll truncated: expected at least 14 bytes, found 13"),
        (GOLDEN_POLL_REPLY[:206], "ArtPollReply truncated: expected at least 207 bytes, found 206"),
        (GOLDEN_TIMECODE[:18], "ArtTimeCode truncated"),
    ],
)
def test_parse_rejects_malformed(data, message):
    with pytest.raises(FormatError, match=message):
        parse_packet(data)


@pytest.mark.parametrize("data", ["Art-Net", None, 12, [0x41]])
def test_parse_rejects_non_bytes(data):
    with pytest.raises(FormatError, match="expected an Art-Net packet as bytes"):
        parse_packet(data)


def test_unknown_opcode():
    art_address = ID + b"\x00\x60\x00\x0e" + bytes(95)
    packet = parse_packet(art_address)
    assert packet == UnknownArtNet(0x6000, b"\x00\x0e" + bytes(95))
    assert packet.to_bytes() == art_address
    assert parse_packet(ID + b"\x34\x12") == UnknownArtNet(0x1234, b"")


# ------------------------------------------------------------- properties


KNOWN_HEADS = [
    ID + b"\x00\x50\x00\x0e",
    ID + b"\x00\x52\x00\x0e",
    ID + b"\x00\x20\x00\x0e",
    ID + b"\x00\x21",
    ID + b"\x00\x97\x00\x0e",
    ID + b"\x00\x60",
    ID,
]


@settings(max_examples=500)
@given(st.binary(max_size=600))
def test_parse_random_bytes_only_raises_format_error(data):
    try:
        packet = parse_packet(data)
    except FormatError:
        return
    assert isinstance(packet, (ArtDmx, ArtSync, ArtPoll, ArtPollReply, ArtTimeCode, UnknownArtNet))


@settings(max_examples=1000)
@given(st.sampled_from(KNOWN_HEADS), st.binary(max_size=600))
def test_parse_random_art_net_bodies_only_raises_format_error(head, body):
    try:
        packet = parse_packet(head + body)
    except FormatError:
        return
    assert isinstance(packet, (ArtDmx, ArtSync, ArtPoll, ArtPollReply, ArtTimeCode, UnknownArtNet))
    # Whatever parsed must serialise again (names may have been decoded
    # leniently, so only require that to_bytes works or says why not).
    try:
        packet.to_bytes()
    except FormatError:
        pass
