"""Tests for the Art-Net 4 codec (lightshow.protocol.artnet).

The golden packets below are written out by hand from the field tables of the
Art-Net 4 spec (as cross-checked against OLA's ArtNetPackets.h and Wireshark's
packet-artnet.c), never produced by the builders under test.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lightshow.errors import FormatError
from lightshow.protocol.artnet import (
    ARTNET_PORT,
    OP_DMX,
    OP_POLL,
    OP_POLL_REPLY,
    OP_SYNC,
    OP_TIMECODE,
    POLL_FLAG_DIAGNOSTICS,
    POLL_FLAG_REPLY_ON_CHANGE,
    PROTOCOL_VERSION,
    TIMECODE_DF,
    TIMECODE_EBU,
    TIMECODE_FILM,
    TIMECODE_SMPTE,
    ArtDmx,
    ArtDmxPacker,
    ArtPoll,
    ArtPollReply,
    ArtSync,
    ArtTimeCode,
    UnknownArtNet,
    build_artdmx,
    build_artdmx_batch,
    build_artpoll,
    build_artpollreply,
    build_artsync,
    build_arttimecode,
    next_sequence,
    next_sequences,
    parse_packet,
    port_address,
    split_port_address,
    timecode_fps,
)

ID = bytes.fromhex("4172742d4e657400")  # "Art-Net\0"

# ------------------------------------------------------------ golden packets

GOLDEN_DMX = bytes.fromhex(
    "4172742d4e657400"  # 0  ID
    "0050"  # 8  OpDmx 0x5000, low byte first
    "000e"  # 10 ProtVer 14, high byte first
    "07"  # 12 Sequence
    "02"  # 13 Physical
    "34"  # 14 SubUni: sub-net 3, universe 4
    "12"  # 15 Net 0x12
    "0004"  # 16 Length 4, high byte first
    "ff007f01"  # 18 slots 1..4
)

GOLDEN_DMX_ODD = bytes.fromhex(
    "4172742d4e657400"  # 0  ID
    "0050"  # 8  OpDmx
    "000e"  # 10 ProtVer
    "00"  # 12 Sequence 0: sequencing off
    "00"  # 13 Physical
    "01"  # 14 SubUni: Port-Address 1
    "00"  # 15 Net
    "0004"  # 3 slots padded to an even Length of 4
    "0a0b0c00"
)

GOLDEN_SYNC = bytes.fromhex(
    "4172742d4e657400"  # 0  ID
    "0052"  # 8  OpSync 0x5200, low byte first
    "000e"  # 10 ProtVer 14
    "0000"  # 12 Aux1, Aux2
)

GOLDEN_POLL = bytes.fromhex(
    "4172742d4e657400"
    "0020"  # 8  OpPoll
    "000e"  # 10 ProtVer
    "06"  # 12 Flags: reply on change + send diagnostics
    "80"  # 13 DiagPriority DpHigh
    "0123"  # 14 TargetPortAddressTop, high byte first
    "0010"  # 16 TargetPortAddressBottom
    "7ff0"  # 18 EstaMan, high byte first in ArtPoll
    "00ff"  # 20 Oem
)

GOLDEN_POLL_SHORT = bytes.fromhex(
    "4172742d4e657400"  # 0  ID
    "0020"  # 8  OpPoll
    "000e"  # 10 ProtVer
    "02"  # 12 Flags: reply on change
    "10"  # 13 DiagPriority DpLow; pre-Art-Net 4 polls end here (14 bytes)
)

GOLDEN_TIMECODE = bytes.fromhex(
    "4172742d4e657400"
    "0097"  # 8  OpTimeCode
    "000e"
    "00"  # 12 Filler
    "00"  # 13 StreamId (master)
    "04"  # 14 Frames
    "03"  # 15 Seconds
    "02"  # 16 Minutes
    "01"  # 17 Hours
    "03"  # 18 Type SMPTE
)


def _name(text: bytes, size: int) -> bytes:
    return text + b"\x00" * (size - len(text))


GOLDEN_POLL_REPLY = b"".join(
    [
        ID,  # 0
        bytes.fromhex("0021"),  # 8   OpPollReply, low byte first; no ProtVer
        bytes.fromhex("0a000032"),  # 10  IP 10.0.0.50
        bytes.fromhex("3619"),  # 14  Port 0x1936, low byte first
        bytes.fromhex("0102"),  # 16  VersInfo, high byte first
        bytes.fromhex("01"),  # 18  NetSwitch
        bytes.fromhex("02"),  # 19  SubSwitch
        bytes.fromhex("00ff"),  # 20  Oem, high byte first
        bytes.fromhex("00"),  # 22  UbeaVersion
        bytes.fromhex("e0"),  # 23  Status1
        bytes.fromhex("f07f"),  # 24  EstaMan 0x7ff0, LOW byte first
        _name(b"Node", 18),  # 26  ShortName
        _name(b"Long Node", 64),  # 44  LongName
        _name(b"#0001 [0000] OK", 64),  # 108 NodeReport
        bytes.fromhex("0002"),  # 172 NumPorts
        bytes.fromhex("80800000"),  # 174 PortTypes: 2 DMX512 outputs
        bytes.fromhex("00000000"),  # 178 GoodInput
        bytes.fromhex("80800000"),  # 182 GoodOutputA
        bytes.fromhex("00000000"),  # 186 SwIn
        bytes.fromhex("03050000"),  # 190 SwOut
        bytes.fromhex("00"),  # 194 AcnPriority
        bytes.fromhex("00"),  # 195 SwMacro
        bytes.fromhex("00"),  # 196 SwRemote
        bytes.fromhex("000000"),  # 197 Spare
        bytes.fromhex("00"),  # 200 Style StNode
        bytes.fromhex("020000000001"),  # 201 MAC
        bytes.fromhex("0a000032"),  # 207 BindIp
        bytes.fromhex("01"),  # 211 BindIndex (root)
        bytes.fromhex("08"),  # 212 Status2: 15-bit Port-Address
        bytes.fromhex("00000000"),  # 213 GoodOutputB
        bytes.fromhex("00"),  # 217 Status3
        bytes.fromhex("000000000000"),  # 218 DefaultRespUID
        bytes.fromhex("0000"),  # 224 User
        bytes.fromhex("002c"),  # 226 RefreshRate 44 Hz
        bytes.fromhex("00"),  # 228 BackgroundQueuePolicy
        bytes(10),  # 229 Filler
    ]
)


def test_golden_poll_reply_is_239_bytes():
    assert len(GOLDEN_POLL_REPLY) == 239
    assert GOLDEN_POLL_REPLY[26:30] == b"Node"
    assert GOLDEN_POLL_REPLY[172:174] == b"\x00\x02"
    assert GOLDEN_POLL_REPLY[201:207] == bytes.fromhex("020000000001")


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


# ---------------------------------------------------------------- ArtDmx


def test_build_artdmx_golden():
    assert build_artdmx(0x1234, bytes.fromhex("ff007f01"), sequence=7, physical=2) == GOLDEN_DMX


def test_build_artdmx_pads_odd_length_with_a_zero():
    assert build_artdmx(1, b"\x0a\x0b\x0c") == GOLDEN_DMX_ODD
    one = build_artdmx(1, b"\x05")
    assert one[16:18] == b"\x00\x02" and one[18:] == b"\x05\x00"


def test_build_artdmx_accepts_uint8_arrays_and_bytearrays():
    data = np.array([255, 0, 127, 1], dtype=np.uint8)
    assert build_artdmx(0x1234, data, 7, 2) == GOLDEN_DMX
    assert build_artdmx(0x1234, bytearray(data.tobytes()), 7, 2) == GOLDEN_DMX
    assert build_artdmx(0x1234, memoryview(data.tobytes()), 7, 2) == GOLDEN_DMX


def test_build_artdmx_full_universe():
    data = bytes(range(256)) * 2
    packet = build_artdmx(32767, data, sequence=255)
    assert len(packet) == 530
    assert packet[12] == 255
    assert packet[14:16] == b"\xff\x7f"
    assert packet[16:18] == b"\x02\x00"
    assert packet[18:] == data


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"port_address": 0, "data": b""}, "at least 1 slot"),
        ({"port_address": 0, "data": bytes(513)}, "at most 512"),
        ({"port_address": -1, "data": b"\x00\x00"}, "port address"),
        ({"port_address": 32768, "data": b"\x00\x00"}, "port address"),
        ({"port_address": 0, "data": b"\x00\x00", "sequence": 256}, "sequence"),
        ({"port_address": 0, "data": b"\x00\x00", "sequence": -1}, "sequence"),
        ({"port_address": 0, "data": b"\x00\x00", "physical": 256}, "physical"),
        ({"port_address": 0, "data": np.zeros(4, dtype=np.int16)}, "uint8"),
        ({"port_address": 0, "data": np.zeros((2, 2), dtype=np.uint8)}, "1-D"),
        ({"port_address": 0, "data": [1, 2]}, "bytes or a uint8 array"),
        ({"port_address": 0, "data": 4}, "bytes or a uint8 array"),
        ({"port_address": "1", "data": b"\x00\x00"}, "integer"),
    ],
)
def test_build_artdmx_rejects(kwargs, message):
    with pytest.raises(FormatError, match=message):
        build_artdmx(**kwargs)


def test_parse_artdmx_golden():
    packet = parse_packet(GOLDEN_DMX)
    assert packet == ArtDmx(port_address=0x1234, data=bytes.fromhex("ff007f01"), sequence=7, physical=2)
    assert (packet.net, packet.subnet, packet.universe) == (0x12, 3, 4)


def test_parse_artdmx_accepts_odd_length_and_ignores_trailing_bytes():
    odd = GOLDEN_DMX[:16] + b"\x00\x03" + b"\x01\x02\x03"
    assert parse_packet(odd) == ArtDmx(0x1234, b"\x01\x02\x03", 7, 2)
    assert parse_packet(GOLDEN_DMX + b"\xee\xee") == parse_packet(GOLDEN_DMX)


def test_parse_accepts_bytearray_and_memoryview():
    assert parse_packet(bytearray(GOLDEN_DMX)) == parse_packet(GOLDEN_DMX)
    assert parse_packet(memoryview(GOLDEN_DMX)) == parse_packet(GOLDEN_DMX)


@pytest.mark.parametrize("sequence", [0, 1, 2, 127, 254, 255])
def test_sequence_values_round_trip(sequence):
    assert parse_packet(build_artdmx(5, b"\x01\x02", sequence=sequence)).sequence == sequence


def test_next_sequence_wraps_to_one_skipping_zero():
    assert next_sequence(0) == 1
    assert next_sequence(1) == 2
    assert next_sequence(254) == 255
    assert next_sequence(255) == 1
    seq = np.arange(256, dtype=np.uint8)
    advanced = next_sequences(seq)
    assert advanced.dtype == np.uint8
    assert advanced.tolist() == [next_sequence(s) for s in range(256)]
    assert 0 not in advanced
    with pytest.raises(FormatError):
        next_sequence(256)
    with pytest.raises(FormatError, match="uint8"):
        next_sequences(np.arange(3))


def test_artdmx_to_bytes():
    dmx = ArtDmx(0x1234, bytes.fromhex("ff007f01"), 7, 2)
    assert dmx.to_bytes() == GOLDEN_DMX


# ------------------------------------------------------- ArtDmxPacker


def test_packer_packs_1000_universes_like_build_artdmx():
    rng = np.random.default_rng(7)
    n = 1000
    addresses = [int(a) for a in rng.choice(32768, size=n, replace=False)]
    frame = rng.integers(0, 256, size=(n, 512), dtype=np.uint8)
    sequences = rng.integers(0, 256, size=n, dtype=np.uint8)
    packer = ArtDmxPacker(addresses)
    rows = packer.pack(frame, sequences)
    assert len(rows) == len(packer) == n
    for i in range(n):
        assert bytes(rows[i]) == build_artdmx(addresses[i], frame[i], int(sequences[i]))
    assert packer.buffer.shape == (n, 530)
    assert not packer.buffer.flags.writeable


def _python_calls(fn) -> int:
    """How many Python-level function calls ``fn()`` makes (C calls not counted)."""
    calls = 0

    def profile(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return calls


def test_packer_python_work_does_not_grow_with_universes_or_channels():
    """No timing: the number of Python calls in pack() is the same for 2 and 1000 universes."""
    counts = []
    for n in (2, 1000):
        packer = ArtDmxPacker(range(n))
        frame = np.ones((n, 512), dtype=np.uint8)
        seqs = np.full(n, 3, dtype=np.uint8)
        packer.pack(frame, seqs)  # warm up
        counts.append(_python_calls(lambda p=packer, f=frame, s=seqs: p.pack(f, s)))
    assert counts[0] == counts[1]
    assert counts[1] < 50


def test_packer_reuses_rows_and_buffer_between_frames():
    packer = ArtDmxPacker([0, 1, 2])
    frame = np.zeros((3, 512), dtype=np.uint8)
    rows = packer.pack(frame, np.array([1, 2, 3], dtype=np.uint8))
    snapshot = [bytes(r) for r in rows]
    frame[1, 10] = 99
    again = packer.pack(frame, next_sequences(np.array([1, 2, 3], dtype=np.uint8)))
    assert again is rows
    assert all(r.contiguous and r.nbytes == 530 for r in rows)
    assert bytes(rows[1])[18 + 10] == 99
    assert bytes(rows[1])[12] == 3
    assert bytes(rows[0]) != snapshot[0]  # the views alias the reused buffer
    assert parse_packet(rows[1]) == ArtDmx(1, bytes(frame[1]), 3, 0)


def test_packer_scalar_sequence_and_physical():
    packer = ArtDmxPacker([7, 8], physical=[1, 2])
    frame = np.full((2, 512), 9, dtype=np.uint8)
    rows = packer.pack(frame, 42)
    assert [parse_packet(r) for r in rows] == [
        ArtDmx(7, bytes([9]) * 512, 42, 1),
        ArtDmx(8, bytes([9]) * 512, 42, 2),
    ]


def test_packer_per_universe_lengths_and_odd_padding():
    packer = ArtDmxPacker([1, 2, 3], lengths=[3, 24, 512])
    assert packer.lengths == (4, 24, 512)
    frame = np.arange(3 * 512, dtype=np.uint32).reshape(3, 512).astype(np.uint8)
    rows = packer.pack(frame, np.array([5, 6, 7], dtype=np.uint8))
    assert [len(bytes(r)) for r in rows] == [22, 42, 530]
    assert bytes(rows[0]) == build_artdmx(1, frame[0, :3], 5)  # pad slot zero
    assert bytes(rows[1]) == build_artdmx(2, frame[1, :24], 6)
    assert bytes(rows[2]) == build_artdmx(3, frame[2], 7)


def test_packer_accepts_frames_just_wide_enough():
    packer = ArtDmxPacker([1, 2], lengths=3)
    frame = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.uint8)
    rows = packer.pack(frame)
    assert bytes(rows[1]) == build_artdmx(2, b"\x04\x05\x06")


@pytest.mark.parametrize(
    ("frame", "sequences", "message"),
    [
        (np.zeros((2, 512), dtype=np.uint8), 0, "shape"),
        (np.zeros((3, 511), dtype=np.uint8), 0, "shape"),
        (np.zeros((3, 512), dtype=np.int32), 0, "uint8"),
        (np.zeros(512, dtype=np.uint8), 0, "2-D"),
        ([[0] * 512] * 3, 0, "2-D"),
        (np.zeros((3, 512), dtype=np.uint8), np.zeros(3, dtype=np.int64), "sequences"),
        (np.zeros((3, 512), dtype=np.uint8), np.zeros(4, dtype=np.uint8), "sequences"),
        (np.zeros((3, 512), dtype=np.uint8), 256, "sequence"),
    ],
)
def test_packer_rejects_bad_frames(frame, sequences, message):
    packer = ArtDmxPacker([1, 2, 3])
    with pytest.raises(FormatError, match=message):
        packer.pack(frame, sequences)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"port_addresses": [32768]}, "port_addresses"),
        ({"port_addresses": 5}, "sequence of ints"),
        ({"port_addresses": [1], "lengths": 0}, "lengths"),
        ({"port_addresses": [1], "lengths": 513}, "lengths"),
        ({"port_addresses": [1, 2], "lengths": [512]}, "2 universes"),
        ({"port_addresses": [1], "physical": 300}, "physical"),
    ],
)
def test_packer_rejects_bad_configuration(kwargs, message):
    with pytest.raises(FormatError, match=message):
        ArtDmxPacker(**kwargs)


def test_build_artdmx_batch():
    frame = np.random.default_rng(1).integers(0, 256, size=(4, 512), dtype=np.uint8)
    seqs = np.array([1, 2, 3, 4], dtype=np.uint8)
    packets = build_artdmx_batch([10, 11, 12, 13], frame, seqs)
    assert packets == [build_artdmx(10 + i, frame[i], i + 1) for i in range(4)]


# ------------------------------------------------------------- ArtSync


def test_artsync_golden():
    assert build_artsync() == GOLDEN_SYNC
    assert len(GOLDEN_SYNC) == 14
    assert parse_packet(GOLDEN_SYNC) == ArtSync()
    assert ArtSync().to_bytes() == GOLDEN_SYNC


# -------------------------------------------------------------- ArtPoll


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


# --------------------------------------------------------- ArtPollReply


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


# ------------------------------------------------------------ ArtTimeCode


def test_arttimecode_golden():
    assert build_arttimecode(1, 2, 3, 4, TIMECODE_SMPTE) == GOLDEN_TIMECODE
    assert parse_packet(GOLDEN_TIMECODE) == ArtTimeCode(1, 2, 3, 4, TIMECODE_SMPTE)
    assert ArtTimeCode(1, 2, 3, 4, 3).to_bytes() == GOLDEN_TIMECODE


def test_arttimecode_stream_id():
    packet = build_arttimecode(23, 59, 59, 24, TIMECODE_EBU, stream_id=5)
    assert packet[12:14] == b"\x00\x05"
    assert parse_packet(packet) == ArtTimeCode(23, 59, 59, 24, TIMECODE_EBU, 5)


def test_timecode_types():
    assert (TIMECODE_FILM, TIMECODE_EBU, TIMECODE_DF, TIMECODE_SMPTE) == (0, 1, 2, 3)
    assert timecode_fps(TIMECODE_FILM) == 24
    assert timecode_fps(TIMECODE_EBU) == 25
    assert timecode_fps(TIMECODE_DF) == pytest.approx(29.97, abs=1e-3)
    assert ArtTimeCode(0, 0, 0, 0, TIMECODE_SMPTE).fps == 30


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((24, 0, 0, 0, 0), "hours"),
        ((0, 60, 0, 0, 0), "minutes"),
        ((0, 0, 60, 0, 0), "seconds"),
        ((0, 0, 0, 24, TIMECODE_FILM), "frames"),
        ((0, 0, 0, 25, TIMECODE_EBU), "frames"),
        ((0, 0, 0, 30, TIMECODE_DF), "frames"),
        ((0, 0, 0, 0, 4), "timecode type"),
    ],
)
def test_build_arttimecode_rejects(args, message):
    with pytest.raises(FormatError, match=message):
        build_arttimecode(*args)


def test_parse_arttimecode_rejects_impossible_values():
    bad = bytearray(GOLDEN_TIMECODE)
    bad[18] = 9
    with pytest.raises(FormatError, match="ArtTimeCode.*timecode type"):
        parse_packet(bytes(bad))
    bad = bytearray(GOLDEN_TIMECODE)
    bad[14] = 30
    with pytest.raises(FormatError, match="ArtTimeCode.*frames"):
        parse_packet(bytes(bad))


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


even_lengths = st.integers(1, 256).map(lambda n: 2 * n)


@st.composite
def artdmx_packets(draw):
    length = draw(even_lengths)
    return ArtDmx(
        port_address=draw(st.integers(0, 32767)),
        data=draw(st.binary(min_size=length, max_size=length)),
        sequence=draw(st.integers(0, 255)),
        physical=draw(st.integers(0, 255)),
    )


@given(artdmx_packets())
def test_artdmx_round_trip(packet):
    built = build_artdmx(packet.port_address, packet.data, packet.sequence, packet.physical)
    assert len(built) == 18 + len(packet.data)
    assert parse_packet(built) == packet


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


@given(
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
    st.sampled_from([0, 1, 2, 3]),
    st.integers(0, 255),
    st.data(),
)
def test_arttimecode_round_trip(hours, minutes, seconds, kind, stream, data):
    frames = data.draw(st.integers(0, {0: 23, 1: 24, 2: 29, 3: 29}[kind]))
    tc = ArtTimeCode(hours, minutes, seconds, frames, kind, stream)
    assert parse_packet(tc.to_bytes()) == tc


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
