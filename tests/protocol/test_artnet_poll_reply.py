"""Tests for ArtPollReply (lightshow.protocol.artnet_poll_reply): the one layout, built and decoded."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lightshow.errors import FormatError
from lightshow.protocol.artnet import parse_packet
from lightshow.protocol.artnet_header import ARTNET_PORT
from lightshow.protocol.artnet_poll_reply import (
    ARTPOLLREPLY_LAYOUT,
    ARTPOLLREPLY_MIN_SIZE,
    ARTPOLLREPLY_SIZE,
    ArtPollReply,
    build_artpollreply,
)
from tests.protocol.artnet_golden import GOLDEN_POLL_REPLY


def test_golden_poll_reply_is_239_bytes():
    assert len(GOLDEN_POLL_REPLY) == 239
    assert GOLDEN_POLL_REPLY[26:30] == b"Node"
    assert GOLDEN_POLL_REPLY[172:174] == b"\x00\x02"
    assert GOLDEN_POLL_REPLY[201:207] == bytes.fromhex("020000000001")


def test_the_layout_carries_every_field_once_in_239_bytes():
    carried = [field.name for field in ARTPOLLREPLY_LAYOUT if field.name is not None]
    assert sorted(carried) == sorted(field.name for field in dataclasses.fields(ArtPollReply))
    assert len(carried) == len(set(carried))
    sizes = [field.codec.size for field in ARTPOLLREPLY_LAYOUT]
    assert 10 + sum(sizes) == ARTPOLLREPLY_SIZE == 239
    names = [field.name for field in ARTPOLLREPLY_LAYOUT]
    assert 10 + sum(sizes[: names.index("bind_ip")]) == ARTPOLLREPLY_MIN_SIZE  # older replies end there


def _golden_reply_kwargs():
    return {
        "ip": "10.0.0.50",
        "short_name": "Node",
        "long_name": "Long Node",
        "port_addresses": [0x0123, 0x0125],
        "mac": bytes.fromhex("020000000001"),
        "node_report": "#0001 [0000] OK",
        "version_info": 0x0102,
        "esta_man": 0x7FF0,
        "status1": 0xE0,
        "good_output": 0x80,
        "refresh_rate": 44,
    }


def test_build_artpollreply_golden():
    assert build_artpollreply(**_golden_reply_kwargs()) == GOLDEN_POLL_REPLY


def test_parse_artpollreply_golden():
    reply = parse_packet(GOLDEN_POLL_REPLY)
    assert isinstance(reply, ArtPollReply)
    assert reply.ip == "10.0.0.50"
    assert reply.udp_port == ARTNET_PORT
    assert reply.version_info == 0x0102
    assert (reply.net_switch, reply.sub_switch) == (1, 2)
    assert reply.oem == 0x00FF
    assert reply.esta_man == 0x7FF0
    assert reply.status1 == 0xE0
    assert (reply.short_name, reply.long_name) == ("Node", "Long Node")
    assert reply.node_report == "#0001 [0000] OK"
    assert reply.num_ports == 2
    assert reply.port_types == (0x80, 0x80, 0, 0)
    assert reply.good_output == (0x80, 0x80, 0, 0)
    assert reply.sw_out == (3, 5, 0, 0)
    assert reply.port_addresses == (0x0123, 0x0125)
    assert reply.input_port_addresses == ()
    assert reply.mac == bytes.fromhex("020000000001")
    assert (reply.bind_ip, reply.bind_index) == ("10.0.0.50", 1)
    assert reply.status2 == 0x08
    assert reply.refresh_rate == 44
    assert reply.to_bytes() == GOLDEN_POLL_REPLY


def test_pollreply_port_addresses_follow_port_types():
    raw = bytearray(GOLDEN_POLL_REPLY)
    raw[172:174] = b"\x00\x04"
    raw[174:178] = bytes([0x80, 0x40, 0xC0, 0x00])  # out, in, both, none
    raw[186:190] = bytes([5, 6, 7, 8])  # SwIn
    raw[190:194] = bytes([1, 2, 3, 4])  # SwOut
    reply = parse_packet(bytes(raw))
    assert reply.port_addresses == (0x0121, 0x0123)
    assert reply.input_port_addresses == (0x0126, 0x0127)


def test_pollreply_ignores_high_bits_of_switches():
    raw = bytearray(GOLDEN_POLL_REPLY)
    raw[18] = 0x81  # bit 7 of NetSwitch is a "program" flag in ArtAddress
    raw[19] = 0xF2
    raw[190] = 0xF3
    assert parse_packet(bytes(raw)).port_addresses == (0x0123, 0x0125)


def test_parse_legacy_207_byte_pollreply_reads_missing_fields_as_zero():
    reply = parse_packet(GOLDEN_POLL_REPLY[:207])
    assert reply.mac == bytes.fromhex("020000000001")
    assert (reply.bind_ip, reply.bind_index, reply.status2, reply.refresh_rate) == (
        "0.0.0.0",
        0,
        0,
        0,
    )
    assert reply.port_addresses == (0x0123, 0x0125)


def test_build_artpollreply_defaults():
    packet = build_artpollreply("192.168.1.20", "lightshow", "lightshow engine", [5])
    assert len(packet) == 239
    reply = parse_packet(packet)
    assert reply.port_addresses == (5,)
    assert reply.num_ports == 1
    assert reply.bind_ip == "192.168.1.20"
    assert reply.bind_index == 1
    assert reply.mac == bytes(6)
    assert reply.node_report == ""
    assert reply.oem == 0x00FF
    assert reply.style == 0
    assert packet[24:26] == b"\x00\x00"


def test_build_artpollreply_without_ports():
    reply = parse_packet(build_artpollreply("10.1.2.3", "a", "b"))
    assert reply.num_ports == 0
    assert reply.port_addresses == ()
    assert (reply.net_switch, reply.sub_switch) == (0, 0)


def test_build_artpollreply_longest_names():
    packet = build_artpollreply("10.0.0.1", "s" * 17, "l" * 63, [1], node_report="r" * 63)
    reply = parse_packet(packet)
    assert (reply.short_name, reply.long_name, reply.node_report) == ("s" * 17, "l" * 63, "r" * 63)
    assert packet[43] == 0 and packet[107] == 0 and packet[171] == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"port_addresses": [0x0123, 0x0133]}, "share net and sub-net"),
        ({"port_addresses": [0x0123, 0x0223]}, "share net and sub-net"),
        ({"port_addresses": [1, 2, 3, 4, 5]}, "at most 4"),
        ({"port_addresses": [32768]}, "port_addresses"),
        ({"short_name": "x" * 18}, "short_name is 18 characters"),
        ({"long_name": "x" * 64}, "long_name"),
        ({"node_report": "x" * 64}, "node_report"),
        ({"short_name": "Kn\u00f6del"}, "ASCII"),
        ({"short_name": "a\x00b"}, "NUL"),
        ({"ip": "10.0.0.256"}, "IPv4"),
        ({"ip": "::1"}, "IPv4"),
        ({"ip": 167772161}, "IPv4"),
        ({"bind_ip": "nope"}, "bind_ip"),
        ({"mac": b"\x00" * 5}, "mac"),
        ({"bind_index": 256}, "bind_index"),
        ({"refresh_rate": 0x10000}, "refresh_rate"),
    ],
)
def test_build_artpollreply_rejects(changes, message):
    kwargs = _golden_reply_kwargs() | changes
    with pytest.raises(FormatError, match=message):
        build_artpollreply(**kwargs)


def test_pollreply_names_decode_leniently():
    raw = bytearray(GOLDEN_POLL_REPLY)
    raw[26:44] = b"\xffbad\x00junk".ljust(18, b"x")  # no NUL at the end, bad UTF-8
    reply = parse_packet(bytes(raw))
    assert reply.short_name == "\ufffdbad"


names = st.text(st.characters(min_codepoint=1, max_codepoint=127), max_size=17)
bytes4 = st.tuples(*[st.integers(0, 255)] * 4)


@given(
    ip=st.ip_addresses(v=4).map(str),
    short_name=names,
    long_name=names,
    base=st.integers(0, 2047),
    universes=st.lists(st.integers(0, 15), max_size=4),
    mac=st.binary(min_size=6, max_size=6),
    bind_index=st.integers(0, 255),
)
def test_build_artpollreply_round_trip(ip, short_name, long_name, base, universes, mac, bind_index):
    addresses = [(base << 4) | u for u in universes]
    packet = build_artpollreply(ip, short_name, long_name, addresses, mac=mac, bind_index=bind_index)
    reply = parse_packet(packet)
    assert len(packet) == 239
    assert reply.port_addresses == tuple(addresses)
    assert (reply.ip, reply.short_name, reply.long_name) == (ip, short_name, long_name)
    assert (reply.mac, reply.bind_index) == (mac, bind_index)
    assert reply.to_bytes() == packet


@given(
    st.builds(
        ArtPollReply,
        ip=st.ip_addresses(v=4).map(str),
        short_name=names,
        long_name=names,
        node_report=names,
        udp_port=st.integers(0, 0xFFFF),
        version_info=st.integers(0, 0xFFFF),
        net_switch=st.integers(0, 255),
        sub_switch=st.integers(0, 255),
        esta_man=st.integers(0, 0xFFFF),
        num_ports=st.integers(0, 4),
        port_types=bytes4,
        good_input=bytes4,
        sw_in=bytes4,
        sw_out=bytes4,
        style=st.integers(0, 255),
        bind_ip=st.ip_addresses(v=4).map(str),
        good_output_b=bytes4,
        default_responder_uid=st.binary(min_size=6, max_size=6),
        user=st.integers(0, 0xFFFF),
        background_queue_policy=st.integers(0, 255),
    )
)
def test_artpollreply_dataclass_round_trip(reply):
    assert parse_packet(reply.to_bytes()) == reply
